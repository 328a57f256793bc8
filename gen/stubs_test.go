package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// stubOf writes files into a temporary package directory and returns the
// stub of that package, parsed, or nil when it has none.
func stubOf(t testing.TB, files map[string]string, imports map[string]string) (*ast.File, []byte) {
	t.Helper()
	dir := t.TempDir()
	p := &packages.Package{Name: "p", Imports: make(map[string]*packages.Package)}
	for name, src := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		p.GoFiles = append(p.GoFiles, path)
	}
	slices.Sort(p.GoFiles)
	for path, name := range imports {
		p.Imports[path] = &packages.Package{PkgPath: path, Name: name}
	}
	stub := packageStub(p)
	if stub == nil {
		return nil, nil
	}
	f, err := parser.ParseFile(token.NewFileSet(), "cachegen_gen.go", stub, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("the stub does not parse: %v\n%s", err, stub)
	}
	return f, stub
}

// TestStub checks the stub of a package: wrappers with the functions'
// receivers, type parameters, parameters and results, imports under the
// names the source uses (renamed where two files clash), name= honoured,
// and no stub for a name the package declares already.
func TestStub(t *testing.T) {
	f, stub := stubOf(t, map[string]string{
		"a.go": `package p

import (
	"context"
	yaml "example.com/yaml/v3"
	"example.com/go-kit"
)

// F is a task.
//
//cache:task
//memo:task
func F(ctx context.Context, d yaml.Doc, k kit.Thing, xs ...int) (yaml.Doc, error) { return d, nil }

// Stack is generic.
type Stack[T any] struct{ xs []T }

// Peek is a method task on a generic type.
//
//cache:task name=PeekOnce
func (s *Stack[T]) Peek(n int) T { return s.xs[n] }

// Taken has a wrapper name the package already declares.
//
//cache:task
func Taken() int { return 1 }

func TakenCached() int { return 2 }
`,
		"b.go": `package p

import yaml "example.com/other/yaml"

// G uses another package under the same name.
//
//cache:task
func G(d yaml.Doc) yaml.Doc { return d }
`,
	}, map[string]string{"example.com/go-kit": "kit"})
	text := string(stub)
	for _, want := range []string{
		"func FCached(ctx context.Context, d yaml.Doc, k kit.Thing, xs ...int) (yaml.Doc, error)",
		"func FMemo(ctx context.Context, d yaml.Doc, k kit.Thing, xs ...int) (yaml.Doc, error)",
		"func (s *Stack[T]) PeekOnce(n int) (T)",
		"func GCached(d yaml2.Doc) (yaml2.Doc)",
		`import kit "example.com/go-kit"`,
		`import yaml "example.com/yaml/v3"`,
		`import yaml2 "example.com/other/yaml"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("stub lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "TakenCached") {
		t.Errorf("stub declares TakenCached, which the package declares:\n%s", text)
	}
	if f.Name.Name != "p" {
		t.Errorf("stub package %s", f.Name.Name)
	}
	if f, _ := stubOf(t, map[string]string{"a.go": "package p\n\nfunc F() {}\n"}, nil); f != nil {
		t.Errorf("a package without directives has a stub")
	}
}

// FuzzStub checks that the stub of any file that parses is Go that
// parses, and declares one function per wrapper.
func FuzzStub(f *testing.F) {
	f.Add("package p\n\nimport \"context\"\n\n//cache:task\nfunc F(ctx context.Context, a int) (int, error) { return a, nil }\n")
	f.Add("package p\n\n//memo:task name=X\nfunc (r *R[K, V]) M(k K, vs ...V) (V, bool) { var v V; return v, true }\n")
	f.Add("package p\n\nimport q \"x/y\"\n\n//cache:task\nfunc F(s struct{ A q.T `json:\"a\"` }, f func(q.T) q.U) map[q.K]chan<- q.V { return nil }\n")
	f.Fuzz(func(t *testing.T, src string) {
		if _, err := parser.ParseFile(token.NewFileSet(), "a.go", src, parser.ParseComments|parser.SkipObjectResolution); err != nil {
			return
		}
		if !strings.HasPrefix(strings.TrimSpace(src), "package p") {
			return
		}
		stub, _ := stubOf(t, map[string]string{"a.go": src}, nil)
		if stub == nil {
			return
		}
		for _, d := range stub.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && (fd.Body == nil || len(fd.Body.List) != 1) {
				t.Fatalf("stub function %s has no panicking body", fd.Name.Name)
			}
		}
	})
}
