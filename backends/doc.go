// Package backends defines the storage contract of cachegen: the [Store]
// interface every backend implements, its sentinel errors, the URL scheme
// registry through which stores are opened, and the object-name layout that
// the runtime and the command-line tools share.
//
// A store is a flat key/value space of byte objects. Keys are slash-separated
// UTF-8 strings; a key may be both an object and the prefix of other keys.
// Stores register a URL scheme in an init function, like database/sql drivers:
//
//	import _ "github.com/cachegen/cachegen/backends/s3" // registers s3://
//
// and are then opened with [Open]. The memory (mem://) and file (file://)
// stores live in the sub-packages memory and fs; backends/storetest is the
// conformance suite a new store runs to prove it keeps the contract.
package backends
