// Package valcheck decides at generation time whether a function's result
// type can be stored in the cache. It mirrors, on go/types, the rules of the
// runtime codec (runtime/internal/codec.Check), so a result type the codec
// would reject, or round-trip unfaithfully, is a generation error instead of
// a silent miss (or, worse, a silently wrong hit) at run time.
//
// The rules, in order:
//
//   - A type T whose pointer type *T has both MarshalBinary() ([]byte, error)
//     and UnmarshalBinary([]byte) error is stored through those methods
//     (time.Time is accepted this way, and a type with unexported fields can
//     opt in). A struct that gets either method only by embedding a field
//     is not: it is checked field by field, so its own fields are not lost.
//   - Booleans, numbers and strings are accepted.
//   - Slices, arrays, maps (key and value) and pointers are accepted when
//     their element types are.
//   - Structs are accepted when every non-blank field is exported and
//     accepted; blank (_) fields are skipped.
//   - Interfaces, channels, funcs and unsafe.Pointer are rejected.
//   - Type parameters are accepted: the instantiated type is checked by the
//     codec at run time.
//
// Aliases are resolved, and recursive types terminate (a named type is
// checked once). Errors read "path: reason", where path starts at the
// checked type, e.g.
//
//	report.Out.Items[]: field secret of report.Item is unexported and would be lost; export it or implement encoding.BinaryMarshaler and BinaryUnmarshaler
package valcheck
