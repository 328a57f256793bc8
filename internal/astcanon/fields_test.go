package astcanon

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// nodeTypes are the struct types of go/ast this package knows. The test
// checks it against go/ast's source, so a struct type added by a future
// Go release fails it until it is added here (and its fields decided).
var nodeTypes = []reflect.Type{
	reflect.TypeFor[ast.Comment](), reflect.TypeFor[ast.CommentGroup](), reflect.TypeFor[ast.Field](),
	reflect.TypeFor[ast.FieldList](), reflect.TypeFor[ast.BadExpr](), reflect.TypeFor[ast.Ident](),
	reflect.TypeFor[ast.Ellipsis](), reflect.TypeFor[ast.BasicLit](), reflect.TypeFor[ast.FuncLit](),
	reflect.TypeFor[ast.CompositeLit](), reflect.TypeFor[ast.ParenExpr](), reflect.TypeFor[ast.SelectorExpr](),
	reflect.TypeFor[ast.IndexExpr](), reflect.TypeFor[ast.IndexListExpr](), reflect.TypeFor[ast.SliceExpr](),
	reflect.TypeFor[ast.TypeAssertExpr](), reflect.TypeFor[ast.CallExpr](), reflect.TypeFor[ast.StarExpr](),
	reflect.TypeFor[ast.UnaryExpr](), reflect.TypeFor[ast.BinaryExpr](), reflect.TypeFor[ast.KeyValueExpr](),
	reflect.TypeFor[ast.ArrayType](), reflect.TypeFor[ast.StructType](), reflect.TypeFor[ast.FuncType](),
	reflect.TypeFor[ast.InterfaceType](), reflect.TypeFor[ast.MapType](), reflect.TypeFor[ast.ChanType](),
	reflect.TypeFor[ast.BadStmt](), reflect.TypeFor[ast.DeclStmt](), reflect.TypeFor[ast.EmptyStmt](),
	reflect.TypeFor[ast.LabeledStmt](), reflect.TypeFor[ast.ExprStmt](), reflect.TypeFor[ast.SendStmt](),
	reflect.TypeFor[ast.IncDecStmt](), reflect.TypeFor[ast.AssignStmt](), reflect.TypeFor[ast.GoStmt](),
	reflect.TypeFor[ast.DeferStmt](), reflect.TypeFor[ast.ReturnStmt](), reflect.TypeFor[ast.BranchStmt](),
	reflect.TypeFor[ast.BlockStmt](), reflect.TypeFor[ast.IfStmt](), reflect.TypeFor[ast.CaseClause](),
	reflect.TypeFor[ast.SwitchStmt](), reflect.TypeFor[ast.TypeSwitchStmt](), reflect.TypeFor[ast.CommClause](),
	reflect.TypeFor[ast.SelectStmt](), reflect.TypeFor[ast.ForStmt](), reflect.TypeFor[ast.RangeStmt](),
	reflect.TypeFor[ast.ImportSpec](), reflect.TypeFor[ast.ValueSpec](), reflect.TypeFor[ast.TypeSpec](),
	reflect.TypeFor[ast.BadDecl](), reflect.TypeFor[ast.GenDecl](), reflect.TypeFor[ast.FuncDecl](),
	reflect.TypeFor[ast.File](), reflect.TypeFor[ast.Package](), reflect.TypeFor[ast.Scope](),
	reflect.TypeFor[ast.Object](),
}

// outsideTrees are go/ast struct types that are not syntax nodes at all
// (they describe comments' directives), by name: they are not in
// nodeTypes and need no decision.
var outsideTrees = map[string]string{
	"Directive":    "a parsed //tool:name directive comment, never in a tree",
	"DirectiveArg": "an argument of a parsed directive comment, never in a tree",
}

