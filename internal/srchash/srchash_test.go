package srchash

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func parse(t testing.TB, src string) *ast.File {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "a.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

const base = `package p

import (
	"strings"

	u "example.com/m/util"
)

// T is a type.
type T struct{ A [N]int }

const (
	N = iota + 2
	M
)

var V = strings.ToUpper("x")

// F is a task.
//
//cache:task version=1
func F(s string) string { return u.Do(s) + V }

func (t *T) Get() int { return t.A[0] }
`

// TestDecls checks which edits change which declaration's hash.
func TestDecls(t *testing.T) {
	before := Decls(parse(t, base))
	for _, name := range []string{"T", "N", "M", "V", "F", "T.Get"} {
		if before[name] == "" {
			t.Fatalf("Decls has no %s: %v", name, before)
		}
	}
	if before["N"] != before["M"] {
		t.Errorf("N and M of one const declaration hash differently")
	}
	cases := []struct {
		name    string
		edit    func(string) string
		changed []string // the declarations whose hash must change; every other stays
	}{
		{"comments and layout", func(s string) string {
			return replace(s, "func (t *T) Get() int { return t.A[0] }", "func (t *T) Get() int {\n\t// first\n\treturn t.A[0]\n}")
		}, nil},
		{"a function body", func(s string) string { return replace(s, "t.A[0]", "t.A[1]") }, []string{"T.Get"}},
		{"a constant group", func(s string) string { return replace(s, "iota + 2", "iota + 3") }, []string{"N", "M"}},
		{"a constant a type names: only the constant's text changes", func(s string) string { return replace(s, "iota + 2", "iota + 4") }, []string{"N", "M"}},
		{"the path behind a named import", func(s string) string {
			return replace(s, `u "example.com/m/util"`, `u "example.com/m/other"`)
		}, []string{"F"}},
		{"an unrelated import", func(s string) string { return replace(s, `"strings"`, "\"strings\"\n\t\"fmt\"") }, nil},
		{"the path of an unnamed import", func(s string) string { return replace(s, `"strings"`, `"example.com/x/strings"`) }, []string{"V"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			after := Decls(parse(t, c.edit(base)))
			for name, h := range before {
				want := !slices.Contains(c.changed, name)
				if (after[name] == h) != want {
					t.Errorf("%s: hash same=%v, want same=%v", name, after[name] == h, want)
				}
			}
		})
	}
}

// TestTaskDecl checks a task's own hash: the body does not count under
// version=, the directive always does.
func TestTaskDecl(t *testing.T) {
	hash := func(src string) string {
		f := parse(t, src)
		return TaskDecl(f, FindTask(f, "F"))
	}
	h := hash(base)
	if got := hash(replace(base, "+ V }", "+ V + \"!\" }")); got != h {
		t.Errorf("a body edit under version= changed the task's hash")
	}
	if got := hash(replace(base, "version=1", "version=2")); got == h {
		t.Errorf("a new version did not change the task's hash")
	}
	unversioned := replace(base, " version=1", "")
	if hash(unversioned) == h {
		t.Errorf("dropping version= did not change the task's hash")
	}
	if hash(unversioned) == hash(replace(unversioned, "+ V }", "+ V + \"!\" }")) {
		t.Errorf("a body edit without version= did not change the task's hash")
	}
	if got := hash(replace(base, "// F is a task.", "// F is a task, documented.")); got != h {
		t.Errorf("a doc comment edit changed the task's hash")
	}
}

// TestCompare checks each outcome of a comparison.
func TestCompare(t *testing.T) {
	ix := Index(map[string]*ast.File{"a.go": parse(t, base), "b.go": parse(t, "package p\n\nfunc G() int { return 2 }\n")})
	g := ix["G"][0].Hash
	get := ix["T.Get"][0].Hash
	task := ix["F"][0].TaskHash
	if task == "" {
		t.Fatal("Index has no task hash for F")
	}
	srcs := []Source{
		{Pkg: "p", File: "a.go", Name: "T.Get", Hash: get},
		{Pkg: "p", File: "a.go", Name: "G", Hash: g}, // moved to b.go: fine
		{Pkg: "p", File: "a.go", Name: "F", Hash: task, Task: true},
		{Pkg: "p", File: "a.go", Name: "V", Hash: "0000000000000000"},
		{Pkg: "p", File: "c.go", Name: "Gone", Hash: g},
		{Pkg: "q", File: "q.go", Name: "Unseen", Hash: g}, // a package the checker cannot see
	}
	got := Compare(srcs, func(pkg string) map[string][]Decl {
		if pkg == "p" {
			return ix
		}
		return nil
	})
	want := []Change{{Source: srcs[3]}, {Source: srcs[4], Removed: true}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Compare = %+v, want %+v", got, want)
	}
	if s := want[0].String(); s != "p.V in a.go changed" {
		t.Errorf("String = %q", s)
	}
}

// TestPackageDir checks the directory of a package of the same module.
func TestPackageDir(t *testing.T) {
	for _, c := range []struct{ base, pkg, want string }{
		{"example.com/m/report", "example.com/m/work", "../work"},
		{"example.com/m/report", "example.com/m/report", "."},
		{"example.com/m", "example.com/m/a/b", "a/b"},
		{"example.com/m/a/b", "example.com/m", "../.."},
	} {
		got := PackageDir("/src/dir", c.base, c.pkg)
		if want := filepath.Join("/src/dir", c.want); got != want {
			t.Errorf("PackageDir(%q, %q) = %q, want %q", c.base, c.pkg, got, want)
		}
	}
}

// TestDisk checks that a directory is indexed from its non-test files that
// parse, whatever their build constraints.
func TestDisk(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a.go", "//go:build special\n\npackage p\n\nfunc H() int { return 1 }\n")
	write("b.go", "//go:build !special\n\npackage p\n\nfunc H() int { return 2 }\n")
	write("a_test.go", "package p\n\nfunc T() {}\n")
	write("broken.go", "package p\n\nfunc {\n")
	var d Disk
	ix := d.Index(dir)
	if len(ix["H"]) != 2 || ix["T"] != nil {
		t.Fatalf("Index = %+v", ix)
	}
	if d.Index(filepath.Join(dir, "missing")) != nil {
		t.Errorf("a missing directory has an index")
	}
}

// FuzzDecls checks that Decls never panics and that it ignores comments
// and layout: a file and its gofmt'd form without comments hash the same.
func FuzzDecls(f *testing.F) {
	f.Add(base)
	f.Add("package p\n\nfunc f(a,\n\n b int) (c int) { if a > b { return a }; return /* x */ b }\n")
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "a.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return
		}
		before := Decls(file)
		file.Comments = nil
		var buf bytes.Buffer
		if err := format.Node(&buf, fset, file); err != nil {
			return
		}
		out := buf.Bytes()
		again, err := parser.ParseFile(token.NewFileSet(), "a.go", out, parser.SkipObjectResolution)
		if err != nil {
			return // printing an odd tree may not round-trip; not ours to judge
		}
		if after := Decls(again); !reflect.DeepEqual(before, after) {
			t.Fatalf("hashes differ after gofmt without comments:\n%v\n%v\n%s", before, after, out)
		}
	})
}

func replace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("replace: no " + old)
	}
	return strings.ReplaceAll(s, old, new)
}
