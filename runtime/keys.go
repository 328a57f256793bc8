package runtime

import (
	"time"

	"github.com/cachegen/cachegen/runtime/internal/keyenc"
)

// This file exposes the canonical key encoding to generated code. Each
// primitive is a thin, inlinable wrapper: generated key functions call them
// directly, so the argument part of a key is built without reflection or
// allocation. The full specification is in runtime/internal/keyenc; in
// short, each key argument is appended in order, by its static type:
//
//   - a Keyer: a 4-byte little-endian length, then its AppendCacheKey bytes;
//   - time.Time: Unix seconds and nanoseconds (the instant; zone and monotonic
//     reading ignored);
//   - bool as one byte; integers as 8 bytes little-endian of int64 or uint64;
//     floats as the bits of float64 with one NaN, +0 and -0 distinct;
//     complex numbers as two floats; strings as uvarint length and bytes;
//   - pointers, slices and maps: 0x00 for nil, else 0x01 then the pointee, or
//     the uvarint length and the elements ([]byte as raw bytes), or the
//     length and the entries sorted by their encoded keys;
//   - arrays as their elements; structs as every non-blank field in order,
//     unexported ones included;
//   - interfaces, channels, funcs and unsafe.Pointer have no encoding.
//
// Nesting deeper than 1000 pointers, slices and maps (so any cycle) is an
// error wrapping ErrCycle.

// Keyer is implemented by a type that supplies its own key bytes.
// Implement it when the default encoding does not fit: the type holds an
// interface, channel or func; it has unexported fields in another package
// than the generated code's; it carries state that must not count (a cache,
// a mutex, a logger); or equal values have different representations. The
// method must append a canonical encoding of the receiver to b and return
// the result; equal values must append equal bytes. It is used when the
// parameter's static type (its value method set) has the method.
type Keyer = keyenc.Keyer

// MapEntries collects encoded map entries so they can be appended sorted by
// their encoded keys; for generated code.
type MapEntries = keyenc.MapEntries

// ErrCycle is wrapped by the key error of an argument that is cyclic or
// nested more than 1000 pointers, slices and maps deep.
var ErrCycle = keyenc.ErrCycle

// ErrUnhashable is wrapped by the key error of an argument whose type has no
// canonical encoding: interfaces, channels, funcs and unsafe.Pointer.
var ErrUnhashable = keyenc.ErrUnhashable

// AppendBool appends the key encoding of a bool; for generated code.
func AppendBool(b []byte, v bool) []byte { return keyenc.AppendBool(b, v) }

// AppendInt appends the key encoding of a signed integer; for generated code.
func AppendInt(b []byte, v int64) []byte { return keyenc.AppendInt(b, v) }

// AppendUint appends the key encoding of an unsigned integer; for generated
// code.
func AppendUint(b []byte, v uint64) []byte { return keyenc.AppendUint(b, v) }

// AppendFloat appends the key encoding of a float (one NaN, signed zeros
// distinct); for generated code.
func AppendFloat(b []byte, v float64) []byte { return keyenc.AppendFloat(b, v) }

// AppendComplex appends the key encoding of a complex number; for generated
// code.
func AppendComplex(b []byte, v complex128) []byte { return keyenc.AppendComplex(b, v) }

// AppendString appends the key encoding of a string; for generated code.
func AppendString(b []byte, v string) []byte { return keyenc.AppendString(b, v) }

// AppendBytes appends the length and bytes of the body of a non-nil []byte;
// for generated code.
func AppendBytes(b []byte, v []byte) []byte { return keyenc.AppendBytes(b, v) }

// AppendLen appends the length of a slice or map; for generated code.
func AppendLen(b []byte, n int) []byte { return keyenc.AppendLen(b, n) }

// AppendNil appends the marker of a nil pointer, slice or map; for
// generated code.
func AppendNil(b []byte) []byte { return keyenc.AppendNil(b) }

// AppendNonNil appends the marker of a non-nil pointer, slice or map; for
// generated code.
func AppendNonNil(b []byte) []byte { return keyenc.AppendNonNil(b) }

// AppendTime appends the key encoding of a time.Time (its instant); for
// generated code.
func AppendTime(b []byte, t time.Time) []byte { return keyenc.AppendTime(b, t) }

// AppendKeyer appends a length-prefixed k.AppendCacheKey(...); for generated
// code and hand-written Keyers that contain Keyers.
func AppendKeyer(b []byte, k Keyer) []byte { return keyenc.AppendKeyer(b, k) }

// BeginKeyer appends the length placeholder of a Keyer's encoding; for
// generated code, which records len(b) first and passes it to EndKeyer.
func BeginKeyer(b []byte) []byte { return keyenc.BeginKeyer(b) }

// EndKeyer fills in the length placeholder that BeginKeyer appended at
// b[start:]; for generated code.
func EndKeyer(b []byte, start int) []byte { return keyenc.EndKeyer(b, start) }

// CheckDepth returns an error wrapping ErrCycle when depth exceeds 1000; for
// generated code.
func CheckDepth(depth int) error { return keyenc.CheckDepth(depth) }

// AppendAny appends the key encoding of v using reflection, with v's dynamic
// type as its static type; a nil v is an error wrapping ErrUnhashable. It
// produces the same bytes as generated encoders.
func AppendAny(b []byte, v any) ([]byte, error) { return keyenc.AppendAnyDepth(b, v, 0) }

// AppendAnyDepth is AppendAny for a value nested depth pointers, slices and
// maps deep; for generated code, which calls it for type parameters.
func AppendAnyDepth(b []byte, v any, depth int) ([]byte, error) {
	return keyenc.AppendAnyDepth(b, v, depth)
}