// TestNodeTypesComplete checks nodeTypes against every exported struct
// type declared in go/ast's source.
func TestNodeTypesComplete(t *testing.T) {
	dir := filepath.Join(runtime.GOROOT(), "src", "go", "ast")
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no go/ast source in %s: %v", dir, err)
	}
	known := make(map[string]bool)
	for _, nt := range nodeTypes {
		known[nt.Name()] = true
	}
	fset := token.NewFileSet()
	seen := 0
	found := make(map[string]bool)
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if _, ok := ts.Type.(*ast.StructType); !ok || !ts.Name.IsExported() {
					continue
				}
				seen++
				found[ts.Name.Name] = true
				if _, ok := outsideTrees[ts.Name.Name]; !ok && !known[ts.Name.Name] {
					t.Errorf("go/ast declares struct type %s (%s), which nodeTypes does not list: add it and decide its fields", ts.Name.Name, filepath.Base(name))
				}
			}
		}
	}
	for name := range outsideTrees {
		if !found[name] {
			t.Errorf("outsideTrees lists %s, which go/ast does not declare", name)
		}
	}
	for _, nt := range nodeTypes {
		if !found[nt.Name()] {
			t.Errorf("nodeTypes lists %s, which go/ast's source does not declare as a struct", nt.Name())
		}
	}
	for _, table := range []map[reflect.Type]map[string]string{layoutOnly, meaningByPresence} {
		for nt := range table {
			if !known[nt.Name()] {
				t.Errorf("fields.go decides fields of %s, which nodeTypes does not list", nt)
			}
		}
	}
	if seen < len(nodeTypes) {
		t.Errorf("found %d struct types in go/ast's source, fewer than the %d listed", seen, len(nodeTypes))
	}
}

// TestEveryField checks, for every field of every node type, that the
// writer hashes it exactly when fields.go does not list it as layout
// only: a field is set to a value other than its zero, and the text must
// change for a hashed field and stay for a listed one. A position field
// must be decided either way: listed as layout, or as meaning by presence,
// and an unset one must add nothing to the text.
func TestEveryField(t *testing.T) {
	for _, nt := range nodeTypes {
		if why, ok := notInTrees[nt]; ok {
			if why == "" {
				t.Errorf("%s: no reason given for leaving it out", nt.Name())
			}
			continue
		}
		for name := range layoutOnly[nt] {
			if _, ok := nt.FieldByName(name); !ok {
				t.Errorf("%s.%s is listed as layout but go/ast has no such field", nt.Name(), name)
			}
		}
		for name, why := range meaningByPresence[nt] {
			if why == "" {
				t.Errorf("%s.%s is listed as meaning by presence without saying what it means", nt.Name(), name)
			}
			if _, ok := nt.FieldByName(name); !ok {
				t.Errorf("%s.%s is listed as meaning by presence but go/ast has no such field", nt.Name(), name)
			}
		}
		for i := range nt.NumField() {
			f := nt.Field(i)
			if !f.IsExported() {
				// The writer cannot read it, so it would count for nothing
				// without being listed.
				t.Errorf("%s.%s is unexported: the writer skips it, decide whether that is right", nt.Name(), f.Name)
				continue
			}
			zero := reflect.New(nt)
			set := reflect.New(nt)
			if !fill(set.Elem().Field(i)) {
				t.Errorf("%s.%s: the test cannot make a value of type %s", nt.Name(), f.Name, f.Type)
				continue
			}
			before := Write(nil, zero.Interface().(ast.Node))
			after := Write(nil, set.Interface().(ast.Node))
			hashed := !bytes.Equal(before, after)
			why, listed := layoutOnly[nt][f.Name]
			switch {
			case listed && hashed:
				t.Errorf("%s.%s is listed as layout (%s) but changes the text", nt.Name(), f.Name, why)
			case !listed && !hashed:
				t.Errorf("%s.%s is neither hashed nor listed as layout only", nt.Name(), f.Name)
			case listed && why == "":
				t.Errorf("%s.%s is listed without a reason", nt.Name(), f.Name)
			}
			_, presence := meaningByPresence[nt][f.Name]
			switch {
			case presence && (listed || f.Type != posType):
				t.Errorf("%s.%s is listed as meaning by presence but is not a position that counts", nt.Name(), f.Name)
			case f.Type == posType && !listed && !presence:
				t.Errorf("%s.%s is a position that counts by presence, but fields.go lists it neither as layout nor in meaningByPresence: decide it", nt.Name(), f.Name)
			case f.Type == posType && bytes.Contains(before, []byte(" "+f.Name+"=")):
				t.Errorf("%s.%s is unset but shows in the text %s", nt.Name(), f.Name, before)
			case presence && !bytes.Contains(after, []byte(" "+f.Name+"=set")):
				t.Errorf("%s.%s is set but the text %s does not say %s=set", nt.Name(), f.Name, after, f.Name)
			}
		}
	}
}

