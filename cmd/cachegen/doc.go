// Command cachegen generates caching wrappers for Go functions marked with
// a //cache:task directive, and is the tool behind go generate:
//
//	go get -tool github.com/cachegen/cachegen/cmd/cachegen
//
//	//go:generate go tool cachegen
//
//	//cache:task version=2
//	func Align(ctx context.Context, s Sample, ref string) (Report, error)
//
// "go generate" then writes cachegen_gen.go next to the package's files,
// with AlignCached: the same parameters and results, and a result served from
// the store when the same code already ran with the same arguments.
//
// Usage:
//
//	cachegen [generate] [-check] [-tags list] [-v] [packages]
//	cachegen version
//
// Packages default to ".". Mistakes are printed as file.go:line:col: message,
// all of them, sorted, and the command exits 1; usage errors exit 2.
// -check writes nothing and exits 1 when a generated file is missing or out
// of date, for CI.
//
// What the key is made of, what invalidates a cached result and what does
// not, and the run-time configuration (CACHEGEN_STORE, CACHEGEN_NAMESPACE) are
// described in the README and in the runtime package's documentation.
package main
