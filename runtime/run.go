package runtime

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Environment variables that configure the process run of [New] and [Default].
const (
	// EnvRun names the process run: its memo entries are stored under this
	// ID, so executing the program again with the same ID re-uses them.
	EnvRun = "CACHEGEN_RUN"
	// EnvRunParent names a durable run whose memo the process run sees (a
	// child run in a new process, usually with a new CACHEGEN_RUN).
	EnvRunParent = "CACHEGEN_RUN_PARENT"
)

// A Run is the scope of memoised calls (//memo:task): within a run, the
// first call of a task with a key executes the function and every later
// call with that key returns that execution's result. A run with an ID is
// durable: its entries also go to the store under run/<namespace>/<id>/…,
// so a later process with the same ID re-uses them. A child run sees its
// parent's entries; the parent never sees the child's.
//
// Runs are made by [NewRun] and [ChildRun]; without one, a runtime's
// process run (configured by CACHEGEN_RUN and CACHEGEN_RUN_PARENT) is used.
// A Run is safe for concurrent use.
type Run struct {
	id     string // durable run ID; "" for a run that lives in this process only
	parent *Run
	// refreshNS names the run in refresh bookkeeping (layerKey.ns). It
	// carries a random nonce, so two Run values never share it, even with
	// the same ID or after one is freed and its address reused.
	refreshNS string

	mu      sync.Mutex                // serialises writes to entries
	entries atomic.Pointer[memoTable] // by memoKey.slot; read without the lock
}

// memoKey addresses a memo entry within a run. The digest is an address,
// not an identity: the entry keeps the task and the key bytes to compare.
type memoKey struct {
	task   *Task
	digest uint64
}

// slot folds k into the one word a run's map is keyed by: a uint64 key
// hashes much faster than a pointer and a digest. The task's address stands
// for the task (the garbage collector does not move heap objects, and the
// entry keeps the task alive); a clash of two keys' slots is a collision,
// which the entry's task and key bytes detect.
func (k memoKey) slot() uint64 {
	return k.digest ^ uint64(uintptr(unsafe.Pointer(k.task)))*0x9e3779b97f4a7c15
}

// memoEntry is one execution of a task for one key in a run: pending until
// done is closed, then either ready (a result that later calls return) or
// failed (removed from the run before done is closed, so later calls
// execute again). Fields other than ready and waiters are written before
// done is closed and only read after.
type memoEntry struct {
	slot    uint64 // memoKey.slot of the entry's key
	task    *Task
	key     []byte        // the encoded key, compared on every hit
	refresh *refreshState // the refresh request this execution answers, or nil
	done    chan struct{} // closed when the execution ended
	ready   atomic.Bool   // the execution succeeded; val is set
	waiters atomic.Int32  // callers waiting on done, for tests and debugging

	val       any // a *R holding the result, boxed once; a hit type-asserts it
	err       error
	panicked  any
	cancelled bool // the execution failed only because its own ctx ended
}

// A RunOption configures a run made by [NewRun] or [ChildRun].
type RunOption func(*runConfig)

type runConfig struct {
	id string
}

// RunID makes the run durable under id: its memo entries are stored, so a
// program executed again with the same run ID (and the same store and
// namespace) repeats no memoised call. The empty id means an in-process run.
func RunID(id string) RunOption { return func(c *runConfig) { c.id = id } }

func newRun(id string, parent *Run) *Run {
	var nonce [8]byte
	binary.LittleEndian.PutUint64(nonce[:], rand.Uint64())
	return &Run{id: id, parent: parent, refreshNS: "run:" + id + "#" + hex.EncodeToString(nonce[:])}
}

// processRun returns the runtime's process run, building it on first use
// from CACHEGEN_RUN and CACHEGEN_RUN_PARENT (as read by [New]).
func (rt *Runtime) processRun() *Run {
	if r := rt.procRun.Load(); r != nil {
		return r
	}
	var parent *Run
	if rt.runParentID != "" {
		parent = newRun(rt.runParentID, nil)
	}
	rt.procRun.CompareAndSwap(nil, newRun(rt.runID, parent))
	return rt.procRun.Load()
}

// NewRun returns a context whose memoised calls belong to a new run, with no
// parent: calls made before, or under other runs, are not seen. Without
// [RunID] the run lives in this process only.
func NewRun(ctx context.Context, opts ...RunOption) context.Context {
	var c runConfig
	for _, o := range opts {
		o(&c)
	}
	r := newRun(c.id, nil)
	return withScope(ctx, func(s *scope) { s.run = r })
}

// ChildRun returns a context whose memoised calls belong to a new child of
// the run in ctx (or of the process run when ctx has none). The child sees
// its parent's results, in this process and, when the parent has an ID, in
// the store; the parent never sees the child's.
func ChildRun(ctx context.Context, opts ...RunOption) context.Context {
	var c runConfig
	for _, o := range opts {
		o(&c)
	}
	r := newRun(c.id, RunOf(ctx))
	return withScope(ctx, func(s *scope) { s.run = r })
}

// RunOf returns the run memoised calls under ctx belong to: the one set by
// [NewRun] or [ChildRun], else the process run of the context's runtime.
func RunOf(ctx context.Context) *Run {
	sc := scopeOf(ctx)
	if sc.run != nil {
		return sc.run
	}
	rt := sc.rt
	if rt == nil {
		rt = Default()
	}
	return rt.processRun()
}

// ID returns the run's durable ID, or "" for a run that lives in this
// process only.
func (r *Run) ID() string { return r.id }

// Parent returns the run whose memo this run sees, or nil.
func (r *Run) Parent() *Run { return r.parent }

// load returns the run's entry for k, or nil.
func (r *Run) load(k memoKey) *memoEntry { return r.entries.Load().find(k.slot()) }

// ready returns the run's finished entry for k and key, or nil.
func (r *Run) ready(k memoKey, key []byte) *memoEntry {
	if e := r.load(k); e != nil && e.ready.Load() && e.task == k.task && bytes.Equal(e.key, key) {
		return e
	}
	return nil
}

// claimResult says what a caller does after [Run.claim].
type claimResult int

const (
	claimWait    claimResult = iota // another call executes (or executed) the key: wait for it
	claimLead                       // the caller executes the key
	claimCollide                    // another key has the same digest: call the function unmemoised
)

// claim returns the entry a call of k with key uses. forced is set when
// refresh asks for a new execution of the key: an existing entry then
// counts only if it answers the same request.
func (r *Run) claim(k memoKey, key []byte, refresh *refreshState, forced bool) (*memoEntry, claimResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e := r.entries.Load().find(k.slot()); e != nil {
		if e.task != k.task || !bytes.Equal(e.key, key) {
			return nil, claimCollide
		}
		if !forced || e.refresh == refresh {
			return e, claimWait
		}
	}
	e := &memoEntry{slot: k.slot(), task: k.task, key: bytes.Clone(key), done: make(chan struct{})}
	if forced {
		e.refresh = refresh
	}
	r.entries.Store(r.entries.Load().put(e))
	return e, claimLead
}

// publish ends e's execution with the result *p (held as a *R): later
// calls return it.
func (e *memoEntry) publish(p any) {
	e.val = p
	e.ready.Store(true)
	close(e.done)
}

// fail ends e's execution without a result: the entry leaves the run (if
// it is still there), so a later call executes again.
func (r *Run) fail(k memoKey, e *memoEntry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries.Load().remove(e)
	close(e.done)
}
