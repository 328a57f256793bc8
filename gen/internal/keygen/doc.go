// Package keygen emits reflection-free Go code that appends the canonical key
// encoding of a task's key parameters (the encoding is specified in
// runtime/internal/keyenc). The emitted code produces exactly the bytes of
// the runtime's reflective encoder, runtime.AppendAny; the property test in
// keytest holds the two together.
//
// An [Emitter] serves one generated file. [Emitter.Check] decides from a
// static type whether it can be encoded, and says why not; [Emitter.KeyFunc]
// emits one key function
//
//	func name(b []byte, p0 T0, p1 T1, ...) ([]byte, error)
//
// whose parameters are named by position (so no user name can shadow the
// runtime import, a helper or a builtin), and [Emitter.Decls] returns the
// key functions and the helpers they need, in the order they were asked for.
//
// # What the code looks like
//
// Scalars call one runtime primitive each (runtime.AppendInt(b, int64(p0)));
// strings, byte slices, pointers, slices, arrays, structs and maps are
// written inline, maps through runtime.MapEntries so entries are sorted by
// their encoded keys. A function whose arguments are all of fixed size
// (numbers, bools, strings and structs and arrays of them) allocates nothing
// when b has room.
//
// A named type that can reach itself (a linked list, a tree) gets a helper
//
//	func cachegenKeyList(b []byte, v *List, depth int) ([]byte, error)
//
// that counts the pointers, slices and maps entered and fails with an error
// wrapping runtime.ErrCycle past 1000, as the reflective encoder does.
// Non-recursive named types are inlined. Helper names start with cachegenKey
// and avoid every name declared in the package and every name emitted
// before.
//
// # Fallbacks to reflection
//
// Three cases call runtime.AppendAnyDepth instead of emitting code, which
// gives the same bytes: a parameter whose type mentions a type parameter
// (the key function declares it as any, so it needs no type parameters of
// its own); a recursive named type the generated package cannot name (an
// unexported type of another package); and any type the emitter cannot spell.
// When a type parameter is instantiated with an interface type, the value is
// encoded by its dynamic type.
//
// # Limits
//
// The emitted code converts with the predeclared names bool, int64, uint64,
// float64, complex128, string and byte, and calls len and append; a package
// that redeclares one of them at package level breaks the generated file.
package keygen
