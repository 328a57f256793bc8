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
//	cachegen [generate] [-accept T,U] [-check] [-tags list] [-v] [packages]
//	cachegen vet [-json] [-tags list] [packages]
//	cachegen explain [-json] [-digest D] [packages] Task [ARGS]
//	cachegen version
//
// Packages default to ".". Mistakes are printed as file.go:line:col: message,
// all of them, sorted, and the command exits 1; usage errors exit 2.
// -check writes nothing and exits 1 when a generated file is missing or out
// of date, for CI. A versioned task whose code changed since its version was
// first generated gets a warning (its old results are still served) until
// the version is bumped or -accept=Task records that the change is
// deliberate.
//
// vet runs the analyzer (package analyzer) over the packages: directive
// mistakes, missing, orphan or stale wrappers, forgotten version bumps and
// hidden inputs, exit 1 on findings. The same binary is a vet and fix tool:
//
//	go vet -vettool=$(go tool -n cachegen) ./...
//	go fix -fixtool=$(go tool -n cachegen) ./...   applies the suggested fixes
//
// explain says why a call would miss: given a task (named as in -accept:
// Align, Aligner.Run, pkg.Align or the full identity) and, optionally, its
// arguments as a JSON array, it prints the task's fingerprint and, against
// the store, whether an entry exists for those arguments, and which
// fingerprint parts changed since the entries the store holds were made.
//
// # Store commands
//
//	cachegen ls      [-task T] [-jobs | -job ID | -shared-caches | -shared NAME | -runs | -run ID]
//	cachegen stats   [-deep]
//	cachegen inspect KEY
//	cachegen purge   [-n] [-task T] [-older-than D] [-all] [-job ID | -shared NAME | -run ID]
//	cachegen gc      [-n] [-older-than D] [-max-bytes N] [packages]
//
// look at and prune one namespace of a store: -store URL and -namespace
// name them, else CACHEGEN_STORE and CACHEGEN_NAMESPACE. Each prints a
// table, or JSON with -json. This build opens mem://, file:// and redis://
// stores; github.com/cachegen/cachegen/cloud/cmd/cachegen is the same
// command with s3:// and gs:// too, in a module of its own so that the
// cloud SDKs stay out of the go.mod of users who do not need them.
//
// ls lists the cached results (cache/<namespace>/<task>/<fingerprint>/<argdigest>),
// stats sums them per task (-deep adds the compute time hits save) and sums
// the job caches, shared caches and durable runs, and inspect prints one
// entry's header and key manifest. ls -jobs, -shared-caches and -runs print
// one row per job, shared cache or durable memo run: objects, bytes, age of
// the newest; ls -job ID, -shared NAME and -run ID list the objects of one.
//
// purge deletes the cached results -task, -older-than and -all select, or
// with -job ID, -shared NAME or -run ID the objects of one job cache, shared
// cache or run (-older-than and, for runs, -task narrow it). gc deletes
// results older than -older-than, then the oldest until the rest fit
// -max-bytes, and, given packages, those under fingerprints their source no
// longer has; it keeps a small record per entry and never reads a value.
// With -n, purge and gc print what they would delete. On a terminal the
// long commands draw a progress line on standard error; never with -json or
// when standard error is a pipe or file. cachegen ls -h prints the details.
//
// What the key is made of, what invalidates a cached result and what does
// not, and the run-time configuration (CACHEGEN_STORE, CACHEGEN_NAMESPACE) are
// described in the README and in the runtime package's documentation.
package main
