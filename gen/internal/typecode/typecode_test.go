package typecode

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

// TestCode checks how each renderer spells types: unsafe.Pointer through
// its import, aliases kept or resolved, type parameters only where asked,
// and types another package cannot name refused.
func TestCode(t *testing.T) {
	src := `package p

import "unsafe"

type T struct{ A int ` + "`json:\"a\"`" + ` }
type A = T
type hidden int

var (
	Ptr   unsafe.Pointer
	Alias A
	Hid   hidden
	Ch    <-chan map[string][]*T
	Fn    func(int, ...string) (bool, error)
)

func Gen[K comparable](k K) K { return k }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("example.com/m/p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := types.NewPackage("example.com/m/other", "other")
	typ := func(name string) types.Type { return pkg.Scope().Lookup(name).Type() }
	tparam := typ("Gen").(*types.Signature).TypeParams().At(0)
	spell := func(r Renderer, t types.Type) string {
		c, ok := r.Code(t)
		if !ok {
			return "-"
		}
		file := jen.NewFilePath("example.com/m/x")
		file.Var().Id("v").Add(c)
		return fmt.Sprintf("%#v", file)
	}
	for _, c := range []struct {
		r    Renderer
		t    types.Type
		want string // a substring of the rendered file, or "-" for refused
	}{
		{Renderer{}, typ("Ptr"), "var v unsafe.Pointer"},
		{Renderer{KeepAliases: true}, typ("Alias"), "var v p.A"},
		{Renderer{}, typ("Alias"), "var v p.T"},
		{Renderer{Pkg: other}, typ("Hid"), "-"},
		{Renderer{Pkg: pkg}, typ("Hid"), "var v p.hidden"},
		{Renderer{}, typ("Ch"), "var v <-chan map[string][]*p.T"},
		{Renderer{}, typ("Fn"), "var v func(int, ...string) (bool, error)"},
		{Renderer{}, tparam, "-"},
		{Renderer{TypeParams: true}, tparam, "var v K"},
		{Renderer{}, typ("T").Underlying(), "var v struct {\n\tA int \"json:\\\"a\\\"\"\n}"},
	} {
		got := spell(c.r, c.t)
		if c.want == "-" && got != "-" || c.want != "-" && !strings.Contains(got, c.want) {
			t.Errorf("%+v spells %s as\n%s\nwant %q", c.r, c.t, got, c.want)
		}
	}
}
