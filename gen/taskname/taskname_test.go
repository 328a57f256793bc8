package taskname

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
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

func F() {}
func (T) M() {}
func (*T) P() {}
func (G[K]) Q() {}
func (A) R() {}
func (*A) S() {}
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
