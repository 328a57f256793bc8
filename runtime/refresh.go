package runtime

import (
	"context"
	"strings"
	"sync"
)

// refreshState is a request to re-run tasks: every key of a matching task
// executes once more, replacing its stored result; after that, calls hit
// the new result as usual.
type refreshState struct {
	all   bool
	names []string
	ran   sync.Map // map[layerKey]bool: keys that have run since the request
}

// parseRefresh reads CACHEGEN_REFRESH's form: "" none, "1" (or "all",
// "true") every task, else a comma-separated list of task names.
func parseRefresh(s string) *refreshState {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false":
		return nil
	case "1", "all", "true":
		return &refreshState{all: true}
	}
	return &refreshState{names: splitList(s)}
}

func (r *refreshState) matches(t *Task) bool {
	if r.all {
		return true
	}
	for _, name := range r.names {
		if TaskMatches(t.ID, name) {
			return true
		}
	}
	return false
}

func (r *refreshState) done(k layerKey) bool {
	_, ok := r.ran.Load(k)
	return ok
}

func (r *refreshState) markDone(k layerKey) { r.ran.Store(k, true) }

// Refresh returns a context whose calls of the named tasks (all tasks when
// none are named) run once more per key, replacing the stored result; later
// calls under the context hit the new one. A name is a task identity
// ("example.com/m/pkg.Align"), "pkg.Func", "pkg.Type.Method", or a bare
// "Func" or "Type.Method".
func Refresh(ctx context.Context, tasks ...string) context.Context {
	r := &refreshState{all: len(tasks) == 0, names: tasks}
	return withScope(ctx, func(s *scope) { s.refresh = r })
}

// refreshState returns the refresh request that applies to t in a
// context's scope: the context's, else the runtime's (CACHEGEN_REFRESH), or nil.
func (rt *Runtime) refreshState(s scope, t *Task) *refreshState {
	if r := s.refresh; r != nil && r.matches(t) {
		return r
	}
	if rt.refresh != nil && rt.refresh.matches(t) {
		return rt.refresh
	}
	return nil
}

// TaskMatches reports whether name designates the task with identity id:
// the identity itself, "pkg.Func" / "pkg.Type.Method" (pkg being the last
// element of the package path), or a bare "Func" / "Type.Method".
func TaskMatches(id, name string) bool {
	if name == id {
		return true
	}
	slash := strings.LastIndex(id, "/")
	last := id[slash+1:] // "pkg.Func" or "pkg.Type.Method"
	if name == last {
		return true
	}
	_, member, ok := strings.Cut(last, ".")
	return ok && name == member
}
