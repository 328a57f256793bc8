package taskname

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/gen/directive"
)

// TestNames checks identities and names of functions and of methods
// declared on a type, a pointer, a generic type and an alias.
func TestNames(t *testing.T) {
	src := `package p

type T struct{}
type G[K any] struct{}
type A = T
type AA = A
type PT = *T

func F() {}
func (T) M() {}
func (*T) P() {}
func (G[K]) Q() {}
func (A) R() {}
func (*A) S() {}
func (AA) U() {}
func (PT) V() {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: make(map[*ast.Ident]types.Object)}
	if _, err := (&types.Config{}).Check("example.com/m/p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"F": "example.com/m/p.F", "M": "example.com/m/p.T.M", "P": "example.com/m/p.T.P",
		"Q": "example.com/m/p.G.Q", "R": "example.com/m/p.T.R", "S": "example.com/m/p.T.S",
		"U": "example.com/m/p.T.U", "V": "example.com/m/p.T.V",
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		fn := info.Defs[fd.Name].(*types.Func)
		if got := ID(fn); got != want[fd.Name.Name] {
			t.Errorf("ID(%s) = %q, want %q", fd.Name.Name, got, want[fd.Name.Name])
		}
		if got, wantName := Name(fn), strings.TrimPrefix(want[fd.Name.Name], "example.com/m/p."); got != wantName {
			t.Errorf("Name(%s) = %q, want %q", fd.Name.Name, got, wantName)
		}
	}
}

// TestWrapper checks the wrapper names of each directive kind and name=.
func TestWrapper(t *testing.T) {
	for text, want := range map[string]string{
		"//cache:task":           "FCached",
		"//memo:task":            "FMemo",
		"//cache:task name=Fast": "Fast",
		"//memo:key=x name=Once": "Once",
		"//cache:task version=2": "FCached",
	} {
		d, errs := directive.Parse(text, token.Position{Filename: "a.go", Line: 1, Column: 1})
		if d == nil || len(errs) > 0 {
			t.Fatalf("Parse(%q): %v", text, errs)
		}
		if got := Wrapper("F", d); got != want {
			t.Errorf("Wrapper(F, %q) = %q, want %q", text, got, want)
		}
	}
}

// TestDecls checks the names of the declarations generated for a task, of
// each directive kind, for a function and a method.
func TestDecls(t *testing.T) {
	for _, c := range []struct {
		kind                   directive.Kind
		name                   string
		desc, keyFunc, results string
	}{
		{directive.Cache, "F", "cachegenTaskF", "cachegenKeyF", "cachegenResultsF"},
		{directive.Memo, "F", "cachegenMemoTaskF", "cachegenMemoKeyF", "cachegenMemoResultsF"},
		{directive.Cache, Join("T", "M"), "cachegenTaskTM", "cachegenKeyTM", "cachegenResultsTM"},
		{directive.Memo, Join("T", "M"), "cachegenMemoTaskTM", "cachegenMemoKeyTM", "cachegenMemoResultsTM"},
	} {
		if got := Descriptor(c.kind, c.name); got != c.desc {
			t.Errorf("Descriptor(%v, %q) = %q, want %q", c.kind, c.name, got, c.desc)
		}
		if got := KeyFunc(c.kind, c.name); got != c.keyFunc {
			t.Errorf("KeyFunc(%v, %q) = %q, want %q", c.kind, c.name, got, c.keyFunc)
		}
		if got := Results(c.kind, c.name); got != c.results {
			t.Errorf("Results(%v, %q) = %q, want %q", c.kind, c.name, got, c.results)
		}
		if got := c.desc; !strings.HasPrefix(got, Prefix(c.kind, "Task")) {
			t.Errorf("descriptor %q does not start with Prefix(%v, Task) = %q", got, c.kind, Prefix(c.kind, "Task"))
		}
	}
	if Prefix(directive.Memo, "Task") == Prefix(directive.Cache, "Task") ||
		strings.HasPrefix(Prefix(directive.Memo, "Task"), Prefix(directive.Cache, "Task")) {
		t.Error("memo and cache descriptors share a prefix: a reader cannot tell them apart")
	}
	if Join("", "F") != "F" || Join("T", "MCached") != "T.MCached" {
		t.Errorf("Join: %q, %q", Join("", "F"), Join("T", "MCached"))
	}
}
