package directive

import (
	"fmt"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
)

// parseFile runs File on src and summarises what it found as
// "Func: directive@line:col ..." lines, and its errors as strings.
func parseFile(t *testing.T, src string) ([]string, []string) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "a.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	fs, errs := File(fset, f)
	var got []string
	for _, fd := range fs {
		line := FuncName(fd.Decl) + ":"
		for _, d := range fd.Directives {
			line += fmt.Sprintf(" %s@%d:%d", d, d.Pos.Line, d.Pos.Column)
		}
		got = append(got, line)
	}
	return got, errStrings(errs)
}

func TestFile(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		found []string
		errs  []string
	}{
		{
			name: "function",
			src: `package p

// F does things.
//
//cache:task version=2
func F(x int) int { return x }
`,
			found: []string{"F: //cache:task version=2@5:1"},
		},
		{
			name: "methods and generics",
			src: `package p

type T[E any] struct{}

//memo:key=id
func (t *T[E]) Get(id string) E { var e E; return e }

//cache:task
func (T[E]) Put(id string) E { var e E; return e }

//cache:task
func G[K comparable](k K) K { return k }
`,
			found: []string{"T.Get: //memo:task key=id@5:1", "T.Put: //cache:task@8:1", "G: //cache:task@11:1"},
		},
		{
			name: "both kinds on one function",
			src: `package p

//cache:task ttl=1h
//memo:task
func F() int { return 1 }
`,
			found: []string{"F: //cache:task ttl=1h@3:1 //memo:task@4:1"},
		},
		{
			name: "duplicate kind",
			src: `package p

//cache:task version=1
//cache:task version=2
func F() int { return 1 }

//memo:task
//memo:key=x
func G(x int) int { return x }
`,
			found: []string{"F: //cache:task version=1@3:1", "G: //memo:task@7:1"},
			errs: []string{
				"a.go:4:1: duplicate //cache:task on F; the first is at line 3",
				"a.go:8:1: duplicate //memo:task on G; the first is at line 7",
			},
		},
		{
			name: "misplaced",
			src: `package p

//cache:task
type T struct{}

//memo:task

func Loose() int { return 1 }

func F() int {
	//cache:task
	return 1
}

var v = 1 //memo:task

type I interface {
	//cache:task
	M() int
}
`,
			errs: []string{
				"a.go:3:1: //cache:task must be in the doc comment of a top-level function or method",
				"a.go:6:1: //memo:task must be in the doc comment of a top-level function or method",
				"a.go:11:2: //cache:task must be in the doc comment of a top-level function or method",
				"a.go:15:11: //memo:task must be in the doc comment of a top-level function or method",
				"a.go:18:2: //cache:task must be in the doc comment of a top-level function or method",
			},
		},
		{
			name: "near-misses anywhere, sorted with option errors",
			src: `package p

// cache:task
func A() int { return 1 }

//cache:task verison=1
func B() int {
	//cahce:task
	return 1
}

// Cache: results are kept for a day.
// memoize the result.
//
//memo
func C() int { return 1 }
`,
			found: []string{"B: //cache:task@6:1"},
			errs: []string{
				"a.go:3:1: write //cache:task with no space after //",
				`a.go:6:14: unknown option "verison"; did you mean "version"?`,
				`a.go:8:2: unknown directive "//cahce:task"; did you mean //cache:task?`,
				"a.go:15:1: write //memo:task",
			},
		},
		{
			name: "no directives",
			src: `package p

// F is ordinary.
func F() {} /* cache:task in a block comment is not a directive */
`,
		},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			found, errs := parseFile(t, tt.src)
			if !slices.Equal(found, tt.found) {
				t.Errorf("found:\n got %q\nwant %q", found, tt.found)
			}
			if !slices.Equal(errs, tt.errs) {
				t.Errorf("errors:\n got %q\nwant %q", errs, tt.errs)
			}
		})
	}
}

func TestFileDecl(t *testing.T) {
	src := "package p\n\n//cache:task\nfunc F() int { return 1 }\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "a.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	fs, errs := File(fset, f)
	if len(errs) > 0 || len(fs) != 1 {
		t.Fatalf("File = %v, %q", fs, errStrings(errs))
	}
	if fs[0].Decl != f.Decls[0] {
		t.Errorf("Found.Decl is not the file's FuncDecl")
	}
	if got := fs[0].Directives[0].Pos; got.Offset != strings.Index(src, "//cache") {
		t.Errorf("directive offset = %d, want %d", got.Offset, strings.Index(src, "//cache"))
	}
}
