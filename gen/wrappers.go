package gen

import (
	"slices"
	"strings"

	"github.com/cachegen/cachegen/gen/fingerprint"
	"github.com/cachegen/cachegen/gen/taskname"
	"github.com/cachegen/cachegen/internal/srchash"
	"github.com/cachegen/cachegen/runtime"
)

// linkWrapperCalls adds to each task's fingerprint the fingerprints of the
// tasks whose wrappers it calls (directly, or from a helper it reaches).
//
// While loading, every package's generated file is a stub that declares
// its wrappers (see stubs.go); the fingerprint does not hash those
// declarations but lists the ones a task reaches (Fingerprint.Generated).
// Without this step, a change to Align would leave a caller of AlignCached
// with its old fingerprint: a stale hit. Each wrapper is matched to its
// task by object key, in any package of the load.
func linkWrapperCalls(built []*builtPackage) {
	l := &linker{
		byKey:  make(map[string]*Task),
		final:  make(map[*Task]fingerprint.Fingerprint),
		active: make(map[*Task]bool),
	}
	for _, bp := range built {
		for _, t := range bp.tasks {
			l.byKey[wrapperKey(bp.pkg.PkgPath, t)] = t
		}
	}
	for _, bp := range built {
		for _, t := range bp.tasks {
			l.resolve(t)
		}
	}
	for t, fp := range l.final {
		t.Fingerprint = fp
	}
}

// wrapperKey is the object key (see fingerprint) of t's wrapper.
func wrapperKey(pkgPath string, t *Task) string {
	return pkgPath + "." + taskname.Join(t.RecvType, t.Wrapper)
}

type linker struct {
	byKey  map[string]*Task // wrapper object key → its task
	final  map[*Task]fingerprint.Fingerprint
	active map[*Task]bool // on the resolution stack, to cut cycles
}

// resolve returns t's fingerprint with the tasks it calls through wrappers.
func (l *linker) resolve(t *Task) fingerprint.Fingerprint {
	if fp, ok := l.final[t]; ok {
		return fp
	}
	if l.active[t] {
		return t.Fingerprint // a cycle of wrapper calls: its own code suffices here
	}
	l.active[t] = true
	defer delete(l.active, t)
	var parts []fingerprint.Part
	sources := [][]srchash.Source{t.Fingerprint.Sources}
	for _, dep := range l.calls(t) {
		if dep != t {
			dfp := l.resolve(dep)
			parts = append(parts, fingerprint.Part{Kind: runtime.PartTask, Name: dep.ID, Hash: dfp.Digest})
			sources = append(sources, dfp.Sources)
		}
	}
	fp := t.Fingerprint
	if len(parts) > 0 {
		fp = fp.With(parts...)
		fp.Sources = fingerprint.MergeSources(sources...)
	}
	l.final[t] = fp
	return fp
}

// calls lists the tasks whose wrappers t reaches, sorted by identity.
func (l *linker) calls(t *Task) []*Task {
	var deps []*Task
	for _, key := range t.Fingerprint.Generated {
		if dep := l.byKey[key]; dep != nil {
			deps = append(deps, dep)
		}
	}
	slices.SortFunc(deps, func(a, b *Task) int { return strings.Compare(a.ID, b.ID) })
	return slices.Compact(deps)
}
