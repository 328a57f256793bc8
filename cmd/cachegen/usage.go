package main

const usage = `cachegen generates caching wrappers for Go functions marked with directives.

Usage:
	cachegen [generate] [flags] [packages]   generate cachegen_gen.go in each package (default: .)
	cachegen vet [-json] [packages]          report directive mistakes, missing, orphan or stale wrappers,
	                                         forgotten version bumps, hidden inputs
	cachegen explain [flags] [packages] Task [ARGS]   why a call would miss
	cachegen ls | stats | inspect KEY | purge | gc     list and prune a store (each has -h)
	cachegen version                         print the version
	cachegen help                            print this help

A package path that collides with a subcommand is written ./name.
In a package, after "go get -tool github.com/cachegen/cachegen/cmd/cachegen":

	//go:generate go tool cachegen

Flags:
	-accept T,U  keep the versions of these versioned tasks across their code changes:
	             record the code as it is now as their version's (see version= below)
	-check       write nothing; exit 1 if a generated file is missing or out of date
	-tags list   comma-separated build tags to load packages with
	-v           print the files written

Directives (a // line comment with no space, in a top-level function's doc comment):

	//cache:task [version=V] [key=EXPR] [ignore=p1,p2] [ttl=DURATION] [name=Ident] [lock[=DURATION]] [allow=checks]
	func Align(ctx context.Context, s Sample, ref string) (Report, error)

generates AlignCached with the same parameters and results. A call's key is the
namespace, the task (package path and name), the code fingerprint (the function's
code without comments or layout, its signature and result types, and the same-module
helpers, constants, variables and types it reaches) and the arguments
(context.Context never counts).

	version=V       the function's own body counts as V: edits keep the cache until V changes.
	                The generated file keeps the code's fingerprint from when V was first
	                generated; a later code change without a new V is warned about (and
	                reported by cachegen vet) until V is bumped or cachegen -accept=F keeps it
	key=EXPR        a Go expression over the parameters: its value replaces the arguments in the key
	ignore=p1,p2    leave these parameters out of the key
	ttl=DURATION    an entry older than this is a miss (Go duration: 90m, 24h)
	name=Ident      name the wrapper Ident instead of FCached
	lock[=TIMEOUT]  processes sharing a store run the function once per key; others wait
	                up to TIMEOUT (default 30s) for its result, then compute anyway
	allow=checks    silence the analyzer's hidden-input checks: env, clock, rand, globals, fs, net

Values are a bare word, a "double-quoted" or a ` + "`back-quoted`" + ` Go string
(key="cfg.Region + id").

	//memo:task [key=EXPR] [ignore=p1,p2] [name=Ident] [allow=checks]
	//memo:key=EXPR [...]   the same as //memo:task key=EXPR

generates FMemo: within a run, the first call with a key runs the function and
every later call with that key (concurrent ones included) returns that
execution's result. The key is the arguments (or key=), not the body. A function
with both directives gets both wrappers, and FMemo calls FCached.

Environment at run time:
	CACHEGEN_STORE      mem://, file:///abs/dir, s3://bucket/prefix, gs://bucket/prefix, or off
	                    (default: a cachegen folder under the user cache directory)
	CACHEGEN_NAMESPACE  the namespace results are cached under (default "default")
	CACHEGEN_PARENTS    namespaces read through, in order, after the own one (never written)
	CACHEGEN_REFRESH    1: run every task once more per key and replace its result; or Func,Other
	CACHEGEN_RUN        the ID of a durable run: memo results are kept in the store across processes
	CACHEGEN_RUN_PARENT a run whose memo this run sees (the parent never sees the child's)
	CACHEGEN_DEBUGHASH  =1 makes cachegen print what each fingerprint part hashed

Exit status: 0 ok, 1 generation errors (each printed as file.go:line:col: message), 2 usage.
`
