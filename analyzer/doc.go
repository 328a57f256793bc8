// Package analyzer defines cachegen's analysis pass: it reports cachegen
// directives that are malformed, directives and generated wrappers that no
// longer match, and cached functions that read inputs their cache key
// cannot see.
//
// # Running it
//
// The analyzer is [Analyzer]. Run it with the cachegen command:
//
//	cachegen vet ./...
//	go vet -vettool=$(go tool -n cachegen) ./...
//	go fix -fixtool=$(go tool -n cachegen) ./...   (applies suggested fixes)
//
// or from any driver of golang.org/x/tools/go/analysis (multichecker,
// golangci-lint module plugins). Every finding is reported at the
// directive's "//", except a wrapper with no directive, which is reported
// at the wrapper.
//
// # Directive mistakes
//
// Every error of the directive parser (gen/directive) is reported, with
// the same text the generator prints: a spaced "// cache:task", a misspelt
// "//cache:taks", a bare "//memo", an unknown or malformed option, a
// directive that is not in the doc comment of a top-level function or
// method, a second directive of the same kind on one function.
//
// # Wrappers
//
// Each directive asks for a wrapper in the package's cachegen_gen.go:
// FCached for //cache:task on F, FMemo for //memo:task, or the name=
// value; for a method M of T, a method of T. The analyzer reports
//
//	F has no generated wrapper FCached; run go generate
//
// when cachegen_gen.go does not declare it, and
//
//	FCached has no //cache:task directive any more; run go generate
//
// at an exported function or method of cachegen_gen.go that no directive
// asks for. While any directive has errors, only the first kind is
// reported, since a broken name= hides which wrapper it wants.
//
// # Hidden inputs
//
// A cached result is only correct if everything the function reads is in
// its key. The analyzer reports a task function that reads, directly or
// through functions and methods it calls statically (followed to any
// depth, cycles cut), any of:
//
//	env      os.Getenv, os.LookupEnv, os.Environ, os.ExpandEnv
//	clock    time.Now, time.Since, time.Until
//	rand     functions of math/rand and math/rand/v2 (except the New...
//	         constructors, deterministic given their seed), crypto/rand
//	         functions and crypto/rand.Reader
//	fs       os.ReadFile, os.Open, os.OpenFile, os.ReadDir, os.Stat, os.Lstat
//	net      net.Dial..., (*net.Dialer).Dial..., net/http.Get, Post,
//	         PostForm, Head and the same methods of *http.Client plus Do
//	globals  a package-level variable that is assigned, incremented or has
//	         its address taken outside its declaration, by its own package
//	         or by the task's
//
// with a message such as
//
//	F reads the environment (os.Getenv) which the cache key cannot see; add it to the key or allow=env
//
// Functions of the task's own package are followed through their source.
// Helpers in other packages of the same module (the task's module path or
// a path under it) are followed too, through analysis facts: each
// exported function, method and mutable variable of a package outside the
// standard library that reads hidden inputs carries a fact listing the
// first read of each kind and the functions of other packages it goes
// through, and the message names that path:
//
//	F reads the environment (os.Getenv, via example.com/m/util.Zone -> example.com/m/conf.Region) which the cache key cannot see; add it to the key or allow=env
//	F reads the mutable package-level variable example.com/m/conf.hits (via example.com/m/conf.Hits) which the cache key cannot see; add it to the key or allow=globals
//
// Other modules and the standard library are not followed: only the
// sources above count there. A module nested under the task's module
// path is another module (each fact records its module). In GOPATH mode,
// with no modules, the facts of every package are followed, and a package
// whose import path has no dot in its first element is taken for the
// standard library and has no facts. A package variable is mutable when
// its own package writes it (a fact tells other packages) or when the
// task's package does (conf.Scale = 3); a write from a third package is
// not seen.
//
// Each kind is reported once per directive, naming the first use found.
// allow= on the directive silences the kinds it names (allow=env,clock):
// it says the input is intended. It does not silence a caller: a task
// that calls F reads what F reads. Parameters are part of the key and are
// never reported; writing output (fmt.Println, os.Stdout, a logger) is a
// side effect, not an input, and is not reported either.
//
// Calls into cachegen_gen.go (GCached from F) are not followed: G's
// wrapper is a task of its own, checked under its own directive. Dynamic
// calls through interfaces and function values are not followed.
//
// # Stale wrappers and forgotten version bumps
//
// A task whose code changed since its wrapper was generated is reported:
//
//	F: the generated wrapper is stale (util.Scale in scale.go changed since go generate); run go generate
//
// A task with version=V keeps its cache across code changes until V
// changes, so an edited body or helper does not make its wrapper stale.
// The generated file records, as VersionCode, the fingerprint its code had
// when V was first generated; when the code differs now, the analyzer (and
// the generator, as a warning) reports a forgotten bump:
//
//	F: code changed since version=2 was first generated (p.helper in h.go changed), so results of the old code are still served; bump version=, or run cachegen -accept=F to keep them
//
// (after go generate, the message names the two code fingerprints instead).
// Bumping the version, or running cachegen -accept=F to say the old
// results are still right for the new code, silences it.
//
// The generated file records, for each task, the declarations of its
// module that its fingerprint covers (its own, with its directives, and
// every helper, type, constant and variable it reaches, in any package of
// the module), each with a hash of its syntax. The analyzer re-hashes them
// from the pass's own files and, for other packages, from a package fact
// each package of the module exports (its declarations' hashes): it loads
// nothing itself, so it sees the files the driver's build flags chose
// (go vet -tags, cachegen vet -tags) and runs under any driver. This is
// the comparison the runtime makes on a task's first call (see the
// runtime's Task.Sources). Being syntax, it does not see a dependency's
// new module version; cachegen -check does. A directive with errors gets
// neither report (the other checks speak).
package analyzer
