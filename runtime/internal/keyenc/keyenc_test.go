package keyenc

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// hexKey appends a fixed tag, so a Keyer's bytes are easy to spot.
type hexKey string

func (h hexKey) AppendCacheKey(b []byte) []byte { return append(b, "k:"+string(h)...) }

// ptrKey is a Keyer only through its pointer.
type ptrKey struct{ N int }

func (p *ptrKey) AppendCacheKey(b []byte) []byte { return append(b, byte(p.N)) }

// keyByte is a uint8 Keyer, so slices of it are not raw bytes.
type keyByte uint8

func (k keyByte) AppendCacheKey(b []byte) []byte { return append(b, 'x', byte(k)) }

type myByte uint8

type inner struct {
	A int8
	b string
}

type withBlank struct {
	X int16
	_ int64
	y bool
}

type withHidden struct {
	t time.Time
	k hexKey
	p *int
}

// h decodes a hex string with spaces, for readable expected bytes.
func h(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func TestEncodingBytes(t *testing.T) {
	seven := 7
	var nilIntPtr *int
	tm := time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600))
	tests := []struct {
		name string
		v    any
		want []byte
	}{
		{"bool false", false, h("00")},
		{"bool true", true, h("01")},
		{"int", -2, h("feffffffffffffff")},
		{"int8", int8(-1), h("ffffffffffffffff")},
		{"uint16", uint16(0x102), h("0201000000000000")},
		{"uintptr", uintptr(1), h("0100000000000000")},
		{"float64 1", 1.0, h("000000000000f03f")},
		{"float32 1", float32(1), h("000000000000f03f")},
		{"zero", 0.0, h("0000000000000000")},
		{"negative zero", math.Copysign(0, -1), h("0000000000000080")},
		{"NaN", math.NaN(), h("010000000000f87f")},
		{"other NaN", math.Float64frombits(0xfff0000000000abc), h("010000000000f87f")},
		{"float32 NaN", float32(math.NaN()), h("010000000000f87f")},
		{"complex", complex(1, -0.0), h("000000000000f03f 0000000000000000")},
		{"string", "hi", h("02 6869")},
		{"empty string", "", h("00")},
		{"nil []int", []int(nil), h("00")},
		{"empty []int", []int{}, h("01 00")},
		{"[]int", []int{1}, h("01 01 0100000000000000")},
		{"nil []byte", []byte(nil), h("00")},
		{"empty []byte", []byte{}, h("01 00")},
		{"[]byte", []byte{9, 8}, h("01 02 0908")},
		{"[]myByte", []myByte{9, 8}, h("01 02 0908")},
		{"[]keyByte", []keyByte{9}, h("01 01 02000000 7809")},
		{"[2]byte", [2]byte{1, 2}, h("0102")},
		{"[2]int16", [2]int16{1, 2}, h("0100000000000000 0200000000000000")},
		{"[2]keyByte", [2]keyByte{1, 2}, h("02000000 7801 02000000 7802")},
		{"nil map", map[string]int(nil), h("00")},
		{"empty map", map[string]int{}, h("01 00")},
		{"map", map[string]bool{"b": true, "a": false}, h("01 02 0161 00 0162 01")},
		{"nil pointer", nilIntPtr, h("00")},
		{"pointer", &seven, h("01 0700000000000000")},
		{"struct", inner{A: 1, b: "z"}, h("0100000000000000 017a")},
		{"blank field", withBlank{X: 3, y: true}, h("0300000000000000 01")},
		{"keyer", hexKey("ab"), h("04000000 6b3a6162")},
		{"pointer keyer", &ptrKey{N: 5}, h("01000000 05")},
		{"non-keyer value of pointer keyer", ptrKey{N: 5}, h("0500000000000000")},
		{"time", tm, append(AppendInt(nil, tm.Unix()), h("0600000000000000")...)},
		{"hidden", withHidden{t: time.Unix(1, 2), k: "c", p: &seven},
			h("0100000000000000 0200000000000000 03000000 6b3a63 01 0700000000000000")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendAny([]byte("pre"), tt.v)
			if err != nil {
				t.Fatalf("AppendAny(%#v): %v", tt.v, err)
			}
			want := append([]byte("pre"), tt.want...)
			if !bytes.Equal(got, want) {
				t.Errorf("AppendAny(%#v) = %x, want %x", tt.v, got, want)
			}
		})
	}
}

