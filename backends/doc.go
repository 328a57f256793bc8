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
// stores live in the sub-packages memory and fs, S3, GCS and Redis in s3,
// gcs and redis; backends/storetest is the conformance suite a new store
// runs to prove it keeps the contract.
//
// A [Tiered] store puts levels in front of each other, nearest first: a
// local file store before a shared Redis or bucket. [Open] makes one from
// URLs joined by [TierSeparator] ("file:///var/cache/cg | redis://cache").
package backends
