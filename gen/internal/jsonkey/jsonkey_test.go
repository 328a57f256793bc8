package jsonkey

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"math"
	"math/rand"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/quick"
	"time"

	"github.com/cachegen/cachegen/runtime"
)

// loadTypes type-checks types_test.go, whose declarations this test
// package also compiles, once per test binary.
var loadTypes = sync.OnceValues(func() (*types.Package, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "types_test.go", nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	return conf.Check("jsonkey", fset, []*ast.File{f}, nil)
})

// typeOf returns the go/types type of a reflect type built from this
// package's declarations, the standard library's time.Time and unnamed
// composites.
func typeOf(t testing.TB, rt reflect.Type) types.Type {
	t.Helper()
	pkg, err := loadTypes()
	if err != nil {
		t.Fatalf("type-check types_test.go: %v", err)
	}
	if rt == reflect.TypeFor[time.Time]() {
		return pkg.Scope().Lookup("WithTime").Type().Underlying().(*types.Struct).Field(0).Type()
	}
	if rt.Name() != "" {
		if rt.PkgPath() == "" {
			return types.Universe.Lookup(rt.Name()).Type()
		}
		obj := pkg.Scope().Lookup(rt.Name())
		if obj == nil {
			t.Fatalf("type %s is not declared in types_test.go", rt)
		}
		return obj.Type()
	}
	switch rt.Kind() {
	case reflect.Pointer:
		return types.NewPointer(typeOf(t, rt.Elem()))
	case reflect.Slice:
		return types.NewSlice(typeOf(t, rt.Elem()))
	case reflect.Array:
		return types.NewArray(typeOf(t, rt.Elem()), int64(rt.Len()))
	case reflect.Map:
		return types.NewMap(typeOf(t, rt.Key()), typeOf(t, rt.Elem()))
	}
	t.Fatalf("typeOf: unsupported %s", rt)
	return nil
}

// checkSame asserts that Encode of v's JSON equals runtime.AppendAny of v.
func checkSame(t *testing.T, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%#v): %v", v, err)
	}
	want, err := runtime.AppendAny(nil, v)
	if err != nil {
		t.Fatalf("AppendAny(%#v): %v", v, err)
	}
	got, err := Encode(nil, typeOf(t, reflect.TypeOf(v)), raw)
	if err != nil {
		t.Fatalf("Encode(%T, %s): %v", v, raw, err)
	}
	if string(got) != string(want) {
		t.Fatalf("Encode(%T, %s)\n got %x\nwant %x", v, raw, got, want)
	}
}

func intp(n int) *int { return &n }

func TestEncodeMatchesAppendAny(t *testing.T) {
	at := time.Date(2026, 11, 23, 21, 55, 0, 123456789, time.FixedZone("x", 3600))
	values := []any{
		true, 0, -1, math.MaxInt64, int8(-128), uint8(255), uint64(math.MaxUint64), 1.5, float32(0.1), -0.0, "héllo\n\"",
		Label("x"), Level(-7), []int(nil), []int{}, []int{1, 2}, map[string]int(nil), map[string]int{},
		map[string]int{"b": 2, "a": 1, "": 0}, map[int]string{-1: "m", 10: "t", 2: "two"},
		[]byte(nil), []byte{}, []byte{0, 1, 255}, [4]byte{1, 2, 3, 4}, MyBytes{1, 2}, (*int)(nil), intp(5),
		[2][]string{{"a"}, nil}, at, &at, []time.Time{at, {}},
		Scalars{B: true, I: -3, I8: 5, U: 7, U8: 200, UP: 9, F32: 3.25, F64: -2.5, S: "s"},
		Nested{
			Name: "n", Tags: []string{"x", "y"}, Counts: map[string]int{"z": 1, "a": 2},
			ByID: map[int32]Label{3: "c", -1: "a"}, ByU: map[uint8]bool{255: true, 0: false},
			Ptr: intp(0), Arr: [3]int16{1, -2, 3}, Bytes: []byte("raw"), Fixed: [4]byte{9},
			List: []*Scalars{nil, {S: "p"}}, Matrix: [][]float64{{1, 2}, nil, {}},
			Levels: map[Level][]Level{1: {2}, -3: nil},
		},
		Nested{},
		Tagged{Renamed: 1, Dash: 2, Quoted: -64, QuotedS: `q"s`, QuotedB: true, QuotedP: intp(8), Default: "d", Extra: 4},
		Tagged{},
		Embeds{Base: Base{ID: 1, Note: "n"}, Mid: &Mid{Deep: Deep{Level: 3}, Mid: "m"}, Own: "o", Named: Base{ID: 2}},
		Embeds{Base: Base{ID: 1}},
		Shadow{Base: Base{Note: "inner"}, ID: "outer"},
		WithTime{At: at, When: &at, Times: []time.Time{at}},
		WithTime{},
		&List{Val: 1, Next: &List{Val: 2}},
	}
	for _, v := range values {
		checkSame(t, v)
	}
}

func TestEncodeMatchesAppendAnyRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	types := []reflect.Type{
		reflect.TypeFor[Scalars](), reflect.TypeFor[[]Scalars](), reflect.TypeFor[map[string][]int8](),
		reflect.TypeFor[map[int64]Label](), reflect.TypeFor[map[uint16]*Base](), reflect.TypeFor[[]byte](),
		reflect.TypeFor[[16]byte](), reflect.TypeFor[*[2]Base](), reflect.TypeFor[[][]uint32](),
		reflect.TypeFor[Mid](), reflect.TypeFor[map[Level]float32](),
	}
	for _, rt := range types {
		for range 50 {
			v, ok := quick.Value(rt, rng)
			if !ok {
				t.Fatalf("quick.Value(%s) failed", rt)
			}
			checkSame(t, v.Interface())
		}
	}
}

func TestEncodeBytes(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		json string
		want string // hex
	}{
		{reflect.TypeFor[bool](), `true`, "01"},
		{reflect.TypeFor[bool](), `false`, "00"},
		{reflect.TypeFor[int](), `3`, "0300000000000000"},
		{reflect.TypeFor[int8](), `-1`, "ffffffffffffffff"},
		{reflect.TypeFor[uint16](), `258`, "0201000000000000"},
		{reflect.TypeFor[float64](), `1`, "000000000000f03f"},
		{reflect.TypeFor[float64](), `"NaN"`, "010000000000f87f"},
		{reflect.TypeFor[float64](), `"+Inf"`, "000000000000f07f"},
		{reflect.TypeFor[float32](), `"-Inf"`, "000000000000f0ff"},
		{reflect.TypeFor[complex128](), `[1, "NaN"]`, "000000000000f03f010000000000f87f"},
		{reflect.TypeFor[string](), `"ab"`, "026162"},
		{reflect.TypeFor[[]byte](), `null`, "00"},
		{reflect.TypeFor[[]byte](), `"AQI="`, "01020102"},
		{reflect.TypeFor[[]byte](), `[1, 2]`, "01020102"},
		{reflect.TypeFor[[2]byte](), `"AQI="`, "0102"},
		{reflect.TypeFor[[2]byte](), `[1, 2]`, "0102"},
		{reflect.TypeFor[[]int8](), `[]`, "0100"},
		{reflect.TypeFor[*bool](), `null`, "00"},
		{reflect.TypeFor[*bool](), `true`, "0101"},
		{reflect.TypeFor[map[string]bool](), `{"b": true, "a": false}`, "0102" + "016100" + "016201"},
		{reflect.TypeFor[map[int8]bool](), `{"2": true, "-1": false}`, "0102" + "020000000000000001" + "ffffffffffffffff00"},
		{reflect.TypeFor[Base](), `{"Note": "x"}`, "0000000000000000" + "0178"},
		{reflect.TypeFor[Base](), `{"note": "x", "id": 1}`, "0100000000000000" + "0178"},
		{reflect.TypeFor[Tagged](), `{"Quoted": "-1", "qs": "\"a\"", "Skipped": "s", "private": 2}`,
			"0000000000000000" + "0173" + "0000000000000000" + "ffffffffffffffff" + "0161" + "00" + "00" +
				"0200000000000000" + "00" + "0000000000000000" + "00"},
		{reflect.TypeFor[Embeds](), `{"ID": 1, "Level": 2}`,
			"0100000000000000" + "00" + "01" + "0200000000000000" + "00" + "00" + "0000000000000000" + "00"},
		{reflect.TypeFor[time.Time](), `"1970-01-01T00:00:01.5+01:00"`, "f1f1ffffffffffff" + "0065cd1d00000000"},
	} {
		got, err := Encode(nil, typeOf(t, c.typ), json.RawMessage(c.json))
		if err != nil {
			t.Errorf("Encode(%s, %s): %v", c.typ, c.json, err)
			continue
		}
		if hex.EncodeToString(got) != c.want {
			t.Errorf("Encode(%s, %s)\n got %x\nwant %s", c.typ, c.json, got, c.want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		json string
		want string
	}{
		{reflect.TypeFor[int](), `1.5`, "want an integer in the range of int, got 1.5"},
		{reflect.TypeFor[int8](), `128`, "range of int8"},
		{reflect.TypeFor[uint](), `-1`, "range of uint"},
		{reflect.TypeFor[float32](), `1e39`, "range of float32"},
		{reflect.TypeFor[int](), `null`, "want an integer"},
		{reflect.TypeFor[string](), `1`, "want a string"},
		{reflect.TypeFor[bool](), `"true"`, "want true or false"},
		{reflect.TypeFor[[2]int](), `[1]`, "want 2 elements"},
		{reflect.TypeFor[[2]byte](), `"AQID"`, "want 2 bytes, got 3"},
		{reflect.TypeFor[[]byte](), `"!!"`, "base64"},
		{reflect.TypeFor[[]byte](), `[256]`, "want a byte"},
		{reflect.TypeFor[map[int]int](), `{"x": 1}`, `value["x"]: want an integer`},
		{reflect.TypeFor[map[int]int](), `{"1": 1, "01": 2}`, `keys "1" and "01" are the same int`},
		{reflect.TypeFor[BoolMap](), `{"true": 1}`, "cannot be written as a JSON object member name"},
		{reflect.TypeFor[Base](), `{"Nope": 1}`, `has no field "Nope"`},
		{reflect.TypeFor[Base](), `{"ID": 1, "ID": 2}`, "field ID given twice"},
		{reflect.TypeFor[Base](), `[1]`, "want an object"},
		{reflect.TypeFor[Embeds](), `{"Base": {}, "Note": "x"}`, "given both"},
		{reflect.TypeFor[time.Time](), `"yesterday"`, "RFC 3339"},
		{reflect.TypeFor[complex64](), `[1]`, "want [re, im]"},
		{reflect.TypeFor[Keyed](), `{}`, "runtime.Keyer"},
		{reflect.TypeFor[HasKeyer](), `{}`, "-digest"},
		{reflect.TypeFor[*PtrKeyed](), `null`, "-digest"},
		{reflect.TypeFor[Bad](), `{}`, "cannot be hashed"},
		{reflect.TypeFor[BadSlice](), `null`, "cannot be hashed"},
		{reflect.TypeFor[int](), `1 2`, "invalid JSON"},
		{reflect.TypeFor[int](), `{`, "invalid JSON"},
	} {
		_, err := Encode([]byte("keep"), typeOf(t, c.typ), json.RawMessage(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Encode(%s, %s) = %v, want an error containing %q", c.typ, c.json, err, c.want)
		}
	}
	_, err := Encode(nil, typeOf(t, reflect.TypeFor[HasKeyer]()), json.RawMessage(`{}`))
	if !errors.Is(err, ErrKeyer) {
		t.Errorf("Encode(HasKeyer) = %v, want ErrKeyer", err)
	}
}

func TestEncodeDepth(t *testing.T) {
	deep := strings.Repeat(`{"Next":`, 1001) + "null" + strings.Repeat("}", 1001)
	_, err := Encode(nil, typeOf(t, reflect.TypeFor[List]()), json.RawMessage(deep))
	if !errors.Is(err, runtime.ErrCycle) {
		t.Fatalf("Encode of a list 1001 deep = %v, want ErrCycle", err)
	}
}

func TestEncodeArgs(t *testing.T) {
	ts := []types.Type{typeOf(t, reflect.TypeFor[int]()), typeOf(t, reflect.TypeFor[string]())}
	names := []string{"n", "s"}
	got, err := EncodeArgs([]byte{0xaa}, names, ts, json.RawMessage(` [3, "x"] `))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := runtime.AppendAny([]byte{0xaa}, 3)
	want, _ = runtime.AppendAny(want, "x")
	if string(got) != string(want) {
		t.Errorf("EncodeArgs = %x, want %x", got, want)
	}
	for _, c := range []struct{ json, want string }{
		{`[3]`, "want 2 (n int, s string), got 1"},
		{`{}`, "want a JSON array"},
		{`null`, "want a JSON array"},
		{`[3, 4]`, "s: want a string"},
		{`[3,`, "invalid JSON"},
	} {
		if _, err := EncodeArgs(nil, names, ts, json.RawMessage(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("EncodeArgs(%s) = %v, want an error containing %q", c.json, err, c.want)
		}
	}
	if got, err := EncodeArgs(nil, nil, nil, json.RawMessage(`[]`)); err != nil || len(got) != 0 {
		t.Errorf("EncodeArgs of no parameters = %x, %v", got, err)
	}
}

// FuzzEncode checks that Encode never panics and is deterministic, and
// that whatever it accepts for a type json.Unmarshal reads the same way
// when the type is plain enough for both.
func FuzzEncode(f *testing.F) {
	for _, s := range []string{`0`, `"x"`, `[1,2]`, `{"a":1}`, `null`, `{"ID":1,"Level":2,"Mid":"m"}`,
		`"AQI="`, `[1,"NaN"]`, `"2026-01-02T03:04:05Z"`, `{"Next":{"Next":null}}`, `{"1":[1]}`} {
		for i := range 8 {
			f.Add(uint8(i), []byte(s))
		}
	}
	fuzzTypes := []reflect.Type{
		reflect.TypeFor[int](), reflect.TypeFor[[]byte](), reflect.TypeFor[map[int8][]string](),
		reflect.TypeFor[Embeds](), reflect.TypeFor[Tagged](), reflect.TypeFor[complex64](),
		reflect.TypeFor[*List](), reflect.TypeFor[WithTime](),
	}
	gtypes := make([]types.Type, len(fuzzTypes))
	for i, rt := range fuzzTypes {
		gtypes[i] = typeOf(f, rt)
	}
	f.Fuzz(func(t *testing.T, which uint8, raw []byte) {
		typ := gtypes[int(which)%len(gtypes)]
		a, errA := Encode(nil, typ, raw)
		b, errB := Encode(nil, typ, raw)
		if (errA == nil) != (errB == nil) || string(a) != string(b) {
			t.Fatalf("Encode is not deterministic: %x, %v vs %x, %v", a, errA, b, errB)
		}
		if errA != nil {
			return
		}
		if rt := fuzzTypes[int(which)%len(fuzzTypes)]; rt == reflect.TypeFor[map[int8][]string]() || rt == reflect.TypeFor[*List]() {
			// Plain types: json.Unmarshal must read the same value.
			v := reflect.New(rt)
			if err := json.Unmarshal(raw, v.Interface()); err != nil {
				t.Fatalf("Encode accepted %s as %s, json.Unmarshal did not: %v", raw, rt, err)
			}
			want, err := runtime.AppendAny(nil, v.Elem().Interface())
			if err == nil && string(want) != string(a) {
				t.Fatalf("Encode(%s, %s) = %x, json.Unmarshal + AppendAny = %x", rt, raw, a, want)
			}
		}
	})
}
