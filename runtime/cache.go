package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/internal/srchash"
	"github.com/cachegen/cachegen/runtime/internal/codec"
	"github.com/cachegen/cachegen/runtime/internal/entry"
	"github.com/cachegen/cachegen/runtime/internal/lease"
)

// checkSeed seeds the second, independent hash of the argument bytes that
// every entry carries, so a collision of the 64-bit digest reads as a miss.
const checkSeed = 0x63616368_6567656e // "cachegen"

// argHashes returns the digest that names an entry and its independent check.
func argHashes(key []byte) (digest, check uint64) {
	var d xxhash.Digest
	d.ResetWithSeed(checkSeed)
	d.Write(key)
	return xxhash.Sum64(key), d.Sum64()
}

// appendHex appends v as 16 lowercase hex digits.
func appendHex(b []byte, v uint64) []byte {
	const digits = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, digits[(v>>uint(shift))&15])
	}
	return b
}

// ObjectKey returns the store key of a task's result for encoded key
// arguments in namespace ns (see backends.CacheKey).
func ObjectKey(ns string, t *Task, key []byte) string {
	digest, _ := argHashes(key)
	return objectKey(ns, t, digest)
}

func objectKey(ns string, t *Task, digest uint64) string {
	var hex [16]byte
	return backends.CacheKey(ns, t.ID, t.Fingerprint, string(appendHex(hex[:0], digest)))
}

// call is what one cache call is about.
type call struct {
	rt     *Runtime
	t      *Task
	ns     string
	digest uint64
	check  uint64
}

func (c *call) layerKey() layerKey { return layerKey{task: c.t, ns: c.ns, digest: c.digest} }

// expired reports whether an entry made at created is past the task's TTL.
func (c *call) expired(created time.Time) bool {
	return c.t.TTL > 0 && c.rt.now().Sub(created) > c.t.TTL
}

// Cached is the cache path of a //cache:task wrapper: it returns the stored
// result of t for the encoded key arguments, or runs fn, stores its result
// (unless fn failed or panicked) and returns it. keyErr is the key encoder's
// error (a cycle in an argument, say): the call then runs fn uncached. It is
// meant for generated code.
func Cached[R any](ctx context.Context, t *Task, key []byte, keyErr error, fn func(context.Context) (R, error)) (R, error) {
	sc := scopeOf(ctx)
	rt := sc.rt
	if rt == nil {
		rt = Default()
	}
	if rt.disabled {
		rt.stats.uncached.Add(1)
		return fn(ctx)
	}
	if rt.stale != StaleOff {
		if changes := t.staleChanges(); changes != nil {
			rt.staleCall(ctx, t, changes)
			return fn(ctx)
		}
	}
	if keyErr != nil {
		rt.stats.uncached.Add(1)
		rt.logOnce(ctx, t.ID, "cachegen: arguments cannot be keyed; calling uncached", "task", t.ID, "err", keyErr)
		return fn(ctx)
	}
	cl := call{rt: rt, t: t, ns: rt.namespaceIn(sc)}
	cl.digest, cl.check = argHashes(key)
	refresh := rt.refreshState(sc, t)
	lookups := refresh == nil || refresh.done(cl.layerKey())
	if lookups {
		if r, ok := hitMemory[R](&cl); ok {
			return r, nil
		}
	}
	c, err := codec.For[R]()
	if err != nil {
		rt.stats.uncached.Add(1)
		rt.logOnce(ctx, t.ID, "cachegen: result type cannot be stored; calling uncached", "task", t.ID, "err", err)
		return fn(ctx)
	}
	why := "refresh requested"
	if lookups {
		var r R
		var ok bool
		if r, ok, why = hitStore(ctx, &cl, c); ok {
			return r, nil
		}
	}
	if rt.rec != nil || rt.obs != nil {
		why = rt.missReason(ctx, &cl, key, why)
	}
	if rt.rec != nil {
		rt.rec.miss(&cl, why)
	}
	if rt.log.Enabled(ctx, slog.LevelDebug) {
		rt.logMiss(ctx, &cl, key, why)
	}
	if rt.obs != nil {
		fn = observed(rt.obs, t, why, fn)
	}
	r, err := compute(ctx, cl, c, fn)
	if err == nil && refresh != nil {
		refresh.markDone(cl.layerKey())
	}
	return r, err
}

// hitMemory serves a call from the in-process layer. The entry keeps the
// codec that made it, so a warm hit does not look the codec up.
func hitMemory[R any](cl *call) (R, bool) {
	var r R
	e, ok := cl.rt.layer.get(cl.layerKey())
	if !ok || e.check != cl.check || cl.expired(e.created) {
		return r, false
	}
	c, ok := e.codec.(*codec.Codec[R])
	if !ok || c.Decode(e.payload, &r) != nil {
		cl.rt.layer.remove(cl.layerKey()) // cannot happen for a verified payload; be safe
		return r, false
	}
	cl.rt.stats.memoryHits.Add(1)
	cl.rt.stats.saved.Add(int64(e.compute))
	if e.act != nil {
		e.act.memoryHits.Add(1)
		e.act.saved.Add(int64(e.compute))
	}
	return r, true
}

