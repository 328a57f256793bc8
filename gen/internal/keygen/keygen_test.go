package keygen

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

const rtPath = "example.com/rt"

// rtSrc declares the primitives generated code calls, so the output of the
// emitter can be type-checked without the real runtime.
const rtSrc = `package rt
import "time"
type Keyer interface{ AppendCacheKey([]byte) []byte }
type MapEntries struct{ Buf []byte }
func (m *MapEntries) EndKey() {}
func (m *MapEntries) EndValue() {}
func (m *MapEntries) AppendSorted(b []byte) []byte { return b }
func AppendBool(b []byte, v bool) []byte { return b }
func AppendInt(b []byte, v int64) []byte { return b }
func AppendUint(b []byte, v uint64) []byte { return b }
func AppendFloat(b []byte, v float64) []byte { return b }
func AppendComplex(b []byte, v complex128) []byte { return b }
func AppendString(b []byte, v string) []byte { return b }
func AppendBytes(b []byte, v []byte) []byte { return b }
func AppendLen(b []byte, n int) []byte { return b }
func AppendNil(b []byte) []byte { return b }
func AppendNonNil(b []byte) []byte { return b }
func AppendTime(b []byte, t time.Time) []byte { return b }
func BeginKeyer(b []byte) []byte { return b }
func EndKeyer(b []byte, start int) []byte { return b }
func CheckDepth(depth int) error { return nil }
func AppendAnyDepth(b []byte, v any, depth int) ([]byte, error) { return b, nil }
`

const otherSrc = `package other
import "time"
type Secret struct{ Open int; secret int }
type Stamp struct{ At time.Time }
type Sealed struct{ hidden []string }
func (Sealed) AppendCacheKey(b []byte) []byte { return b }
type node struct{ Next *node; V int }
type Holder struct{ Root *node }
type Gen[T any] struct{ V T; Next *Gen[T] }
`

const mainSrc = `package x
import (
	"time"
	"unsafe"
	"example.com/other"
)
type T struct{ C chan int; secret int }
type Good struct {
	a int
	B []byte
	M map[string][2]float32
	W time.Time ` + "`json:\"w\"`" + `
	S other.Sealed
	St other.Stamp
	Anon struct{ x, y int8 }
	E struct{}
	Z [0]string
}
type List struct{ V int; Next *List }
type Bad1 struct{ F func() }
type Bad2 struct{ P unsafe.Pointer }
func cachegenKeyList() {}
func Generic[T any](x T, xs []T) {}
var (
	vChan chan int
	vFunc func()
	vAny any
	vBadField T
	vSecret other.Secret
	vGood Good
	vList *List
	vHolder other.Holder
	vGen other.Gen[int]
	vUnsafe Bad2
	vStamp other.Stamp
	vEmptyMap map[struct{}]struct{}
	vKeyerI interface{ AppendCacheKey([]byte) []byte }
)
`

// universe type-checks rt, other and x from source.
type universe struct {
	fset *token.FileSet
	pkgs map[string]*types.Package
	x    *types.Package
	std  types.Importer
}

func (u *universe) Import(path string) (*types.Package, error) {
	if p, ok := u.pkgs[path]; ok {
		return p, nil
	}
	p, err := u.std.Import(path)
	if err == nil {
		u.pkgs[path] = p
	}
	return p, err
}

func (u *universe) check(t *testing.T, path string, srcs ...string) (*types.Package, []*ast.File) {
	t.Helper()
	var files []*ast.File
	for _, src := range srcs {
		f, err := parser.ParseFile(u.fset, path+".go", src, 0)
		if err != nil {
			t.Fatalf("parse %s: %v\n%s", path, err, src)
		}
		files = append(files, f)
	}
	pkg, err := (&types.Config{Importer: u}).Check(path, u.fset, files, nil)
	if err != nil {
		t.Fatalf("type-check %s: %v\n%s", path, err, strings.Join(srcs, "\n----\n"))
	}
	u.pkgs[path] = pkg
	return pkg, files
}

func newUniverse(t *testing.T) *universe {
	u := &universe{fset: token.NewFileSet(), pkgs: map[string]*types.Package{}, std: importer.Default()}
	u.check(t, rtPath, rtSrc)
	u.check(t, "example.com/other", otherSrc)
	u.x, _ = u.check(t, "example.com/x", mainSrc)
	return u
}

func (u *universe) typ(name string) types.Type { return u.x.Scope().Lookup(name).Type() }

