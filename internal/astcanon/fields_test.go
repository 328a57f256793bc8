package astcanon

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
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
	if seen < len(nodeTypes) {
		t.Errorf("found %d struct types in go/ast's source, fewer than the %d listed", seen, len(nodeTypes))
	}
}

// TestEveryField checks, for every field of every node type, that the
// writer hashes it exactly when fields.go does not list it as layout
// only: a field is set to a value other than its zero, and the text must
// change for a hashed field and stay for a listed one.
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
		for i := range nt.NumField() {
			f := nt.Field(i)
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
			if _, ok := meaningByPresence[nt][f.Name]; ok && (listed || f.Type != posType) {
				t.Errorf("%s.%s is listed as meaning by presence but is not a position that counts", nt.Name(), f.Name)
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
	} {
		if same := text(c.a) == text(c.b); same != c.same {
			t.Errorf("%q and %q: same text %v, want %v", c.a, c.b, same, c.same)
		}
	}
}
