package codec

import (
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// decodeErr decodes data as T and returns the error, failing the test if the
// decode succeeds.
func decodeErr[T any](t *testing.T, data []byte) error {
	t.Helper()
	c := mustFor[T](t)
	var v T
	err := c.Decode(data, &v)
	if err == nil {
		t.Errorf("Decode(%x) into %T succeeded: %#v", data, v, v)
	}
	return err
}

// TestTruncated checks that every proper prefix of a valid encoding, and
// every encoding with a byte appended, is an error.
func TestTruncated(t *testing.T) {
	c := mustFor[benchReport](t)
	data, err := c.Append(nil, newBenchReport())
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		var r benchReport
		if err := c.Decode(data[:i], &r); err == nil {
			t.Errorf("prefix of %d/%d bytes decoded", i, len(data))
		}
	}
	var r benchReport
	if err := c.Decode(append(data, 0), &r); err == nil || !strings.Contains(err.Error(), "trailing") {
		t.Errorf("trailing byte: err = %v", err)
	}
}

func TestMalformed(t *testing.T) {
	t.Run("bool", func(t *testing.T) { decodeErr[bool](t, []byte{2}) })
	t.Run("pointer tag", func(t *testing.T) { decodeErr[*bool](t, []byte{2, 1}) })
	t.Run("overlong varint", func(t *testing.T) { decodeErr[string](t, []byte{0x81, 0x00, 'a'}) })
	t.Run("varint overflow", func(t *testing.T) {
		decodeErr[string](t, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	})
	t.Run("map out of order", func(t *testing.T) {
		decodeErr[map[string]bool](t, []byte{3, 1, 'b', 1, 1, 'a', 1})
	})
	t.Run("map duplicate", func(t *testing.T) {
		decodeErr[map[string]bool](t, []byte{3, 1, 'a', 0, 1, 'a', 1})
	})
	t.Run("map duplicate slow path", func(t *testing.T) {
		decodeErr[map[int8]bool](t, []byte{3, 1, 0, 1, 1})
	})
	t.Run("map +0 and -0", func(t *testing.T) {
		var b []byte
		b = append(b, 3)
		b = binary.LittleEndian.AppendUint64(b, 0)
		b = append(b, 1)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(math.Copysign(0, -1)))
		b = append(b, 1)
		decodeErr[map[float64]bool](t, b)
	})
	t.Run("map of empty keys", func(t *testing.T) { decodeErr[map[emptyStruct]bool](t, []byte{3, 1, 1}) })
	t.Run("marshaler length", func(t *testing.T) { decodeErr[secretBox](t, []byte{5, 'a'}) })
}

// TestHugeLengths checks that a length prefix the input cannot back is an
// error before anything is allocated.
func TestHugeLengths(t *testing.T) {
	huge := binary.AppendUvarint(nil, 1<<62)
	cases := map[string]func() error{
		"string":      func() error { return decodeErr[string](t, huge) },
		"bytes":       func() error { return decodeErr[[]byte](t, huge) },
		"ints":        func() error { return decodeErr[[]int64](t, huge) },
		"structs":     func() error { return decodeErr[[]allScalars](t, huge) },
		"map":         func() error { return decodeErr[map[string]string](t, huge) },
		"reflect map": func() error { return decodeErr[map[int8]int8](t, huge) },
		"only blank":  func() error { return decodeErr[[]onlyBlank](t, huge) },
		"marshaler":   func() error { return decodeErr[secretBox](t, huge) },
	}
	for name, decode := range cases {
		// The decoder itself and the error's formatting allocate a little;
		// a 2^62-element allocation would not return at all, and even a
		// capped one would show here.
		if n := bytesAllocated(func() { _ = decode() }); n > 16<<10 {
			t.Errorf("%s: %d bytes allocated for a rejected length", name, n)
		}
	}
	// Zero-size elements cost no memory, so any length is fine.
	c := mustFor[[]emptyStruct](t)
	var v []emptyStruct
	if err := c.Decode(huge, &v); err != nil || len(v) != 1<<62-1 {
		t.Errorf("[]struct{} of 2^62-1: len %d, err %v", len(v), err)
	}
}

// TestMaxEmptyElems checks that slices of elements that encode to nothing
// but take memory are bounded on both sides.
func TestMaxEmptyElems(t *testing.T) {
	c := mustFor[[]onlyBlank](t)
	if _, err := c.Append(nil, new(make([]onlyBlank, maxEmptyElems))); err != nil {
		t.Errorf("%d elements: %v", maxEmptyElems, err)
	}
	if _, err := c.Append(nil, new(make([]onlyBlank, maxEmptyElems+1))); err == nil {
		t.Errorf("%d elements encoded", maxEmptyElems+1)
	}
}

// bytesAllocated reports how many heap bytes f allocates.
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