func TestCheck(t *testing.T) {
	u := newUniverse(t)
	e := New(u.x, rtPath)
	tests := []struct {
		v    string
		want string // "" for encodable
	}{
		{"vChan", "type chan int cannot be hashed: channels have no stable value; implement runtime.Keyer or ignore the parameter"},
		{"vFunc", "type func() cannot be hashed: functions have no stable value; implement runtime.Keyer or ignore the parameter"},
		{"vAny", "type any cannot be hashed: an interface value has no static type to encode by; implement runtime.Keyer or ignore the parameter"},
		{"vBadField", "field C of example.com/x.T: type chan int cannot be hashed: channels have no stable value; implement runtime.Keyer or ignore the parameter"},
		{"vSecret", "field secret of example.com/other.Secret is unexported in another package; implement runtime.Keyer"},
		{"vUnsafe", "field P of example.com/x.Bad2: type unsafe.Pointer cannot be hashed: unsafe pointers have no stable value; implement runtime.Keyer or ignore the parameter"},
		{"vGood", ""},
		{"vList", ""},
		{"vHolder", ""},
		{"vGen", ""},
		{"vStamp", ""},
		{"vEmptyMap", ""},
		{"vKeyerI", ""},
	}
	for _, tt := range tests {
		err := e.Check(u.typ(tt.v))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Check(%s) = %v, want nil", tt.v, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("Check(%s) = %v\nwant %s", tt.v, err, tt.want)
		}
	}
	// Generic's parameters are type parameters: checked at run time.
	sig := u.typ("Generic").(*types.Signature)
	for p := range sig.Params().Variables() {
		if err := e.Check(p.Type()); err != nil {
			t.Errorf("Check(%s) = %v, want nil", p.Type(), err)
		}
	}
}

func TestKeyFuncNamesBadParameter(t *testing.T) {
	u := newUniverse(t)
	e := New(u.x, rtPath)
	err := e.KeyFunc("keyF", []Param{{"n", types.Typ[types.Int]}, {"ch", u.typ("vChan")}})
	if err == nil || !strings.HasPrefix(err.Error(), "parameter ch: type chan int cannot be hashed") {
		t.Errorf("KeyFunc err = %v", err)
	}
	if len(e.Decls()) != 0 {
		t.Errorf("KeyFunc emitted %d decls despite the error", len(e.Decls()))
	}
	if err := e.KeyFunc("keyF", nil); err != nil {
		t.Fatal(err)
	}
	if err := e.KeyFunc("keyF", nil); err == nil {
		t.Error("KeyFunc accepted a name twice")
	}
}

// emit renders the key functions of the given variables (one function
// each, named key<Var>) plus Generic's, into a file of package x.
func emit(t *testing.T, u *universe, vars ...string) string {
	t.Helper()
	e := New(u.x, rtPath)
	for _, v := range vars {
		if err := e.KeyFunc("key"+v, []Param{{v, u.typ(v)}}); err != nil {
			t.Fatalf("KeyFunc(%s): %v", v, err)
		}
	}
	var params []Param
	for p := range u.typ("Generic").(*types.Signature).Params().Variables() {
		params = append(params, Param{p.Name(), p.Type()})
	}
	if err := e.KeyFunc("keyGeneric", params); err != nil {
		t.Fatal(err)
	}
	out, err := e.File("example.com/x", "x", "")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := format.Source(out); err != nil || !bytes.Equal(again, out) {
		t.Errorf("output is not gofmt-clean (%v)", err)
	}
	return string(out)
}

var encodable = []string{"vGood", "vList", "vHolder", "vGen", "vStamp", "vEmptyMap", "vKeyerI"}

func TestEmittedCodeTypeChecks(t *testing.T) {
	u := newUniverse(t)
	out := emit(t, u, encodable...)
	// The generated file must compile together with the package it is for.
	u.check(t, "example.com/x", mainSrc, out)
	for _, want := range []string{
		"func cachegenKeyList2(b []byte, v *List, depth int) ([]byte, error)", // cachegenKeyList is taken
		"func cachegenKeyGen(b []byte, v *other.Gen[int], depth int)",
		"cgrt.AppendAnyDepth(b, *vHolder.Root, 1)", // other.node cannot be named here
		"func keyGeneric(b []byte, x any, xs any) ([]byte, error)",
		"cgrt.AppendInt(b, int64(vGood.a))",
		"b = cgrt.AppendBytes(b, vGood.B)",
		"for range vEmptyMap {",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hidden") {
		t.Errorf("output reaches into the Keyer other.Sealed:\n%s", out)
	}
}

func TestEmitDeterministic(t *testing.T) {
	u := newUniverse(t)
	first := emit(t, u, encodable...)
	for range 5 {
		if again := emit(t, newUniverse(t), encodable...); again != first {
			t.Fatalf("emitting twice differs:\n%s\n----\n%s", first, again)
		}
	}
}

func TestTypeCodeKeepsTags(t *testing.T) {
	u := newUniverse(t)
	e := New(u.x, rtPath)
	field := u.typ("Good").Underlying().(*types.Struct)
	code, ok := e.typeCode(field)
	if !ok {
		t.Fatal("typeCode(Good's struct) failed")
	}
	got := jen.Var().Id("v").Add(code).GoString()
	if !strings.Contains(got, "`json:\"w\"`") && !strings.Contains(got, `"json:\"w\""`) {
		t.Errorf("tag lost: %s", got)
	}
	if _, ok := e.typeCode(u.pkgs["example.com/other"].Scope().Lookup("node").Type()); ok {
		t.Error("typeCode spelled an unexported type of another package")
	}
}
