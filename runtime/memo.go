package runtime

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime/internal/codec"
	"github.com/cachegen/cachegen/runtime/internal/entry"
)

// Memo is the memo path of a //memo:task wrapper (for generated code): within
// the run of ctx (see [RunOf]), the first call of t with the encoded key
// executes fn, and every later call with that key, concurrent ones
// included, returns that execution's result — the same value, not a copy.
// An error or a panic is not memoised: the callers waiting on that
// execution get it, and a later call executes again. keyErr is the key
// encoder's error: the call then runs fn unmemoised (logged once).
//
// In a durable run (one with an ID, and a store), a result is also stored
// under the run, the task's Signature and the key, and found there by later
// processes with the same run ID; a result type the codec rejects stays in
// this process (logged once).
func Memo[R any](ctx context.Context, t *Task, key []byte, keyErr error, fn func(context.Context) (R, error)) (R, error) {
	sc := scopeOf(ctx)
	rt := sc.rt
	if rt == nil {
		rt = Default()
	}
	run := sc.run
	if run == nil {
		run = rt.processRun()
	}
	if keyErr != nil {
		rt.stats.uncached.Add(1)
		rt.logOnce(ctx, t.ID, "cachegen: memo key cannot be encoded; calling unmemoised", "task", t.ID, "err", keyErr)
		return fn(ctx)
	}
	k := memoKey{task: t, digest: xxhash.Sum64(key)}
	refresh := rt.refreshState(sc, t)
	forced := refresh != nil && !refresh.done(layerKey{task: t, ns: run.refreshNS, digest: k.digest})
	if !forced {
		if e := run.ready(k, key); e != nil {
			if p, ok := e.val.(*R); ok {
				rt.stats.memoHits.Add(1)
				return *p, nil
			}
		}
	}
	// The slow path keeps the key: a copy, so the caller's stack buffer never escapes and a hit allocates nothing.
	mc := &memoCall{rt: rt, ns: rt.namespaceIn(sc), run: run, t: t, key: bytes.Clone(key), k: k, refresh: refresh, forced: forced}
	return memoSlow(ctx, mc, fn)
}

// memoCall is what one memo call that missed the fast path is about.
type memoCall struct {
	rt      *Runtime
	ns      string
	run     *Run
	t       *Task
	key     []byte
	k       memoKey
	refresh *refreshState // the refresh request that applies, or nil
	forced  bool          // refresh asks this key to execute again in this run
}

func (mc *memoCall) refreshKey() layerKey {
	return layerKey{task: mc.t, ns: mc.run.refreshNS, digest: mc.k.digest}
}

// memoSlow claims the key in the run: it executes it, waits for the
// execution in progress, or calls fn unmemoised on a digest collision.
func memoSlow[R any](ctx context.Context, mc *memoCall, fn func(context.Context) (R, error)) (R, error) {
	var zero R
	for {
		e, how := mc.run.claim(mc.k, mc.key, mc.refresh, mc.forced)
		switch how {
		case claimCollide:
			return unmemoised(ctx, mc, "cachegen: memo digest collision; calling unmemoised", fn)
		case claimLead:
			return leadMemo(ctx, mc, e, fn)
		}
		e.waiters.Add(1)
		select {
		case <-e.done:
			e.waiters.Add(-1)
		case <-ctx.Done():
			e.waiters.Add(-1)
			return zero, ctx.Err()
		}
		switch {
		case e.panicked != nil:
			panic(e.panicked)
		case e.cancelled && ctx.Err() == nil:
			continue // the executing caller gave up; this one still wants the result
		case e.err != nil:
			return zero, e.err
		}
		p, ok := e.val.(*R)
		if !ok {
			return unmemoised(ctx, mc, "cachegen: memo task called with another result type; calling unmemoised", fn)
		}
		mc.rt.stats.memoHits.Add(1)
		return *p, nil
	}
}

// unmemoised calls fn outside the run, saying why once per task.
func unmemoised[R any](ctx context.Context, mc *memoCall, msg string, fn func(context.Context) (R, error)) (R, error) {
	mc.rt.stats.uncached.Add(1)
	mc.rt.logOnce(ctx, mc.t.ID, msg, "task", mc.t.ID)
	return fn(ctx)
}

// leadMemo resolves a key the caller claimed: from a parent run or the
// store when it may, else by executing fn.
func leadMemo[R any](ctx context.Context, mc *memoCall, e *memoEntry, fn func(context.Context) (R, error)) (R, error) {
	c := durableCodec[R](ctx, mc)
	if !mc.forced {
		if p, ok := findElsewhere(ctx, mc, c); ok {
			mc.rt.stats.memoHits.Add(1)
			e.publish(p)
			return *p, nil
		}
	}
	return executeMemo(ctx, mc, e, c, fn)
}