// fill sets v to a value other than its zero, of its type; false when the
// test does not know how.
func fill(v reflect.Value) bool {
	ident := &ast.Ident{Name: "x"}
	switch v.Type() {
	case posType:
		v.SetInt(1)
		return true
	case reflect.TypeFor[token.Token]():
		v.SetInt(int64(token.ADD))
		return true
	case reflect.TypeFor[*ast.FieldList]():
		v.Set(reflect.ValueOf(&ast.FieldList{List: []*ast.Field{{Type: ident}}}))
		return true
	case reflect.TypeFor[*ast.CommentGroup]():
		v.Set(reflect.ValueOf(&ast.CommentGroup{List: []*ast.Comment{{Text: "// c"}}}))
		return true
	case reflect.TypeFor[*ast.Scope]():
		v.Set(reflect.ValueOf(ast.NewScope(nil)))
		return true
	case reflect.TypeFor[*ast.Object]():
		v.Set(reflect.ValueOf(ast.NewObj(ast.Var, "x")))
		return true
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Interface:
		for _, n := range []any{ident, &ast.ExprStmt{X: ident}, &ast.BadDecl{}, &ast.ImportSpec{Path: &ast.BasicLit{Kind: token.STRING, Value: `"x"`}}} {
			if reflect.TypeOf(n).Implements(v.Type()) {
				v.Set(reflect.ValueOf(n))
				return true
			}
		}
		return false
	case reflect.Pointer:
		e := reflect.New(v.Type().Elem())
		switch n := e.Interface().(type) {
		case *ast.Ident:
			n.Name = "x"
		case *ast.BasicLit:
			n.Kind, n.Value = token.INT, "1"
		}
		v.Set(e)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		if !fill(s.Index(0)) {
			return false
		}
		v.Set(s)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	default:
		return false
	}
	return true
}

// TestMeaningByPresence checks, on parsed code, the cases the positions
// decide and a few that layout must not.
func TestMeaningByPresence(t *testing.T) {
	text := func(src string) string {
		f, err := parser.ParseFile(token.NewFileSet(), "a.go", "package p\n"+src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		return string(Write(nil, f.Decls[len(f.Decls)-1]))
	}
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"func f(xs []any) { g(xs...) }", "func f(xs []any) { g(xs) }", false},
		{"func f() { type A = int; _ = A(0) }", "func f() { type A int; _ = A(0) }", false},
		{"type A = int", "type A int", false},
		{"func f() (int) { return 1 }", "func f() int { return 1 }", true},
		{"var (x = 1)", "var x = 1", true},
		{"func f() { ; g(); ; }", "func f() {\n\tg()\n}", true},
		{"func f(c chan<- int) {}", "func f(c chan <- int) {}", true},
		{"func f(c chan<- int) {}", "func f(c <-chan int) {}", false},
		{"func f(a []int) []int { return a[1:2:3] }", "func f(a []int) []int { return a[1:2] }", false},
		{"func f(xs []any) { g(xs...,\n) }", "func f(xs []any) { g(xs...) }", true},
		{"func f(a, b int) { g(a,\n\tb) }", "func f(a, b int) { g(a, b) }", true},
		{"func f() { type L[T any] = []T }", "func f() { type L[T any] []T }", false},
		{"func f() {\nL:\n\t;\n}", "func f() {\nL:\n}", true},
		{"func f() { const (a = iota; b); _ = b }", "func f() { const a = iota; const b = iota; _ = b }", false},
		{"func f() { const (a = iota) }", "func f() { const a = iota }", true},
		{"func f(i int) int { for i := range 3 { _ = i }; return i }", "func f(i int) int { for i = range 3 { _ = i }; return i }", false},
		{"type S struct{ A int }", "type S struct {\n\tA int // a\n}", true},
		{"type I interface{ M() }", "type I interface {\n\tM()\n}", true},
		{"var f = func() {}", "var f = func() {\n}", true},
	} {
		if same := text(c.a) == text(c.b); same != c.same {
			t.Errorf("%q and %q: same text %v, want %v", c.a, c.b, same, c.same)
		}
	}
}