// hitStore serves a call from the store: the own namespace, then the
// parents in order. On a miss it says why, for the debug log ("" when the
// entry was simply not found).
func hitStore[R any](ctx context.Context, cl *call, c *codec.Codec[R]) (R, bool, string) {
	var zero R
	if cl.rt.store == nil {
		return zero, false, "no store"
	}
	r, ok, why := lookup(ctx, cl, c, cl.ns)
	for _, parent := range cl.rt.parents {
		if ok {
			break
		}
		if parent != cl.ns {
			r, ok, _ = lookup(ctx, cl, c, parent)
		}
	}
	return r, ok, why
}

// lookup reads and verifies the entry of the call in namespace ns. Any
// failure is a miss; its reason is returned for the debug log.
func lookup[R any](ctx context.Context, cl *call, c *codec.Codec[R], ns string) (R, bool, string) {
	var zero R
	rt := cl.rt
	name := objectKey(ns, cl.t, cl.digest)
	var r R
	h, payload, why, ok := readEntry(ctx, rt, cl.t.ID, name, cl.check, c, &r)
	if !ok {
		return zero, false, why
	}
	if cl.expired(h.Created) {
		return zero, false, fmt.Sprintf("expired: stored %s ago, ttl %s", rt.now().Sub(h.Created).Round(time.Second), cl.t.TTL)
	}
	rt.stats.storeHits.Add(1)
	rt.stats.saved.Add(int64(h.Compute))
	act := rt.rec.cell(cl.t, cl.ns)
	if act != nil {
		act.storeHits.Add(1)
		act.saved.Add(int64(h.Compute))
	}
	rt.layer.put(&layerEntry{key: cl.layerKey(), check: cl.check, created: h.Created, compute: h.Compute, payload: payload, codec: c, act: act})
	return r, true, ""
}

// logMiss logs, at debug level, why a call missed.
func (rt *Runtime) logMiss(ctx context.Context, cl *call, key []byte, why string) {
	if why == "" && rt.store != nil {
		ex, err := Explain(ctx, rt.store, cl.ns, cl.t, key, rt.now())
		why = ex.Reason
		if err != nil {
			why = "not found (" + err.Error() + ")"
		}
	}
	rt.log.DebugContext(ctx, "cachegen: miss", "task", cl.t.ID, "namespace", cl.ns, "reason", why)
}

// read returns the whole stored object.
func (rt *Runtime) read(ctx context.Context, name string) ([]byte, error) {
	if rt.readAll != nil {
		data, _, err := rt.readAll.ReadAll(ctx, name)
		return data, err
	}
	return readObject(ctx, rt.store, name)
}

// flightResult is what the leader of a singleflight call hands its waiters.
type flightResult[R any] struct {
	val       R
	payload   []byte // encoded val, for waiters to decode their own copy; nil if it could not be encoded
	err       error
	panicked  any
	cancelled bool // the leader failed only because its own ctx ended
}

// compute runs fn once per key in this process, stores a successful result
// and returns it; waiters get their own decoded copy. cl is passed by value
// so that the hit path's call stays on the stack.
func compute[R any](ctx context.Context, cl call, c *codec.Codec[R], fn func(context.Context) (R, error)) (R, error) {
	name := objectKey(cl.ns, cl.t, cl.digest)
	for {
		leader := false
		ch := cl.rt.flight.DoChan(name, func() (any, error) {
			leader = true
			return lead(ctx, &cl, c, name, fn), nil
		})
		var res *flightResult[R]
		select {
		case r := <-ch:
			res = r.Val.(*flightResult[R])
		case <-ctx.Done():
			var zero R
			return zero, ctx.Err()
		}
		if res.panicked != nil {
			panic(res.panicked)
		}
		if leader {
			return res.val, res.err
		}
		if res.cancelled && ctx.Err() == nil {
			continue // the leader's caller gave up; this caller still wants the result
		}
		if res.err != nil || res.payload == nil {
			return res.val, res.err
		}
		var r R
		if err := c.Decode(res.payload, &r); err != nil {
			return res.val, nil
		}
		return r, nil
	}
}

