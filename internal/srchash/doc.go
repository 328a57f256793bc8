// Package srchash hashes Go declarations from syntax alone, and checks a
// task's recorded sources against the files of its module.
//
// The generator records, for each task, the declarations of its module
// that its fingerprint covers (its own declaration with its directives,
// the helpers, types, constants and variables it reaches) with a hash of
// each one's syntax: the canonical AST text of package astcanon, without
// comments or layout, plus the imports the declaration names. Two
// checkers compare those records with the source as it is now, without
// loading or type-checking anything:
//
//   - the runtime, on a task's first call in a program run where its
//     source is (go run, go test, a binary run from the checkout): a
//     wrapper whose code changed since go generate runs uncached and says
//     so, instead of serving a result of the old code;
//   - the analyzer, from the files of the package under analysis and the
//     declarations of other packages carried as analysis facts, so it
//     honours the build flags of whatever driver runs it.
//
// A syntax hash is not a fingerprint: it cannot see what only types tell
// (a dependency's version, a package name that differs from its import
// path's last element). It answers one question, "did this declaration's
// text change", which is exactly what a forgotten go generate leaves
// behind; cachegen -check answers the rest.
package srchash
