package runtime

import (
	"context"
	"strings"
	"sync"

	"github.com/cachegen/cachegen/internal/suggest"
)

// refreshState is a request to re-run tasks: every key of a matching task
// executes once more, replacing its stored result; after that, calls hit
// the new result as usual.
type refreshState struct {
	all     bool
	names   []string
	ran     sync.Map // map[layerKey]bool: keys that have run since the request
	checked sync.Map // map[*Task]bool: tasks compared with the names (nearMiss)
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
	return &refreshState{names: splitNames(s)}
}

// splitNames splits a comma-separated list of task names, trimmed, empty
// ones dropped. A comma inside brackets separates type arguments
// ("Map[int,string]"), not names.
func splitNames(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		switch {
		case i < len(s) && s[i] == '[':
			depth++
		case i < len(s) && s[i] == ']':
			depth = max(depth-1, 0)
		case i == len(s) || s[i] == ',' && depth == 0:
			if name := strings.TrimSpace(s[start:i]); name != "" {
				out = append(out, name)
			}
			start = i + 1
		}
	}
	return out
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

// nearMiss returns, the first time it sees a task that no name matches,
// a name that looks like a misspelling of the task's ("Sumarise" for
// "Summarise"), with the spelling that would match; "" otherwise.
func (r *refreshState) nearMiss(t *Task) (name, want string) {
	if r.all {
		return "", ""
	}
	if _, seen := r.checked.LoadOrStore(t, true); seen {
		return "", ""
	}
	short := t.ID[strings.LastIndexByte(t.ID, '/')+1:] // pkg.Func or pkg.Type.Method
	_, bare, _ := strings.Cut(short, ".")
	for _, n := range r.names {
		if c, ok := suggest.Closest(n, []string{bare, short, t.ID}); ok {
			return n, c
		}
	}
	return "", ""
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
// "Func" or "Type.Method", as TaskMatches reads it.
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
	if rt.refresh != nil {
		if rt.refresh.matches(t) {
			return rt.refresh
		}
		if name, want := rt.refresh.nearMiss(t); name != "" {
			rt.log.Warn("cachegen: "+EnvRefresh+" names a task that does not exist; did you mean "+want+"?", "name", name, "task", t.ID)
		}
	}
	return nil
}

// TaskMatches reports whether name designates the task with identity id.
// It is the one reading of a task name a user types: Refresh,
// CACHEGEN_REFRESH, cachegen -accept, explain and ls -task all call it, so
// they accept the same names. A name is:
//
//   - the identity itself: "example.com/m/align.Aligner.Run";
//   - "pkg.Func" or "pkg.Type.Method", pkg being the last element of the
//     package path: "align.Aligner.Run";
//   - a bare "Func" or "Type.Method": "Aligner.Run".
//
// Type is the receiver's base type, never an alias of it (see the
// identity in package gen/taskname).
//
// The identity of an instantiation of a generic task carries its type
// arguments ("example.com/m/pkg.Map[int,string]", see Task.Instantiate).
// A name without type arguments designates every instantiation; a name
// with them ("Map[int,string]", in any of the forms above) designates that
// instantiation only, and so no task of the source, which has none.
func TaskMatches(id, name string) bool {
	idBase, idArgs := cutTypeArgs(id)
	base, args := cutTypeArgs(name)
	if base == "" || args != "" && args != idArgs {
		return false
	}
	if base == idBase {
		return true
	}
	last := idBase[strings.LastIndexByte(idBase, '/')+1:] // "pkg.Func" or "pkg.Type.Method"
	if base == last {
		return true
	}
	_, member, ok := strings.Cut(last, ".")
	return ok && base == member
}

// cutTypeArgs splits the type arguments ("[int,string]") off a task
// identity or name; package paths and Go names hold no '['.
func cutTypeArgs(s string) (base, args string) {
	if i := strings.IndexByte(s, '['); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
