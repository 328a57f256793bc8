package fingerprint

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// declTexts returns the canonical text of every declaration but imports
// (gofmt sorts those).
func declTexts(file *ast.File) []string {
	var out []string
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		out = append(out, string(writeAST(nil, d)))
	}
	return out
}

// FuzzCanonicalAST checks that the canonical text of a declaration ignores
// comments and layout: parsing a file with comments, and parsing its
// gofmt'd form without them, give the same texts.
func FuzzCanonicalAST(f *testing.F) {
	for _, src := range []string{helperSrc, resultSrc, methodSrc, genericSrc, recursionSrc, constSrc, varSrc, embedSrc,
		"package p\n\nfunc f() {\n\tx := 0X1F + 1E5 + 0O17 + 0b1_0\n\t_ = `a`\n\t_ = 'b' /* c */\n\t_ = x\n}\n",
		"package p\n\nfunc f(a,\n\n b int) (c int) { if a > b { return a }; return /* x */ b }\n"} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "a.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := format.Node(&buf, fset, file); err != nil {
			return
		}
		file2, err := parser.ParseFile(token.NewFileSet(), "a.go", buf.Bytes(), parser.SkipObjectResolution)
		if err != nil {
			return // go/printer quirks on odd trees are not ours to test
		}
		a, b := declTexts(file), declTexts(file2)
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("canonical text changed by gofmt:\nsource:\n%s\ngofmt:\n%s\nbefore: %q\nafter:  %q", src, buf.Bytes(), a, b)
		}
	})
}

// TestCanonicalText pins a few properties of the canonical text.
func TestCanonicalText(t *testing.T) {
	parse := func(src string) string {
		file, err := parser.ParseFile(token.NewFileSet(), "a.go", "package p\n"+src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(declTexts(file), "\n")
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
