package codec

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fuzzShape covers every plan: scalars, raw bytes, both map paths, pointers,
// recursion, arrays and empty elements.
type fuzzShape struct {
	Scalars allScalars
	Bytes   []byte
	Arr     [2]float32
	Fast    map[string]int
	Slow    map[int8][]string
	Floats  map[float64]uint8
	List    *node
	Tree    tree
	Empty   []emptyStruct
	Box     *[2]myByte
}

// fuzzSeeds are valid encodings of each fuzzed type plus some junk.
func fuzzSeeds(f *testing.F) {
	add := func(data []byte, err error) {
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	add(mustFor[fuzzShape](f).Append(nil, &fuzzShape{
		Bytes: []byte{1}, Fast: map[string]int{"a": 1, "b": 2}, Slow: map[int8][]string{-1: nil, 2: {"x"}},
		Floats: map[float64]uint8{math.NaN(): 1, 2: 2}, List: &node{1, &node{2, nil}},
		Tree: tree{"t", []tree{{}}}, Empty: make([]emptyStruct, 3), Box: &[2]myByte{1, 2},
	}))
	add(mustFor[fuzzShape](f).Append(nil, &fuzzShape{}))
	add(mustFor[benchReport](f).Append(nil, newBenchReport()))
	add(mustFor[map[string]string](f).Append(nil, &map[string]string{"k": "v", "": ""}))
	add(mustFor[[]*secretBox](f).Append(nil, &[]*secretBox{{"s"}, nil}))
	f.Add([]byte{})
	f.Add([]byte{0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
}

// canonical decodes data as T and, when that succeeds, checks that the value
// re-encodes to data exactly.
func canonical[T any](t *testing.T, data []byte) {
	c := mustFor[T](t)
	var v T
	if c.Decode(data, &v) != nil {
		return
	}
	again, err := c.Append(nil, &v)
	if err != nil {
		t.Fatalf("%T: decoded but cannot re-encode: %v", v, err)
	}
	if !bytes.Equal(again, data) {
		t.Fatalf("%T: decoded %x but re-encodes to %x", v, data, again)
	}
}

// stable is canonical for types with their own MarshalBinary, whose bytes
// the codec does not control: decode, encode, decode, encode must agree.
func stable[T any](t *testing.T, data []byte) {
	c := mustFor[T](t)
	var v T
	if c.Decode(data, &v) != nil {
		return
	}
	first, err := c.Append(nil, &v)
	if err != nil {
		t.Fatalf("%T: decoded but cannot re-encode: %v", v, err)
	}
	var w T
	if err := c.Decode(first, &w); err != nil {
		t.Fatalf("%T: re-encoding %x does not decode: %v", v, first, err)
	}
	second, _ := c.Append(nil, &w)
	if !bytes.Equal(first, second) {
		t.Fatalf("%T: unstable encoding %x then %x", v, first, second)
	}
}

func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		canonical[fuzzShape](t, data)
		canonical[map[string]string](t, data)
		canonical[[]int64](t, data)
		canonical[string](t, data)
		canonical[*[]*bool](t, data)
		canonical[graph](t, data)
		stable[benchReport](t, data)
		stable[[]*secretBox](t, data)
	})
}

func FuzzRoundTrip(f *testing.F) {
	f.Add("a,b,c", int64(42), uint64(0x7ff8000000000001), []byte("raw"), true, uint8(3), int32(3600))
	f.Add("", int64(math.MinInt64), uint64(0), []byte(nil), false, uint8(0), int32(-1))
	f.Fuzz(func(t *testing.T, s string, i int64, fbits uint64, raw []byte, flag bool, n uint8, zone int32) {
		in := fuzzShape{
			Scalars: allScalars{B: flag, I: int(i), I8: int8(i), U64: fbits, F32: math.Float32frombits(uint32(fbits)),
				F64: math.Float64frombits(fbits), C128: complex(math.Float64frombits(fbits), float64(i)), S: s},
			Bytes: raw,
			Fast:  map[string]int{},
			Slow:  map[int8][]string{},
		}
		for j, part := range strings.Split(s, ",") {
			in.Fast[part] = j
			in.Slow[int8(len(part))] = append(in.Slow[int8(len(part))], part)
			in.Tree.Children = append(in.Tree.Children, tree{Name: part})
		}
		for j := range int(n % 8) {
			in.List = &node{Val: j, Next: in.List}
		}
		got := roundTripBits(t, in)
		if math.Float64bits(got.Scalars.F64) != fbits || got.Scalars.S != s || !bytes.Equal(got.Bytes, raw) || (got.Bytes == nil) != (raw == nil) {
			t.Fatalf("scalars: got %+v", got.Scalars)
		}
		if !math.IsNaN(in.Scalars.F64) && !math.IsNaN(float64(in.Scalars.F32)) && !reflect.DeepEqual(got, in) {
			t.Fatalf("got %#v\nwant %#v", got, in)
		}
		// time.Time's own MarshalBinary rejects an offset of exactly -1
		// minute (its UTC marker) and garbles negative sub-minute offsets.
		offset := int(zone%(18*60)) * 60
		if offset == -60 {
			offset = 0
		}
		at := time.Unix(i%(1<<40), int64(fbits%1e9)).In(time.FixedZone("z", offset))
		gt := roundTripBits(t, withTime{At: at})
		if !gt.At.Equal(at) {
			t.Fatalf("time: got %v, want %v", gt.At, at)
		}
	})
}
