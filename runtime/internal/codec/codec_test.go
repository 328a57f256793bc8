package codec

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// roundTrip encodes v, decodes it into a zero and a non-zero T, and checks
// both against want (DeepEqual) and that re-encoding gives the same bytes.
func roundTrip[T any](t *testing.T, v T, dirty T) []byte {
	t.Helper()
	c := mustFor[T](t)
	data, err := c.Append(nil, &v)
	if err != nil {
		t.Fatalf("Append(%#v): %v", v, err)
	}
	var got T
	if err := c.Decode(data, &got); err != nil {
		t.Fatalf("Decode(Append(%#v)): %v", v, err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Errorf("round trip of %T:\n got %#v\nwant %#v", v, got, v)
	}
	again, err := c.Append(nil, &got)
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("re-encoding %T: %x, %v; want %x", v, again, err, data)
	}
	if err := c.Decode(data, &dirty); err != nil {
		t.Fatalf("Decode into non-zero %T: %v", v, err)
	}
	if !reflect.DeepEqual(dirty, v) {
		t.Errorf("decode into non-zero %T:\n got %#v\nwant %#v", v, dirty, v)
	}
	return data
}

func TestRoundTrip(t *testing.T) {
	x := 7
	t.Run("scalars", func(t *testing.T) {
		roundTrip(t, allScalars{}, allScalars{B: true, S: "old", F64: 3})
		roundTrip(t, allScalars{
			B: true, I: math.MinInt64, I8: math.MinInt8, I16: -2, I32: math.MaxInt32, I64: math.MaxInt64,
			U: math.MaxUint64, U8: 255, U16: 65535, U32: 1 << 31, U64: math.MaxUint64, UP: 42,
			F32: -1.5, F64: math.Inf(-1), C64: complex(1, -2), C128: complex(math.MaxFloat64, math.SmallestNonzeroFloat64),
			S: "héllo\x00\xff", M: -300,
		}, allScalars{})
	})
	t.Run("top-level", func(t *testing.T) {
		roundTrip(t, true, false)
		roundTrip(t, int32(-5), 9)
		roundTrip(t, "", "dirty")
		roundTrip(t, myString("named"), "")
		roundTrip(t, [0]int{}, [0]int{})
		roundTrip(t, [3]string{"a", "", "c"}, [3]string{"x", "y", "z"})
		roundTrip(t, [4]byte{1, 2, 3, 4}, [4]byte{9, 9, 9, 9})
		roundTrip(t, [2]myByte{5, 6}, [2]myByte{})
	})
	t.Run("slices", func(t *testing.T) {
		roundTrip(t, []int(nil), []int{1})
		roundTrip(t, []int{}, nil)
		roundTrip(t, []int{1, -1, 3}, []int{9, 9, 9, 9, 9})
		roundTrip(t, []byte(nil), []byte{1})
		roundTrip(t, []byte{}, nil)
		roundTrip(t, []byte{0, 1, 255}, []byte{7})
		roundTrip(t, myBytes{1}, nil)
		roundTrip(t, []myByte{1, 2}, nil)
		roundTrip(t, [][]string{nil, {}, {"a"}}, [][]string{{"q"}})
		roundTrip(t, []emptyStruct{{}, {}, {}}, nil)
		roundTrip(t, []onlyBlank{{}, {}}, nil)
		roundTrip(t, []byteMarshaler{1, 2}, nil)
	})
	t.Run("maps", func(t *testing.T) {
		roundTrip(t, map[string]int(nil), map[string]int{"a": 1})
		roundTrip(t, map[string]int{}, nil)
		roundTrip(t, map[string]int{"a": 1, "b": 2, "": 0}, map[string]int{"z": 26})
		roundTrip(t, counts{"x": 1, "y": 2}, nil)
		roundTrip(t, map[int]string{-1: "m", 0: "z", 1 << 40: "big"}, nil)
		roundTrip(t, map[[2]int]*int{{1, 2}: &x, {3, 4}: nil}, nil)
		roundTrip(t, map[float64]bool{math.Inf(1): true, -0.5: false}, nil)
		roundTrip(t, map[emptyStruct]int{{}: 3}, nil)
		roundTrip(t, map[bool][]string{true: nil, false: {}}, nil)
		roundTrip(t, map[myString]map[int8]uint{"a": {1: 2}, "b": nil}, nil)
	})
	t.Run("pointers", func(t *testing.T) {
		roundTrip[*int](t, nil, &x)
		roundTrip(t, &x, nil)
		p := &x
		roundTrip(t, &p, nil)
		var nilp *int
		roundTrip(t, &nilp, nil)
		roundTrip(t, &node{1, &node{2, nil}}, &node{9, &node{8, &node{7, nil}}})
	})
	t.Run("structs", func(t *testing.T) {
		roundTrip(t, withBlank{A: 1, B: "b"}, withBlank{A: 2, B: "x"})
		roundTrip(t, embedded{Inner: Inner{"a", "b"}, Other: &Other{C: []int{1}}, X: 3}, embedded{})
		roundTrip(t, embedded{}, embedded{Other: &Other{}})
		roundTrip(t, tree{"root", []tree{{"a", nil}, {"b", []tree{{"c", []tree{}}}}}}, tree{})
		g := &graph{Edges: map[string]*graph{"leaf": {}, "nil": nil}}
		roundTrip(t, graph{Edges: map[string]*graph{"g": g}}, graph{})
	})
	t.Run("marshalers", func(t *testing.T) {
		roundTrip(t, secretBox{secret: "s3cr3t"}, secretBox{secret: "old"})
		roundTrip(t, []*secretBox{{"a"}, nil}, nil)
		roundTrip(t, map[string]secretBox{"k": {"v"}}, nil)
		roundTrip(t, byteMarshaler(7), 1)
		at := time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)
		roundTrip(t, stampedReport{Time: at, Name: "kept"}, stampedReport{})
		roundTrip(t, stampedPtr{Time: &at, Name: "kept"}, stampedPtr{})
		roundTrip(t, stampedPtr{}, stampedPtr{Time: &at})
	})
}