// durableCodec returns the codec of durable entries when the call's run or
// one of its ancestors is durable and a store is configured; else, or when
// R cannot be encoded (logged once), nil.
func durableCodec[R any](ctx context.Context, mc *memoCall) *codec.Codec[R] {
	if mc.rt.store == nil {
		return nil
	}
	durable := false
	for r := mc.run; r != nil && !durable; r = r.parent {
		durable = r.id != ""
	}
	if !durable {
		return nil
	}
	c, err := codec.For[R]()
	if err != nil {
		mc.rt.logOnce(ctx, mc.t.ID, "cachegen: memo result cannot be stored; it stays in this process", "task", mc.t.ID, "err", err)
		return nil
	}
	return c
}

// findElsewhere looks for the key in the run's ancestors (in this process)
// and in the durable entries of the run and its ancestors, nearest first.
func findElsewhere[R any](ctx context.Context, mc *memoCall, c *codec.Codec[R]) (*R, bool) {
	for r := mc.run; r != nil; r = r.parent {
		if r != mc.run {
			if pe := r.ready(mc.k, mc.key); pe != nil {
				if p, ok := pe.val.(*R); ok {
					return p, true
				}
			}
		}
		if r.id != "" && c != nil {
			if p, ok := readDurable(ctx, mc, c, r.id); ok {
				return p, true
			}
		}
	}
	return nil, false
}

// runKey is the object name of the call's durable entry in run id. A task
// without a Signature (not generated for memo) falls back to its code
// fingerprint, which is stricter.
func (mc *memoCall) runKey(id string) string {
	sig := mc.t.Signature
	if sig == "" {
		sig = mc.t.Fingerprint
	}
	var hex [16]byte
	return backends.RunKey(mc.ns, id, mc.t.ID, sig, string(appendHex(hex[:0], mc.k.digest)))
}

// readDurable reads and verifies the call's entry in durable run id. Any
// failure is a miss; a store failure or a bad entry is logged and counted.
func readDurable[R any](ctx context.Context, mc *memoCall, c *codec.Codec[R], id string) (*R, bool) {
	rt := mc.rt
	name := mc.runKey(id)
	_, check := argHashes(mc.key)
	r := new(R)
	h, _, _, ok := readEntry(ctx, rt, mc.t.ID, name, check, c, r)
	if !ok {
		return nil, false
	}
	rt.stats.saved.Add(int64(h.Compute))
	return r, true
}

// executeMemo runs fn for the claimed entry e. A result is published to
// the run (and stored when the run is durable and c is not nil); an error
// or a panic removes e, so a later call executes again, and reaches the
// callers waiting on e.
func executeMemo[R any](ctx context.Context, mc *memoCall, e *memoEntry, c *codec.Codec[R], fn func(context.Context) (R, error)) (R, error) {
	rt := mc.rt
	rt.stats.memoMisses.Add(1)
	start := rt.now()
	p := new(R)
	var err error
	func() {
		defer func() {
			if v := recover(); v != nil {
				e.panicked = v
			}
		}()
		*p, err = fn(ctx)
	}()
	if e.panicked != nil {
		mc.run.fail(mc.k, e)
		panic(e.panicked)
	}
	if err != nil {
		e.err = err
		e.cancelled = ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
		mc.run.fail(mc.k, e)
		var zero R
		return zero, err
	}
	if mc.forced {
		mc.refresh.markDone(mc.refreshKey())
	}
	e.publish(p)
	if mc.run.id != "" && c != nil && !rt.readOnly {
		writeDurable(ctx, mc, c, p, rt.now().Sub(start))
	}
	return *p, nil
}

// writeDurable stores the call's result in its run, replacing an older
// entry (after a refresh). A failure is logged: the result stays in the run
// in this process.
func writeDurable[R any](ctx context.Context, mc *memoCall, c *codec.Codec[R], p *R, elapsed time.Duration) {
	rt := mc.rt
	payload, err := c.Append(nil, p)
	if err != nil {
		rt.logOnce(ctx, mc.t.ID, "cachegen: memo result cannot be encoded; it stays in this process", "task", mc.t.ID, "err", err)
		return
	}
	_, check := argHashes(mc.key)
	h := entry.Header{Codec: codec.ID, KeyCheck: check, Created: rt.now(), Compute: elapsed}
	rt.writeEntry(ctx, mc.runKey(mc.run.id), h, payload, 0)
}
