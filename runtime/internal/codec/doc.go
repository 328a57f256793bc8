// Package codec is the binary encoding of cached results: a compact,
// self-contained format that round-trips every type the generator accepts,
// decodes untrusted bytes without panicking, and costs a small fraction of
// the store read on a hit.
//
// [For] compiles a type, the first time it is seen, into a plan: a tree of
// closures working on unsafe.Pointers to typed memory (reflect.Value calls
// would cost several times the work itself). Plans are kept in a cache keyed
// by reflect.Type; entries never change once stored, so losing one would
// only cost a recompilation. [Check] gives the verdict For would give; the
// generator mirrors it on go/types (gen/internal/valcheck), so a type the
// codec cannot round-trip is a generation error, not a silent miss.
//
// # What round-trips
//
//   - Any type T where *T has MarshalBinary() ([]byte, error) and
//     UnmarshalBinary([]byte) error (T's value methods count). This rule comes
//     first. It covers time.Time (instant, and zone offset as a fixed zone:
//     the zone's name is not kept, and an offset of exactly -1 minute, which
//     time.Time cannot marshal, is an encode error) and lets a type with
//     unexported fields opt in. AppendBinary is used when present. A struct
//     that has either method only through an embedded field is encoded field
//     by field instead, so struct{ time.Time; Name string } keeps its Name.
//   - bool; every int and uint kind and uintptr; float32/64 and
//     complex64/128 bit for bit (signed zeros, NaN payloads and signalling
//     NaNs kept); strings (any bytes).
//   - Slices and maps with nil and empty kept distinct; arrays; pointers with
//     nil kept. Only values are stored: two pointers to one variable decode as
//     pointers to two equal variables, and a decoded value shares no memory
//     with the input or with the previous contents of the target.
//   - Structs whose fields are all exported; blank (_) fields are skipped (and
//     zeroed on decode). Any other unexported field is an error naming it:
//     "field secret of pkg.Report is unexported and would be lost; export it
//     or implement encoding.BinaryMarshaler and BinaryUnmarshaler".
//   - Recursive types through pointers, slices and maps. Nesting is limited
//     to 1000 pointers, slices and maps on encode and on decode, so a cyclic
//     value or a hostile input is an error, never a stack overflow.
//
// Interfaces, channels, funcs and unsafe.Pointer are rejected with an
// *UnsupportedError whose path locates the part, e.g.
// "main.Out.Items[].R: field secret of main.Report is unexported ...".
//
// # Format
//
// A value is the concatenation of its parts, with no type information (the
// type is fixed by the cache key and the entry header's codec ID):
//
//	bool                 1 byte, 0 or 1
//	intN, uintN          N/8 bytes, little-endian, two's complement
//	int, uint, uintptr   8 bytes (the same on every platform)
//	floatN, complexN     IEEE 754 bits, little-endian, real part first
//	string               uvarint length, bytes
//	slice                uvarint 0 for nil, else 1+length, then elements
//	                     ([]byte and other uint8 slices: raw bytes)
//	array                elements (uint8 arrays: raw bytes)
//	map                  uvarint 0 for nil, else 1+length, then key, value
//	                     pairs sorted by the bytes of the encoded key, then value
//	pointer              byte 0 for nil, else 1 and the pointee
//	struct               exported fields in order
//	marshaler            uvarint length, then MarshalBinary's bytes
//
// The encoding is canonical: equal values encode equally (maps are sorted),
// and the decoder accepts only canonical input (shortest varints, 0 or 1 for
// bools and pointer tags, sorted and distinct map keys, no trailing bytes),
// so any input that decodes re-encodes to the same bytes. The decoder checks
// every length prefix against the bytes left before it allocates: n elements
// need at least n times the element's minimum encoded size. Short strings
// are carved from a shared arena sized by the input, so decoding many small
// strings costs one allocation.
//
// # Why this format: measurements
//
// Measured with
//
//	go test ./runtime/internal/codec -run '^$' -bench . -count 5
//
// on linux/amd64 (go env GOARCH: amd64), nproc 2, CPU "AMD EPYC" (as
// /proc/cpuinfo names it), Go 1.26, for the shape: a struct of a
// string, a float64, 5 tags, a 5-entry map[string]int and a time.Time
// (benchReport). The machine is shared and noisy; medians of 5 runs:
//
//	                     encode                   decode
//	encoding/gob   8567 ns  31 allocs     35139 ns  208 allocs  (fresh coder per value)
//	encoding/json  4095 ns  13 allocs      9414 ns   29 allocs
//	this codec     1407 ns   4 allocs      2072 ns    8 allocs
//	by-hand floor                          1114 ns   14 allocs
//
// The floor is a hand-written, reflection-free decoder of the same bytes
// (what generated code could do). On a quiet moment of the same machine the
// decode figures were 800 ns for this codec and 560 ns for the floor, against
// a store read of about 20 µs: decoding does not dominate a hit.
//
// Integers are fixed width because BenchmarkIntFormat decoded 1000 of them
// in a median 5760 ns fixed-width against 11112 ns as zigzag varints; the
// varints would have saved 45% of the bytes (4358 against 8000).
package codec
