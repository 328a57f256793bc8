package valcheck

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
	"testing"
)

// typeCheck type-checks the Go files (name → source) as one package.
func typeCheck(t *testing.T, files map[string]string) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	var parsed []*ast.File
	for name, src := range files {
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check(parsed[0].Name.Name, fset, parsed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

const src = `package report

import (
	"encoding/json"
	"time"
	"unsafe"
)

type Report struct {
	Name   string
	Score  float64
	Tags   []string
	Counts map[string]int
	At     time.Time
}

type Item struct {
	Label  string
	secret int
}

type Out struct {
	Items []Item
}

type Sealed struct{ secret string }

func (s *Sealed) MarshalBinary() ([]byte, error)   { return []byte(s.secret), nil }
func (s *Sealed) UnmarshalBinary(b []byte) error { s.secret = string(b); return nil }

type WrongSig struct{ secret string }

func (s *WrongSig) MarshalBinary() (string, error)   { return s.secret, nil }
func (s *WrongSig) UnmarshalBinary(b []byte) error { return nil }

type List struct {
	Next *List
	Fn   func()
}

type (
	Alias     = Report
	AliasChan = chan int
	Raw       = json.RawMessage
	Ptr       = unsafe.Pointer
	AnyMap    = map[string]any
	KeyIface  = map[error]int
)

type Gen[T any] struct {
	V    T
	Next *Gen[T]
}

type Inst = Gen[string]
type BadInst = Gen[func()]
`

func TestCheck(t *testing.T) {
	pkg := typeCheck(t, map[string]string{"report.go": src})
	const hint = " is unexported and would be lost; export it or implement encoding.BinaryMarshaler and BinaryUnmarshaler"
	// Paths start with the type as the user wrote it, aliases included.
	cases := []struct {
		name string
		want string // "" for accepted
	}{
		{"Report", ""},
		{"Alias", ""},
		{"Sealed", ""},
		{"Raw", ""},
		{"Inst", ""},
		{"Item", "report.Item: field secret of report.Item" + hint},
		{"Out", "report.Out.Items[]: field secret of report.Item" + hint},
		{"WrongSig", "report.WrongSig: field secret of report.WrongSig" + hint},
		{"List", "report.List.Fn: func() is a func type and cannot be stored"},
		{"AliasChan", "report.AliasChan: chan int is a channel type and cannot be stored"},
		{"Ptr", "report.Ptr: unsafe.Pointer is unsafe.Pointer and cannot be stored"},
		{"AnyMap", "report.AnyMap[value]: any is an interface type; its dynamic value cannot be stored (use a concrete type)"},
		{"KeyIface", "report.KeyIface[key]: error is an interface type; its dynamic value cannot be stored (use a concrete type)"},
		{"BadInst", "report.BadInst.V: func() is a func type and cannot be stored"},
	}
	for _, c := range cases {
		obj := pkg.Scope().Lookup(c.name)
		if obj == nil {
			t.Fatalf("no type %s", c.name)
		}
		err := Check(obj.Type())
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("Check(%s):\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// TestTypeParams checks that a type parameter is left to the run time, also
// inside a composite type.
func TestTypeParams(t *testing.T) {
	pkg := typeCheck(t, map[string]string{"g.go": `package g
type Box[T any] struct{ V []T }
func F[T any](t T) (T, map[string]T) { return t, nil }
`})
	box := pkg.Scope().Lookup("Box").Type()
	if err := Check(box); err != nil {
		t.Errorf("Check(Box[T]) = %v", err)
	}
	sig := pkg.Scope().Lookup("F").Type().(*types.Signature)
	for i := range sig.Results().Len() {
		if err := Check(sig.Results().At(i).Type()); err != nil {
			t.Errorf("Check(result %d) = %v", i, err)
		}
	}
}

// TestSameVerdictsAsCodec type-checks the codec's shapes_test.go, whose type
// names carry the verdict (ok*/Ok* accepted, bad* rejected, helper* not
// shapes). The codec's TestShapeVerdicts checks its reflect-based Check
// against the same names and lists every shape, so the two checks agree
// type by type.
func TestSameVerdictsAsCodec(t *testing.T) {
	path := filepath.Join("..", "..", "..", "runtime", "internal", "codec", "shapes_test.go")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("codec", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	shapes := 0
	for _, name := range pkg.Scope().Names() {
		obj, ok := pkg.Scope().Lookup(name).(*types.TypeName)
		if !ok || strings.HasPrefix(name, "helper") {
			continue
		}
		shapes++
		wantOK := strings.HasPrefix(strings.ToLower(name), "ok")
		if !wantOK && !strings.HasPrefix(name, "bad") {
			t.Errorf("shape %s is named neither ok* nor bad*", name)
		}
		if err := Check(obj.Type()); (err == nil) != wantOK {
			t.Errorf("Check(%s) = %v, want ok=%v", name, err, wantOK)
		}
	}
	if shapes < 30 {
		t.Errorf("only %d shapes found in %s", shapes, path)
	}
}
