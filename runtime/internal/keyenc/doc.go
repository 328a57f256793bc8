// Package keyenc defines cachegen's canonical encoding of key arguments and
// implements it twice over: as small append primitives that generated,
// reflection-free encoders call, and as a reflective encoder ([Append],
// [AppendAny]) for values whose type is only known at run time (type
// parameters, and tests). Both must produce identical bytes; the property
// test in gen/internal/keygen/keytest holds them together.
//
// # The encoding
//
// A key argument list is encoded by appending each key parameter's value in
// order. The rules below are checked in this order, on the static type T of
// the value:
//
//  1. Keyer. If T (its value method set) implements [Keyer], a 4-byte
//     little-endian uint32 length placeholder is appended, then
//     v.AppendCacheKey(b) is called, then the placeholder is filled in with the
//     number of bytes the method appended. A nil value of an interface type
//     that is a Keyer appends a zero length and calls nothing.
//  2. time.Time (exactly that type): t.Unix() as an int64, then
//     int64(t.Nanosecond()) as an int64: the instant, with location and
//     monotonic reading ignored.
//  3. By kind:
//     - bool: one byte, 0 or 1.
//     - int, int8, int16, int32, int64: 8 bytes little-endian of int64(v).
//     - uint, uint8, uint16, uint32, uint64, uintptr: 8 bytes little-endian of
//     uint64(v).
//     - float32, float64: the bits of float64(v), 8 bytes little-endian. Every
//     NaN is written as 0x7FF8000000000001; +0 and -0 stay distinct.
//     - complex64, complex128: the real part, then the imaginary part, each as
//     a float.
//     - string: uvarint(len), then the bytes.
//     - slice: nil is the byte 0x00; otherwise 0x01, uvarint(len), then the
//     elements. If the element kind is uint8 and the element type is not a
//     Keyer, the raw bytes are written instead of elements.
//     - array: the elements, with no length (the type is part of the code
//     fingerprint); element kind uint8 (not a Keyer) is written as raw bytes.
//     - map: nil is 0x00; otherwise 0x01, uvarint(len), then the entries
//     sorted by their encoded key bytes (bytes.Compare), each entry being the
//     encoded key followed by the encoded value. Keys that encode equally
//     (several NaNs, distinct pointers to equal values) are ordered by their
//     encoded values, so the result never depends on iteration order.
//     - pointer: nil is 0x00; otherwise 0x01, then the pointee.
//     - struct: every field in declaration order, exported and unexported,
//     except blank (_) fields.
//     - interface, chan, func and unsafe.Pointer cannot be encoded: the
//     error wraps [ErrUnhashable] and names the type.
//  4. Cycles and depth. Entering a pointer, slice or map value (nil or not)
//     adds one to a depth counter that starts at 0 for each argument; a depth
//     above [MaxDepth] (1000) is an error wrapping [ErrCycle]. Encoding is
//     depth first and stops at the first error, so a cyclic value fails after
//     at most MaxDepth steps down, never loops and never overflows the stack.
//
// The encoding is prefix-free: no encoded value of a type is a proper prefix
// of another encoded value of the same type, which is what makes sorting map
// entries by their encoded bytes well defined.
//
// # Limits
//
// A value that shares substructure (a DAG reached through pointers, such as
// a chain of nodes each pointing twice at the next) is encoded as the tree it
// unfolds to, which can be exponentially larger than the value. A Keyer must
// append to the slice it is given and return the result.
//
// # The plan cache
//
// The reflective encoder compiles one encoder plan per reflect.Type and keeps
// it in a package-level sync.Map. The cache is the only package-level state:
// it is filled on demand, never invalidated (types do not change), and
// holds only pure functions of the type.
package keyenc
