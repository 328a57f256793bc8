// Package fingerprint computes the code fingerprint of a cachegen task: a
// digest that changes exactly when the meaning of the task's code may have
// changed, and stays the same across comment-only and layout-only edits.
//
// A [Fingerprint] is built from [Part]s, each hashed on its own so other tools
// can carry and compare them (the analyzer as facts, cachegen explain as a
// [Diff]):
//
//   - "decl": the task's declaration (receiver, name, type parameters,
//     parameters, results, body) as a canonical AST text with comments and
//     positions dropped. Identifiers that denote package-level objects carry
//     their package path, so switching an import changes the text.
//   - "signature": receiver (T and *T differ), type parameters with their
//     constraints, parameter and result names and fully qualified types, and
//     the structure (fields, names, tags, embedding, element types) of every
//     named type reachable from them in any package.
//   - "func", "method", "type", "const", "var": every package-level object of
//     the task's own module that the task reaches statically, transitively:
//     functions and methods (called or used as values, promoted ones and
//     instantiated generics by their origin) by their declaration's AST,
//     constants by type and exact value, variables by type and the AST of
//     their declaration spec, named types by type parameters and underlying
//     structure. Each object is hashed once, so cycles terminate, and an
//     object's hash never includes another object's hash.
//   - "module": a module other than the task's own that a reached object or a
//     signature type lives in, by its version from the build list; a module
//     replaced by another module by "path@version"; one replaced by a local
//     directory (or another workspace module) by a hash of its non-test .go
//     files.
//   - "go": the language version of the task's module (the go line of go.mod),
//     which stands for the standard library and the language's semantics. It
//     is always present.
//   - "options": the key-affecting directive options (version=, key=,
//     ignore=; the ignore list sorted and deduplicated).
//
// With version=V the decl part hashes the declaration without its body plus
// V, and nothing reached from the body is followed; the signature and the
// type parts reached from it still count.
//
// The digest is xxhash64 over the sorted (kind, name, hash) triples, prefixed
// by a format version; positions never count.
//
// The canonical AST text drops what gofmt may change or what cannot change
// meaning: positions, comments, parentheses (the tree already groups), an
// empty result list, and the spelling of literals (written by exact value,
// so 0x10 and 16 read the same). gofmt -s rewrites (elided composite
// literal types) do change it.
//
// # Interface conversions
//
// Where reached code converts a value of a concrete type to an interface
// (explicitly, or in a call argument, assignment, declaration, return,
// composite literal, send, panic or append), every method of that type and
// of the named types in its fields and elements is followed, because code we cannot see may call it: sort.Sort calls Less,
// fmt calls String, encoding/json calls MarshalJSON. This over-approximates
// on purpose.
//
// # Not followed
//
// Some dependencies cannot be seen statically; they are listed in
// Fingerprint.NotFollowed instead of hashed: dynamic calls through interface
// methods or type-parameter methods (the interface type counts) and through
// function values (the func type counts; a package-level variable holding
// the function is followed as a variable), init functions of reached
// packages, and files embedded with //go:embed. Methods reached only through
// reflection (reflect.Value.MethodByName) are not seen at all.
//
// # Loading
//
// [Load] loads the root packages and every package of their module that they
// import with syntax and type information, the rest from export data, and
// returns a [Program] that caches per-object hashes across tasks.
package fingerprint
