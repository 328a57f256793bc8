package runtime

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cachegen/cachegen/internal/srchash"
)

// The guard against a forgotten go generate. go build never runs go
// generate, so a task's body (or a helper, type or constant it reaches) can
// be edited while its wrapper still carries the old fingerprint: the old
// code's results would be served. Where the program runs from its source
// (go run, go test, a binary run in its checkout), the first call of each
// task re-hashes the declarations its fingerprint covers (Task.Sources)
// from the files, by syntax alone, and compares them with the hashes the
// generator recorded. A task whose code changed runs uncached, neither
// reading nor writing the store, and the runtime says so once; with
// StaleError it panics instead. Where the source is absent (a deployed
// binary, a build with -trimpath) the guard is off. After the first call
// the check costs one atomic load.

// EnvStale configures the guard: "warn" (the default), "error" or "off".
const EnvStale = "CACHEGEN_STALE"

// StaleCheck says what a wrapper whose source changed since go generate
// does; see [WithStaleCheck].
type StaleCheck int

// The values of StaleCheck.
const (
	// StaleWarn runs the task uncached and logs a warning once per task.
	StaleWarn StaleCheck = iota
	// StaleError panics with an error that wraps [ErrStaleWrapper], so a
	// test or CI run fails at the first call of a stale wrapper.
	StaleError
	// StaleOff skips the check: results are keyed by the fingerprint
	// recorded when the wrapper was generated.
	StaleOff
)

// ErrStaleWrapper is wrapped by the panic of a stale wrapper under
// [StaleError].
var ErrStaleWrapper = errors.New("cachegen: the generated wrapper is stale; run go generate")

// WithStaleCheck sets what a wrapper whose source changed since go
// generate does (default: $CACHEGEN_STALE, else StaleWarn).
func WithStaleCheck(c StaleCheck) Option { return func(cfg *config) { cfg.stale = c } }

// parseStale parses $CACHEGEN_STALE; an unknown value is an error.
func parseStale(v string) (StaleCheck, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "warn":
		return StaleWarn, nil
	case "error":
		return StaleError, nil
	case "off", "0":
		return StaleOff, nil
	}
	return StaleWarn, fmt.Errorf("%s=%q: want warn, error or off", EnvStale, v)
}

// staleState is a task's comparison of its sources with the files. It is
// plain data (Task values may be copied): done is read and written with
// sync/atomic, and changes is set before done under staleMu.
type staleState struct {
	done    uint32
	changes []srchash.Change
}

// staleMu serialises the first checks of tasks; later calls only load
// staleState.done.
var staleMu sync.Mutex

// sourceDisk caches the packages the guard parsed, by directory: a cache
// whose entries are pure functions of the files when first read.
var sourceDisk srchash.Disk

// staleChanges returns what changed in t's source since go generate, or
// nil. Every call after the first is inlined into Cached: one atomic load.
// Each instantiation of a generic task checks once for itself (the parsed
// packages are shared, see sourceDisk).
func (t *Task) staleChanges() []srchash.Change {
	if atomic.LoadUint32(&t.stale.done) == 0 {
		return t.firstCheck()
	}
	return t.stale.changes
}

// firstCheck compares t's sources with the files, once. It finds the
// generated file from the stack: its own frame, staleChanges (inlined,
// but a frame for runtime.Caller), Cached, then the generated wrapper.
//
//go:noinline
func (t *Task) firstCheck() []srchash.Change {
	_, file, _, ok := goruntime.Caller(3)
	staleMu.Lock()
	defer staleMu.Unlock()
	if atomic.LoadUint32(&t.stale.done) == 0 {
		if ok && len(t.Sources) > 0 {
			t.stale.changes = checkSources(&sourceDisk, file, t.Sources)
		}
		atomic.StoreUint32(&t.stale.done, 1)
	}
	return t.stale.changes
}

// checkSources compares sources with the files of the module the
// generated file genFile is in; a genFile that is not on this machine
// means the source is absent, and nothing is checked.
func checkSources(disk *srchash.Disk, genFile string, sources []Source) []srchash.Change {
	if !filepath.IsAbs(genFile) || filepath.Base(genFile) != "cachegen_gen.go" {
		return nil
	}
	if _, err := os.Stat(genFile); err != nil {
		return nil
	}
	return compareSources(disk, filepath.Dir(genFile), sources)
}

// compareSources compares the key's sources with the files of the module,
// whose task package is in dir.
func compareSources(disk *srchash.Disk, dir string, sources []Source) []srchash.Change {
	base := ""
	for _, s := range sources {
		if s.Task {
			base = s.Pkg
			break
		}
	}
	if base == "" {
		return nil
	}
	var key []Source
	for _, s := range sources {
		if !s.Code {
			key = append(key, s)
		}
	}
	return srchash.Compare(key, func(pkg string) map[string][]srchash.Decl {
		return disk.Index(srchash.PackageDir(dir, base, pkg))
	})
}