func TestTimeIgnoresLocationAndMonotonic(t *testing.T) {
	now := time.Now() // carries a monotonic reading
	a, err := AppendAny(nil, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := AppendAny(nil, now.Round(0).In(time.FixedZone("y", -7200)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("same instant encodes differently: %x vs %x", a, b)
	}
}

func TestNilKeyerInterface(t *testing.T) {
	type holder struct{ K Keyer }
	got, err := AppendAny(nil, holder{})
	if err != nil {
		t.Fatal(err)
	}
	if want := h("00000000"); !bytes.Equal(got, want) {
		t.Errorf("nil Keyer = %x, want %x", got, want)
	}
	got, err = AppendAny(nil, holder{K: hexKey("q")})
	if err != nil {
		t.Fatal(err)
	}
	if want := h("03000000 6b3a71"); !bytes.Equal(got, want) {
		t.Errorf("Keyer in interface = %x, want %x", got, want)
	}
}

func TestMapOrderIndependent(t *testing.T) {
	const n = 200
	a, b := map[int]string{}, map[int]string{}
	for i := range n {
		a[i] = strings.Repeat("x", i%7)
		b[n-1-i] = strings.Repeat("x", (n-1-i)%7)
	}
	ea, err := AppendAny(nil, a)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 { // iteration order varies between runs over the same map
		eb, err := AppendAny(nil, b)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ea, eb) {
			t.Fatalf("equal maps encode differently")
		}
	}
	nan := map[float64]int{math.NaN(): 2, math.NaN(): 1, 1: 0}
	first, _ := AppendAny(nil, nan)
	for range 20 {
		if again, _ := AppendAny(nil, nan); !bytes.Equal(first, again) {
			t.Fatalf("map with NaN keys encodes differently: %x vs %x", first, again)
		}
	}
	if want := h("01 03 000000000000f03f 0000000000000000 010000000000f87f 0100000000000000 010000000000f87f 0200000000000000"); !bytes.Equal(first, want) {
		t.Errorf("NaN map = %x, want %x", first, want)
	}
}

type node struct {
	V    int
	Next *node
}

type loopSlice []loopSlice

type loopMap map[string]loopMap

func TestCycles(t *testing.T) {
	n := &node{V: 1}
	n.Next = n
	s := loopSlice{nil}
	s[0] = s
	m := loopMap{}
	m["a"] = m
	for name, v := range map[string]any{"pointer": n, "slice": s, "map": m} {
		if _, err := AppendAny(nil, v); !errors.Is(err, ErrCycle) {
			t.Errorf("%s cycle: err = %v, want ErrCycle", name, err)
		}
	}
}

func TestDepthLimit(t *testing.T) {
	chain := func(n int) *node {
		var head *node
		for i := range n - 1 {
			head = &node{V: i, Next: head}
		}
		return head // n pointers deep, counting the final nil
	}
	if _, err := AppendAny(nil, chain(MaxDepth)); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
	if _, err := AppendAny(nil, chain(MaxDepth+1)); !errors.Is(err, ErrCycle) {
		t.Errorf("depth %d: err = %v, want ErrCycle", MaxDepth+1, err)
	}
}

func TestUnhashable(t *testing.T) {
	type withChan struct{ C chan int }
	type withAny struct{ A any }
	for _, v := range []any{nil, make(chan int), func() {}, withChan{}, withAny{A: 1}, []any{}} {
		_, err := AppendAny(nil, v)
		if !errors.Is(err, ErrUnhashable) {
			t.Errorf("AppendAny(%T) err = %v, want ErrUnhashable", v, err)
		}
	}
}

func TestPrimitivesMatchReflective(t *testing.T) {
	check := func(name string, prim []byte, v any) {
		t.Helper()
		refl, err := AppendAny(nil, v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(prim, refl) {
			t.Errorf("%s: primitive %x, reflective %x", name, prim, refl)
		}
	}
	check("bool", AppendBool(nil, true), true)
	check("int", AppendInt(nil, -9), -9)
	check("uint", AppendUint(nil, 9), uint(9))
	check("float", AppendFloat(nil, 2.5), 2.5)
	check("complex", AppendComplex(nil, 1i), 1i)
	check("string", AppendString(nil, "héllo"), "héllo")
	check("bytes", AppendBytes(AppendNonNil(nil), []byte("ab")), []byte("ab"))
	check("keyer", AppendKeyer(nil, hexKey("z")), hexKey("z"))
	check("time", AppendTime(nil, time.Unix(5, 6)), time.Unix(5, 6))
}

func TestMapEntriesAdd(t *testing.T) {
	var m MapEntries
	m.Add([]byte("b"), []byte("2"))
	m.Add([]byte("a"), []byte("9"))
	m.Add([]byte("a"), []byte("1"))
	if got, want := string(m.AppendSorted([]byte(">"))), ">a1a9b2"; got != want {
		t.Errorf("AppendSorted = %q, want %q", got, want)
	}
	if m.Len() != 3 {
		t.Errorf("Len = %d, want 3", m.Len())
	}
}

func TestEndKeyerPanicsOnShortBuffer(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("EndKeyer did not panic")
		}
	}()
	EndKeyer(make([]byte, 2), 0)
}

func TestPrimitivesDoNotAllocate(t *testing.T) {
	b := make([]byte, 0, 256)
	tm := time.Unix(1, 2)
	allocs := testing.AllocsPerRun(100, func() {
		b = b[:0]
		b = AppendBool(b, true)
		b = AppendInt(b, 1)
		b = AppendUint(b, 2)
		b = AppendFloat(b, 3)
		b = AppendComplex(b, 4i)
		b = AppendString(b, "five")
		b = AppendBytes(b, []byte("six"))
		b = AppendTime(b, tm)
		b = AppendNil(AppendNonNil(AppendLen(b, 7)))
	})
	if allocs != 0 {
		t.Errorf("primitives allocate %v times", allocs)
	}
}

func TestConcurrentPlans(t *testing.T) {
	type fresh struct {
		N *node
		M map[string][]int
		k hexKey
	}
	v := fresh{N: &node{V: 1}, M: map[string][]int{"a": {1}}, k: "k"}
	want, err := AppendAny(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []byte)
	for range 4 {
		go func() {
			b, _ := AppendAny(nil, v)
			done <- b
		}()
	}
	for range 4 {
		if got := <-done; !bytes.Equal(got, want) {
			t.Errorf("concurrent AppendAny = %x, want %x", got, want)
		}
	}
}