// lead runs fn as the singleflight leader and stores its result; for a
// lock task, under a lease that makes processes sharing the store run it
// once per key.
func lead[R any](ctx context.Context, cl *call, c *codec.Codec[R], name string, fn func(context.Context) (R, error)) *flightResult[R] {
	res := new(flightResult[R])
	if !cl.t.Lock || cl.rt.store == nil || cl.rt.readOnly || cl.rt.br.isOpen() {
		// A read-only client takes no lease: it cannot write one.
		runAndStore(ctx, cl, c, name, fn, res)
		return res
	}
	lockKey := backends.LockKey(cl.ns, cl.t.ID, cl.t.Fingerprint, name[strings.LastIndexByte(name, '/')+1:])
	ready := func(ctx context.Context) (bool, error) {
		r, ok, _ := lookup(ctx, cl, c, cl.ns)
		if ok {
			res.val = r
			res.payload, _ = c.Append(nil, &r) // for this process's waiters
		}
		return ok, nil
	}
	body := func(ctx context.Context) error {
		runAndStore(ctx, cl, c, name, fn, res)
		return nil
	}
	cfg := lease.Config{Logger: cl.rt.log, Now: cl.rt.now, Period: cl.rt.lease}
	if _, err := lease.Run(ctx, cl.rt.store, lockKey, cl.t.LockTimeout, cfg, ready, body); err != nil {
		res.err = err // the caller's context ended while it waited
	}
	return res
}

// runAndStore runs fn, recovering a panic into res, and stores a successful
// result in the layer and the store.
func runAndStore[R any](ctx context.Context, cl *call, c *codec.Codec[R], name string, fn func(context.Context) (R, error), res *flightResult[R]) {
	rt := cl.rt
	rt.stats.misses.Add(1)
	start := rt.now()
	func() {
		defer func() {
			if p := recover(); p != nil {
				res.panicked = p
			}
		}()
		res.val, res.err = fn(ctx)
	}()
	if (res.panicked != nil || res.err != nil) && rt.rec != nil {
		rt.rec.failed(cl.t, cl.ns)
	}
	if res.panicked != nil {
		return
	}
	if res.err != nil {
		res.cancelled = ctx.Err() != nil && (errors.Is(res.err, context.Canceled) || errors.Is(res.err, context.DeadlineExceeded))
		return
	}
	now := rt.now()
	elapsed := now.Sub(start)
	payload, err := c.Append(nil, &res.val)
	if err != nil {
		rt.stats.uncached.Add(1)
		rt.logOnce(ctx, cl.t.ID, "cachegen: result cannot be encoded; not stored", "task", cl.t.ID, "err", err)
		return
	}
	res.payload = payload
	rt.layer.put(&layerEntry{key: cl.layerKey(), check: cl.check, created: now, compute: elapsed, payload: payload, codec: c, act: rt.rec.cell(cl.t, cl.ns)})
	if rt.store == nil || rt.readOnly {
		return
	}
	h := entry.Header{Codec: codec.ID, KeyCheck: cl.check, Created: now, Compute: elapsed}
	if rt.writeEntry(ctx, name, h, payload, cl.t.TTL) {
		rt.writeManifest(ctx, cl)
	}
}

// writeManifest stores the task's key manifest once per namespace and
// fingerprint (create-if-absent: an existing one is never rewritten), so
// that a later miss under another fingerprint can say what changed. It runs
// on misses only; the hit path never reads manifests.
func (rt *Runtime) writeManifest(ctx context.Context, cl *call) {
	name := backends.ManifestKey(cl.ns, cl.t.ID, cl.t.Fingerprint)
	if _, done := rt.manifests.LoadOrStore(name, true); done {
		return
	}
	data, err := json.Marshal(Manifest{
		Task: cl.t.ID, Fingerprint: cl.t.Fingerprint, Version: cl.t.Version,
		Parts: cl.t.Parts, NotFollowed: cl.t.NotFollowed, Created: rt.now().UTC(),
	})
	if err != nil {
		return // a Manifest always marshals
	}
	_, err = rt.store.Put(ctx, name, bytes.NewReader(data), backends.PutOptions{IfAbsent: true, Size: int64(len(data))})
	if err != nil && !errors.Is(err, backends.ErrPrecondition) {
		rt.manifests.Delete(name) // try again on a later miss
		rt.storeFailed(ctx, "put", name, err)
	}
}

// staleCall counts and reports a call of a stale wrapper, which then runs
// its function uncached; under StaleError it panics instead.
func (rt *Runtime) staleCall(ctx context.Context, t *Task, changes []srchash.Change) {
	rt.stats.uncached.Add(1)
	if rt.stale == StaleError {
		panic(fmt.Errorf("%w: task %s: %s", ErrStaleWrapper, t.ID, srchash.Describe(changes)))
	}
	rt.logOnce(ctx, t.ID, "cachegen: the generated wrapper is stale, its code changed since go generate; calling it uncached until you run go generate",
		"task", t.ID, "changed", srchash.Describe(changes))
}