// TestFloatBits checks that floats round-trip bit for bit, NaN payloads and
// signalling NaNs included, for float32 and complex64 too.
func TestFloatBits(t *testing.T) {
	f64s := []uint64{0, 1 << 63, 0x7ff8000000000001, 0x7ff0000000000001, 0xfff4000000000abc, 0x7ff0000000000000}
	for _, bits := range f64s {
		v := math.Float64frombits(bits)
		got := roundTripBits(t, v)
		if math.Float64bits(got) != bits {
			t.Errorf("float64 %#x came back as %#x", bits, math.Float64bits(got))
		}
	}
	f32s := []uint32{0, 1 << 31, 0x7fc00001, 0x7f800001, 0xff812345}
	for _, bits := range f32s {
		v := math.Float32frombits(bits)
		got := roundTripBits(t, v)
		if math.Float32bits(got) != bits {
			t.Errorf("float32 %#x came back as %#x", bits, math.Float32bits(got))
		}
		c := complex(v, math.Float32frombits(bits^1))
		gc := roundTripBits(t, c)
		if math.Float32bits(real(gc)) != bits || math.Float32bits(imag(gc)) != bits^1 {
			t.Errorf("complex64 of %#x came back as %#x, %#x", bits, math.Float32bits(real(gc)), math.Float32bits(imag(gc)))
		}
	}
	// Two NaN keys are two entries; the map must survive with both.
	m := map[float64]int{math.NaN(): 1, math.Float64frombits(0x7ff8000000000002): 2, 0: 0}
	got := roundTripBits(t, m)
	if len(got) != 3 {
		t.Errorf("map with NaN keys: got %d entries, want 3", len(got))
	}
}

func roundTripBits[T any](t *testing.T, v T) T {
	t.Helper()
	c := mustFor[T](t)
	data, err := c.Append(nil, &v)
	if err != nil {
		t.Fatal(err)
	}
	var got T
	if err := c.Decode(data, &got); err != nil {
		t.Fatal(err)
	}
	again, _ := c.Append(nil, &got)
	if !bytes.Equal(again, data) {
		t.Errorf("re-encoding %T: %x, want %x", v, again, data)
	}
	return got
}

func TestTimeZones(t *testing.T) {
	instant := time.Date(2024, 2, 29, 23, 59, 58, 999999999, time.UTC)
	for _, loc := range []*time.Location{time.UTC, time.FixedZone("CEST", 2*3600), time.FixedZone("", -(9*3600 + 30*60)), time.FixedZone("odd", 3661)} {
		in := withTime{At: instant.In(loc)}
		got := roundTripBits(t, in)
		_, wantOff := in.At.Zone()
		_, gotOff := got.At.Zone()
		if !got.At.Equal(in.At) || gotOff != wantOff {
			t.Errorf("time in %v: got %v (offset %d), want %v (offset %d)", loc, got.At, gotOff, in.At, wantOff)
		}
	}
	var zero withTime
	if got := roundTripBits(t, zero); !got.At.IsZero() {
		t.Errorf("zero time came back as %v", got.At)
	}
}

