package keyenc

import (
	"bytes"
	"maps"
	"slices"
	"testing"
	"time"
)

type benchArgs struct {
	ID    int64
	Name  string
	Ratio float64
	When  time.Time
	Tags  []string
	Attrs map[string]int
}

func BenchmarkAppendAnyScalars(b *testing.B) {
	buf := make([]byte, 0, 256)
	v := struct {
		A int
		B string
		C float64
		D bool
	}{1, "hello", 2.5, true}
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = AppendAny(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendAnyComposite(b *testing.B) {
	buf := make([]byte, 0, 512)
	v := &benchArgs{ID: 7, Name: "align", Ratio: 0.5, When: time.Unix(9, 0),
		Tags: []string{"a", "b", "c"}, Attrs: map[string]int{"x": 1, "y": 2, "z": 3}}
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = AppendAny(buf[:0], v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrimitives(b *testing.B) {
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendInt(buf[:0], 7)
		buf = AppendString(buf, "align")
		buf = AppendFloat(buf, 0.5)
		buf = AppendBool(buf, true)
	}
}

// FuzzMapOrder checks that a map built from fuzz data in two insertion
// orders encodes to the same bytes, and that the primitive MapEntries path
// agrees with the reflective one.
func FuzzMapOrder(f *testing.F) {
	f.Add([]byte("a\x00bb\x00c"))
	f.Add([]byte{})
	f.Add([]byte("\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys := bytes.Split(data, []byte{0})
		fwd, rev := map[string][]byte{}, map[string][]byte{}
		for i, k := range keys {
			fwd[string(k)] = keys[len(keys)-1-i]
		}
		for _, k := range slices.Backward(slices.Collect(maps.Keys(fwd))) {
			rev[k] = fwd[k]
		}
		a, err := AppendAny(nil, fwd)
		if err != nil {
			t.Fatal(err)
		}
		b, err := AppendAny(nil, rev)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("insertion order changed the encoding: %x vs %x", a, b)
		}
		var m MapEntries
		for k, v := range rev {
			m.Add(AppendString(nil, k), AppendBytes(AppendNonNil(nil), v))
		}
		prim := m.AppendSorted(AppendLen(AppendNonNil(nil), len(rev)))
		if !bytes.Equal(a, prim) {
			t.Fatalf("MapEntries %x, reflective %x", prim, a)
		}
	})
}
