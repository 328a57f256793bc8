package keyenc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// Keyer is implemented by types that supply their own key bytes.
// AppendCacheKey appends a canonical encoding of the receiver to b and
// returns the extended slice; equal values must append equal bytes.
type Keyer interface {
	AppendCacheKey(b []byte) []byte
}

// MaxDepth is the deepest nesting of pointers, slices and maps an argument
// may have; deeper values (and cyclic ones) are rejected with [ErrCycle].
const MaxDepth = 1000

// ErrCycle is wrapped by the error for a value that is cyclic or nested
// deeper than [MaxDepth].
var ErrCycle = errors.New("cycle or nesting deeper than 1000")

// ErrUnhashable is wrapped by the error for a value whose type has no
// canonical encoding (interfaces, channels, funcs, unsafe.Pointer).
var ErrUnhashable = errors.New("type cannot be hashed")

// canonicalNaN is the one bit pattern every NaN is written as.
const canonicalNaN = 0x7FF8000000000001

// AppendBool appends one byte, 0 or 1.
func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// AppendInt appends v as 8 bytes little-endian.
func AppendInt(b []byte, v int64) []byte {
	return binary.LittleEndian.AppendUint64(b, uint64(v))
}

// AppendUint appends v as 8 bytes little-endian.
func AppendUint(b []byte, v uint64) []byte {
	return binary.LittleEndian.AppendUint64(b, v)
}

// AppendFloat appends the bits of v as 8 bytes little-endian, writing every
// NaN as the same bits.
func AppendFloat(b []byte, v float64) []byte {
	bits := math.Float64bits(v)
	if v != v {
		bits = canonicalNaN
	}
	return binary.LittleEndian.AppendUint64(b, bits)
}

// AppendComplex appends the real part, then the imaginary part, each as
// [AppendFloat] does.
func AppendComplex(b []byte, v complex128) []byte {
	return AppendFloat(AppendFloat(b, real(v)), imag(v))
}

// AppendString appends uvarint(len(s)), then the bytes of s.
func AppendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// AppendBytes appends uvarint(len(v)), then the bytes of v: the body of a
// non-nil []byte, after [AppendNonNil].
func AppendBytes(b []byte, v []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

// AppendLen appends n as a uvarint: the length of a slice or map.
func AppendLen(b []byte, n int) []byte {
	return binary.AppendUvarint(b, uint64(n))
}

// AppendNil appends the marker 0x00 of a nil pointer, slice or map.
func AppendNil(b []byte) []byte { return append(b, 0) }

// AppendNonNil appends the marker 0x01 that precedes a non-nil pointer's
// pointee, or a non-nil slice's or map's length.
func AppendNonNil(b []byte) []byte { return append(b, 1) }

// AppendTime appends t.Unix() and t.Nanosecond(), each as [AppendInt] does:
// the instant, whatever t's location or monotonic reading.
func AppendTime(b []byte, t time.Time) []byte {
	return AppendInt(AppendInt(b, t.Unix()), int64(t.Nanosecond()))
}

// BeginKeyer appends the 4-byte length placeholder of a [Keyer]'s encoding.
// The caller records len(b) before the call and hands it to [EndKeyer]
// after calling AppendCacheKey; generated code does this to call the method
// without converting the value to an interface.
func BeginKeyer(b []byte) []byte { return append(b, 0, 0, 0, 0) }

// EndKeyer fills in the length placeholder that [BeginKeyer] appended at
// b[start:]. It panics if b is shorter than the placeholder, which means an
// AppendCacheKey method did not append to the slice it was given.
func EndKeyer(b []byte, start int) []byte {
	n := len(b) - start - 4
	if n < 0 {
		panic(fmt.Sprintf("keyenc: AppendCacheKey returned %d bytes, fewer than it was given", len(b)))
	}
	binary.LittleEndian.PutUint32(b[start:], uint32(n))
	return b
}

// AppendKeyer appends k's encoding: a length, then the bytes that
// k.AppendCacheKey appends. A nil k appends a zero length.
func AppendKeyer(b []byte, k Keyer) []byte {
	start := len(b)
	b = BeginKeyer(b)
	if k != nil {
		b = k.AppendCacheKey(b)
	}
	return EndKeyer(b, start)
}

// CheckDepth returns an error wrapping [ErrCycle] if depth, the number of
// pointers, slices and maps entered so far, exceeds [MaxDepth].
func CheckDepth(depth int) error {
	if depth > MaxDepth {
		return depthError(depth)
	}
	return nil
}

// depthError is split out of CheckDepth to keep it inlinable.
func depthError(depth int) error {
	return fmt.Errorf("keyenc: encode at depth %d: %w", depth, ErrCycle)
}