// TestLayoutNotPositions keeps layoutOnly from hiding meaning: a listed
// field that is not a position must be a comment, the parser's object
// resolution, or one of the few exceptions named here with a test case.
func TestLayoutNotPositions(t *testing.T) {
	types := map[reflect.Type]bool{
		reflect.TypeFor[*ast.CommentGroup]():   true,
		reflect.TypeFor[[]*ast.CommentGroup](): true,
		reflect.TypeFor[*ast.Object]():         true,
		reflect.TypeFor[*ast.Scope]():          true,
	}
	exceptions := map[string]bool{
		"File.Unresolved":    true, // resolution: the identifiers left unresolved
		"EmptyStmt.Implicit": true, // TestMeaningByPresence: L: ; and L:\n}
	}
	for nt, fields := range layoutOnly {
		for name := range fields {
			f, ok := nt.FieldByName(name)
			if !ok || f.Type == posType || types[f.Type] || exceptions[nt.Name()+"."+name] {
				continue
			}
			t.Errorf("%s.%s (%s) is listed as layout but is neither a position, a comment nor object resolution", nt.Name(), name, f.Type)
		}
	}
}

// TestPresenceText pins the text of a call with and without a spread: an
// unset position adds nothing, so the text without it is what the writer
// wrote before positions counted (fingerprints of such code stay).
func TestPresenceText(t *testing.T) {
	text := func(src string) string {
		f, err := parser.ParseFile(token.NewFileSet(), "a.go", "package p\n"+src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		return string(Write(nil, f.Decls[0]))
	}
	const head = "(FuncDecl Recv=nil Name=(Ident f) Type=(FuncType TypeParams=nil Params=(FieldList List=[(Field Names=[(Ident xs)] " +
		"Type=(ArrayType Len=nil Elt=(Ident int)) Tag=nil)]) Results=(FieldList List=[(Field Names=[] Type=(Ident int) Tag=nil)])) " +
		"Body=(BlockStmt List=[(ReturnStmt Results=[(CallExpr Fun=(Ident g) Args=[(Ident xs)]"
	for src, want := range map[string]string{
		"func f(xs []int) int { return g(xs) }":    head + ")])]))",
		"func f(xs []int) int { return g(xs...) }": head + " Ellipsis=set)])]))",
	} {
		if got := text(src); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", src, got, want)
		}
	}
	alias := text("func f() { type A = int }")
	if !strings.Contains(alias, "(TypeSpec Name=(Ident A) TypeParams=nil Assign=set Type=(Ident int))") {
		t.Errorf("alias text %s does not say Assign=set", alias)
	}
	if named := text("func f() { type A int }"); strings.Contains(named, "Assign") {
		t.Errorf("named type text %s mentions Assign", named)
	}
}

// TestHash checks that Hash is the xxhash64 of the text, 16 hex digits.
func TestHash(t *testing.T) {
	n := &ast.CallExpr{Fun: ast.NewIdent("g"), Args: []ast.Expr{ast.NewIdent("xs")}}
	h := Hash(nil, n)
	if want := fmt.Sprintf("%016x", xxhash.Sum64(Write(nil, n))); h != want || len(h) != 16 {
		t.Errorf("Hash = %q, want %q", h, want)
	}
	n.Ellipsis = 1
	if Hash(nil, n) == h {
		t.Errorf("Hash ignores the spread of %s", Write(nil, n))
	}
	q := func(id *ast.Ident) string { return " @p/" + id.Name }
	if got, want := string(Write(q, n)), "(CallExpr Fun=(Ident g @p/g) Args=[(Ident xs @p/xs)] Ellipsis=set)"; got != want {
		t.Errorf("Write with a qualifier = %s, want %s", got, want)
	}
}

// TestNoTypeChecker checks that the package links neither go/types nor
// golang.org/x/tools: the runtime imports it into users' programs.
func TestNoTypeChecker(t *testing.T) {
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goCmd, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "go/types" || strings.HasPrefix(dep, "golang.org/x/tools") {
			t.Errorf("package astcanon depends on %s", dep)
		}
	}
}
