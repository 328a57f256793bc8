package fingerprint

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/internal/astcanon"
)

// declTexts returns the canonical text of every declaration but imports
// (gofmt sorts those), qualified as the fingerprint does when info is not
// nil.
func declTexts(info *types.Info, file *ast.File) []string {
	var out []string
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		out = append(out, string(writeAST(info, d)))
	}
	return out
}

// typeCheck returns the uses of file's identifiers, checked as package
// "p"; errors are ignored (what checks still qualifies).
func typeCheck(fset *token.FileSet, file *ast.File) *types.Info {
	info := &types.Info{Uses: make(map[*ast.Ident]types.Object)}
	// Every import is an empty package named after its last element:
	// enough for the checker to record the uses of its name.
	conf := types.Config{Error: func(error) {}, Importer: importerFunc(func(path string) (*types.Package, error) {
		pkg := types.NewPackage(path, path[strings.LastIndex(path, "/")+1:])
		pkg.MarkComplete()
		return pkg, nil
	})}
	conf.Check("p", fset, []*ast.File{file}, info)
	return info
}

// FuzzCanonicalAST checks that the text the fingerprint hashes for a
// declaration, with identifiers qualified by the type checker, ignores
// comments and layout: parsing and checking a file with comments, and its
// gofmt'd form without them, give the same texts. (Package astcanon
// fuzzes the unqualified text the same way.)
func FuzzCanonicalAST(f *testing.F) {
	for _, src := range []string{helperSrc, resultSrc, methodSrc, genericSrc, recursionSrc, constSrc, varSrc, embedSrc, convSrc, jsonSrc,
		"package p\n\nfunc f() {\n\tx := 0X1F + 1E5 + 0O17 + 0b1_0\n\t_ = `a`\n\t_ = 'b' /* c */\n\t_ = x\n}\n",
		"package p\n\nfunc f(a,\n\n b int) (c int) { if a > b { return a }; return /* x */ b }\n",
		"package p\n\nfunc count(xs ...any) int { return len(xs) }\n\nfunc g(xs []any) int { return count(xs...,\n) + count(xs) }\n",
		"package p\n\nfunc f() any {\n\ttype A = int\n\ttype (B int)\n\treturn A(1) + A(B(2))\n}\n",
		"package p\n\nfunc f(n int) int {\n\t{\n\t\tif n > 3 { goto done }\n\tdone: ;\n\t}\n\treturn n\n}\n"} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "a.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return
		}
		a := declTexts(typeCheck(fset, file), file)
		var buf bytes.Buffer
		if err := format.Node(&buf, fset, file); err != nil {
			return
		}
		fset2 := token.NewFileSet()
		file2, err := parser.ParseFile(fset2, "a.go", buf.Bytes(), parser.SkipObjectResolution)
		if err != nil {
			return // go/printer quirks on odd trees are not ours to test
		}
		if b := declTexts(typeCheck(fset2, file2), file2); strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("canonical text changed by gofmt:\nsource:\n%s\ngofmt:\n%s\nbefore: %q\nafter:  %q", src, buf.Bytes(), a, b)
		}
	})
}

// TestQualifiedText checks the fingerprint's qualification of identifiers:
// imported packages by their path, package-level objects of any package by
// its path, locals and the universe not at all; and that without type
// information writeAST is astcanon's text.
func TestQualifiedText(t *testing.T) {
	src := "package p\n\nimport \"example.com/u\"\n\nvar g = 1\n\nfunc f(x int) int {\n\ty := x + g\n\tu.F(y)\n\treturn y\n}\n"
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "a.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	u := types.NewPackage("example.com/u", "u")
	u.Scope().Insert(types.NewFunc(token.NoPos, u, "F", types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, u, "n", types.Typ[types.Int])), nil, false)))
	u.MarkComplete()
	info := &types.Info{Uses: make(map[*ast.Ident]types.Object)}
	conf := types.Config{Importer: importerFunc(func(string) (*types.Package, error) { return u, nil })}
	if _, err := conf.Check("example.com/p", fset, []*ast.File{file}, info); err != nil {
		t.Fatal(err)
	}
	decl := file.Decls[len(file.Decls)-1]
	got := string(writeAST(info, decl))
	for _, want := range []string{"(Ident u @import:example.com/u)", "(Ident F @example.com/u)", "(Ident g @example.com/p)",
		"(Ident x)", "(Ident y)", "(Ident int)", "(Ident f)"} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %s:\n%s", want, got)
		}
	}
	if plain, want := string(writeAST(nil, decl)), string(astcanon.Write(nil, decl)); plain != want {
		t.Errorf("writeAST(nil) = %s, want astcanon's %s", plain, want)
	}
}

// importerFunc is a types.Importer.
type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// TestCanonicalText pins a few properties of the canonical text.
func TestCanonicalText(t *testing.T) {
	parse := func(src string) string {
		file, err := parser.ParseFile(token.NewFileSet(), "a.go", "package p\n"+src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(declTexts(nil, file), "\n")
	}
	same := [][2]string{
		{"func f() int { return 16 }", "func f() int {\n\t// sixteen\n\treturn 0x10\n}"},
		{`var s = "a\x62"`, "var s = `ab`"},
		{"// Doc.\nfunc f() {}", "func f() {} // trailing"},
		{"func f(a, b int) int { return ((a + b)) * 2 }", "func f(a, b int) int { return (a + b) * 2 }"},
		{"func f() () {}", "func f() {}"},
	}
	for _, s := range same {
		if a, b := parse(s[0]), parse(s[1]); a != b {
			t.Errorf("%q and %q differ:\n%s\n%s", s[0], s[1], a, b)
		}
	}
	differ := [][2]string{
		{"func f() int { return 1 }", "func f() int { return 2 }"},
		{"func f() int { return 1 }", "func g() int { return 1 }"},
		{"func f(a int) {}", "func f(b int) {}"},
		{"func f() float64 { return 1 }", "func f() float64 { return 1.0 }"},
		{"func f(a, b int) bool { return a < b }", "func f(a, b int) bool { return a <= b }"},
		{"var x = []int{1, 2}", "var x = [...]int{1, 2}"},
		{"func f(a, b, c int) int { return (a + b) * c }", "func f(a, b, c int) int { return a + b*c }"},
	}
	for _, d := range differ {
		if a, b := parse(d[0]), parse(d[1]); a == b {
			t.Errorf("%q and %q read the same: %s", d[0], d[1], a)
		}
	}
	if got := parse("func f() {}"); strings.Contains(got, "Pos") || strings.Contains(got, "Lbrace") || strings.Contains(got, "Doc") {
		t.Errorf("positions or comments leak into %s", got)
	}
}