// TestNoSharing checks that a decoded value shares no memory with the input.
func TestNoSharing(t *testing.T) {
	type T struct {
		B []byte
		S string
		A [2]byte
	}
	c := mustFor[T](t)
	data, _ := c.Append(nil, &T{B: []byte("bytes"), S: "str", A: [2]byte{1, 2}})
	var got T
	if err := c.Decode(data, &got); err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] ^= 0xff
	}
	if string(got.B) != "bytes" || got.S != "str" || got.A != [2]byte{1, 2} {
		t.Errorf("decoded value changed with its input: %+v", got)
	}
}

// TestPointerAliasing documents that aliasing is not preserved: two pointers
// to one variable come back as pointers to two equal variables.
func TestPointerAliasing(t *testing.T) {
	x := 1
	in := [2]*int{&x, &x}
	got := roundTripBits(t, in)
	if *got[0] != 1 || *got[1] != 1 || got[0] == got[1] {
		t.Errorf("got %v, %v (same pointer: %v); want two distinct pointers to 1", *got[0], *got[1], got[0] == got[1])
	}
}

func TestDepthLimit(t *testing.T) {
	c := mustFor[node](t)
	build := func(n int) *node {
		var head *node
		for i := range n {
			head = &node{Val: i, Next: head}
		}
		return head
	}
	// The root node is not behind a pointer: n nodes nest n-1 pointers.
	if _, err := c.Append(nil, build(maxDepth+1)); err != nil {
		t.Errorf("list of %d: %v", maxDepth+1, err)
	}
	if _, err := c.Append(nil, build(maxDepth+2)); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("list of %d: err = %v, want depth error", maxDepth+2, err)
	}
	cyc := &node{Val: 1}
	cyc.Next = cyc
	if _, err := c.Append(nil, cyc); err == nil {
		t.Error("cyclic list encoded without error")
	}
	// A hostile input nesting pointers far deeper than any valid one.
	var deep []byte
	for range 100000 {
		deep = append(deep, 0, 0, 0, 0, 0, 0, 0, 0, 1)
	}
	var n node
	if err := c.Decode(deep, &n); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("deep input: err = %v, want depth error", err)
	}
	// Nested slices of trees count too.
	tc := mustFor[tree](t)
	var in []byte
	for range 5000 {
		in = append(in, 0, 2) // name "", one child
	}
	var tr tree
	if err := tc.Decode(in, &tr); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("deep tree input: err = %v, want depth error", err)
	}
}

func TestMarshalerFailures(t *testing.T) {
	pc := mustFor[panicky](t)
	if _, err := pc.Append(nil, &panicky{}); err == nil || !strings.Contains(err.Error(), "marshal boom") {
		t.Errorf("panicking MarshalBinary: err = %v", err)
	}
	var p panicky
	if err := pc.Decode([]byte{1, 'x'}, &p); err == nil || !strings.Contains(err.Error(), "unmarshal boom") {
		t.Errorf("panicking UnmarshalBinary: err = %v", err)
	}
	fc := mustFor[failing](t)
	if _, err := fc.Append(nil, &failing{}); !errorsIs(err, errFailing) {
		t.Errorf("failing MarshalBinary: err = %v", err)
	}
	var f failing
	if err := fc.Decode([]byte{0}, &f); !errorsIs(err, errFailing) {
		t.Errorf("failing UnmarshalBinary: err = %v", err)
	}
}

func TestNilPointerArgs(t *testing.T) {
	c := mustFor[int](t)
	if _, err := c.Append(nil, nil); err == nil {
		t.Error("Append(nil) succeeded")
	}
	if err := c.Decode([]byte{0, 0, 0, 0, 0, 0, 0, 0}, nil); err == nil {
		t.Error("Decode into nil succeeded")
	}
}

// TestForIsCached checks that For compiles once per type.
func TestForIsCached(t *testing.T) {
	a, b := mustFor[tree](t), mustFor[tree](t)
	if a.p != b.p {
		t.Error("For returned two plans for one type")
	}
}

// TestConcurrentUse compiles and uses codecs from many goroutines at once
// (run with -race).
func TestConcurrentUse(t *testing.T) {
	type fresh struct {
		A map[int8][]string
		B *tree
	}
	in := fresh{A: map[int8][]string{1: {"x"}, 2: nil}, B: &tree{Name: "n"}}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			c, err := For[fresh]()
			if err == nil {
				var data []byte
				if data, err = c.Append(nil, &in); err == nil {
					var out fresh
					err = c.Decode(data, &out)
					if err == nil && !reflect.DeepEqual(out, in) {
						err = errors.New("round trip differs")
					}
				}
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
