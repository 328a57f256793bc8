// Package jsonkey turns key arguments written as JSON into the canonical key
// encoding (runtime/internal/keyenc), driven by the go/types type of each
// key parameter. It lets `cachegen explain` compute the object name of a
// call from the arguments a person types on the command line, without
// compiling or running the user's program.
//
// # Reading JSON as Go values
//
// A JSON value is read as encoding/json would read it into a value of the
// parameter's type, and the value is then encoded as the runtime's
// reflective encoder (runtime.AppendAny) would encode it; the tests hold
// Encode(nil, T, json.Marshal(v)) equal to runtime.AppendAny(nil, v) for
// many values. Per type:
//
//   - bool: true or false.
//   - integers: a JSON number with no fraction or exponent, in the type's
//     range (int, uint and uintptr are 64 bits wide).
//   - floats: a number, or one of the strings "NaN", "Inf", "+Inf", "-Inf";
//     a float32 is rounded to float32 first.
//   - complex numbers: a two-element array [re, im] of such floats.
//   - string: a JSON string.
//   - []byte (any slice whose element kind is uint8 and is not a Keyer):
//     a base64 string (standard alphabet, padded, as encoding/json writes
//     it), an array of numbers, or null for nil. Byte arrays accept the same
//     two forms and must have exactly the array's length.
//   - slices: an array, or null for nil. Arrays: an array of exactly the
//     array's length.
//   - maps: an object, or null for nil. Keys are read from the member names:
//     as they are for string keys, parsed as integers for integer keys. Two
//     members naming the same Go key are an error.
//   - pointers: null for nil, else the pointee.
//   - structs: an object whose members name fields: the json tag's name if
//     the tag gives one, else the Go name. Unexported fields and fields
//     tagged `json:"-"` are named by their Go name. Members are matched
//     exactly, then ignoring case. The fields of an untagged embedded
//     struct may be written at the outer level, as encoding/json writes
//     them, or inside a member named after the embedded field. A missing
//     field is its zero value; an unknown member is an error. The ",string"
//     tag option is honoured for bool, number and string fields.
//   - time.Time: an RFC 3339 string; only the instant counts.
//
// null is accepted only where Go has a nil. A type that implements
// runtime.Keyer supplies its own bytes, which only its code can compute, so
// it is an error that suggests `cachegen explain -digest`; interfaces,
// channels, funcs and unsafe.Pointer have no key encoding at all.
//
// # Limits
//
// Types with their own MarshalJSON or MarshalText are read by their Go
// structure, not by their JSON form. A field that json.Marshal leaves out
// (omitempty on an empty but non-nil slice, a json:"-" field) reads as its
// zero value, so such a value must be written out in full to give the key
// the program computes.
package jsonkey
