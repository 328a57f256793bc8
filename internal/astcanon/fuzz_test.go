package astcanon

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// declTexts returns the canonical text of every declaration of file but
// its imports (gofmt sorts those).
func declTexts(file *ast.File) []string {
	var out []string
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		out = append(out, string(Write(nil, d)))
	}
	return out
}

// fuzzSeeds are sources with most kinds of node, and with the layout that
// gofmt changes around them: comments, parentheses, grouping, semicolons.
var fuzzSeeds = []string{
	"package p\n\n// Task computes.\nfunc Task(a int) int {\n\treturn helper(a) + 1\n}\n\nfunc helper(x int) int { return x * 2 } // trailing\n",
	"package p\n\ntype Result struct {\n\tA  int `json:\"a\"`\n\tIn struct{ X int } // nested\n}\n\nfunc (r *Result) Task(a int) (Result, error) { return Result{A: a}, nil }\n",
	"package p\n\ntype Pair[K comparable, V any] struct{ k K; v V }\n\nfunc Map[T, U any](xs []T, f func(T) U) (out []U) {\n\tfor _, x := range xs { out = append(out, f(x)) }\n\treturn\n}\n",
	"package p\n\nconst (\n\tA = iota * 10 // a\n\tB\n\tC\n)\n\nvar (x, y = 1, 2)\n",
	"package p\n\nfunc f(xs ...any) int { return len(xs) }\n\nfunc g(xs []any) int { return f(xs...) + f(xs) }\n",
	"package p\n\nfunc f() any {\n\ttype A = int\n\ttype B int\n\ttype C[T any] = []T\n\treturn A(1) + A(B(2)) + len(C[int]{})\n}\n",
	"package p\n\nfunc f(c chan<- int, d <-chan int, e chan (<-chan int)) {\n\tselect {\n\tcase v := <-d: c <- v\n\tcase <-<-e:\n\tdefault:\n\t}\n}\n",
	"package p\n\nfunc f(a []int, m map[string]int) {\nL:\n\tfor i := range a { if i > 1 { continue L }; _ = a[1:2:3]; _ = a[:] }\n\tfor k, v := range m { _, _ = k, v; break }\n\tgoto M\nM: ;\n}\n",
	"package p\n\nfunc f(x any) {\n\tswitch y := x.(type) {\n\tcase int, string: _ = y\n\tdefault:\n\t}\n\tswitch { case true: fallthrough; default: ; }\n\tgo func() {}(); defer func() { recover() }()\n}\n",
	"package p\n\nfunc f() {\n\tx := 0X1F + 1E5 + 0O17 + 0b1_0\n\t_ = `a`\n\t_ = 'b' /* c */\n\t_ = x\n\tx++; x -= 1;;\n}\n",
	"package p\n\nfunc f(a,\n\n b int) (c int) { if a > b { return a }; return /* x */ b }\n",
	"package p\n\nfunc f() {\n\tL: ;\n}\n",
}

// FuzzCanonicalAST checks that the canonical text of a declaration ignores
// comments and layout: parsing a file with comments, and parsing its
// gofmt'd form without them, give the same texts. Writing a tree from the
// parser must not panic either.
func FuzzCanonicalAST(f *testing.F) {
	for _, src := range fuzzSeeds {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "a.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return
		}
		a := declTexts(file)
		var buf bytes.Buffer
		if err := format.Node(&buf, fset, file); err != nil {
			return
		}
		file2, err := parser.ParseFile(token.NewFileSet(), "a.go", buf.Bytes(), parser.SkipObjectResolution)
		if err != nil {
			return // go/printer quirks on odd trees are not ours to test
		}
		if b := declTexts(file2); strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("canonical text changed by gofmt:\nsource:\n%s\ngofmt:\n%s\nbefore: %q\nafter:  %q", src, buf.Bytes(), a, b)
		}
	})
}

// TestFuzzSeeds checks that every seed parses, so that each one reaches
// the property FuzzCanonicalAST checks.
func TestFuzzSeeds(t *testing.T) {
	for i, src := range fuzzSeeds {
		if _, err := parser.ParseFile(token.NewFileSet(), "a.go", src, parser.ParseComments); err != nil {
			t.Errorf("seed %d does not parse: %v", i, err)
		}
	}
}
