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
// through functions and methods of its own package that it calls
// statically (followed to any depth, cycles cut), any of:
//
//	env      os.Getenv, os.LookupEnv, os.Environ, os.ExpandEnv
//	clock    time.Now, time.Since, time.Until
//	rand     functions of math/rand and math/rand/v2 (except the New...
//	         constructors, deterministic given their seed), crypto/rand
//	         functions and crypto/rand.Reader
//	fs       os.ReadFile, os.Open, os.OpenFile, os.ReadDir, os.Stat, os.Lstat
//	net      net.Dial..., (*net.Dialer).Dial..., net/http.Get, Post,
//	         PostForm, Head and the same methods of *http.Client plus Do
//	globals  a package-level variable of the same package that is assigned,
//	         incremented or has its address taken outside its declaration
//
// with a message such as
//
//	F reads the environment (os.Getenv) which the cache key cannot see; add it to the key or allow=env
//
// Each kind is reported once per directive, naming the first use found.
// allow= on the directive silences the kinds it names (allow=env,clock):
// it says the input is intended. Parameters are part of the key and are
// never reported; writing output (fmt.Println, os.Stdout, a logger) is a
// side effect, not an input, and is not reported either.
//
// Calls into cachegen_gen.go (GCached from F) are not followed: G's
// wrapper is a task of its own, checked under its own directive. Dynamic
// calls through interfaces and function values are not followed.
//
// # Stale wrappers
//
// A task whose code changed since its wrapper was generated is reported:
//
//	F: the generated wrapper is stale (fingerprint 1a… in cachegen_gen.go, 9c… in the source); run go generate
//
// The analyzer reads the fingerprint recorded in cachegen_gen.go and builds
// the package's tasks with the generator itself (gen.Inspect, which loads
// the package once more), so the analyzer and the generator can never
// disagree about what a fingerprint is. A package that does not build, or
// has directive errors, gets no staleness report (the other checks speak).
//
// # Not yet checked
//
// A versioned task whose code changed since that version was first
// generated (a forgotten version bump, and cachegen -accept) is part of the
// design but not implemented yet.
package analyzer
