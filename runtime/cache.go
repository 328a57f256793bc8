package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/cespare/xxhash/v2"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime/internal/codec"
	"github.com/cachegen/cachegen/runtime/internal/entry"
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

// Cached is the cache path of a //cache:task wrapper: it returns the stored
// result of t for the encoded key arguments, or runs fn, stores its result
// (unless fn failed or panicked) and returns it. keyErr is the key encoder's
// error (a cycle in an argument, say): the call then runs fn uncached. It is
// meant for generated code.
func Cached[R any](ctx context.Context, t *Task, key []byte, keyErr error, fn func(context.Context) (R, error)) (R, error) {
	rt := FromContext(ctx)
	if rt.disabled {
		rt.stats.uncached.Add(1)
		return fn(ctx)
	}
	if keyErr != nil {
		rt.stats.uncached.Add(1)
		rt.logOnce(ctx, t.ID, "cachegen: arguments cannot be keyed; calling uncached", "task", t.ID, "err", keyErr)
		return fn(ctx)
	}
	c, err := codec.For[R]()
	if err != nil {
		rt.stats.uncached.Add(1)
		rt.logOnce(ctx, t.ID, "cachegen: result type cannot be stored; calling uncached", "task", t.ID, "err", err)
		return fn(ctx)
	}
	ns := rt.Namespace(ctx)
	digest, check := argHashes(key)
	lk := layerKey{task: t, ns: ns, digest: digest}

	if e, ok := rt.layer.get(lk); ok && e.check == check {
		var r R
		if err := c.Decode(e.payload, &r); err == nil {
			rt.stats.memoryHits.Add(1)
			rt.stats.saved.Add(int64(e.compute))
			return r, nil
		}
		rt.layer.remove(lk) // cannot happen for a verified payload; be safe
	}
	name := objectKey(ns, t, digest)
	if r, ok := lookup(ctx, rt, c, lk, name, check); ok {
		return r, nil
	}
	return compute(ctx, rt, c, lk, name, check, fn)
}

// lookup reads and verifies the stored entry. Any failure is a miss.
func lookup[R any](ctx context.Context, rt *Runtime, c *codec.Codec[R], lk layerKey, name string, check uint64) (R, bool) {
	var zero R
	if rt.store == nil {
		return zero, false
	}
	data, err := rt.read(ctx, name)
	if err != nil {
		if !errors.Is(err, backends.ErrNotFound) {
			rt.storeFailed(ctx, "get", name, err)
		}
		return zero, false
	}
	h, payload, err := entry.Parse(data)
	if err == nil && h.KeyCheck != check {
		err = fmt.Errorf("key check mismatch (a digest collision or a foreign entry): %w", entry.ErrCorrupt)
	}
	if err == nil && h.Codec != codec.ID {
		err = fmt.Errorf("codec %d, want %d: %w", h.Codec, codec.ID, entry.ErrCorrupt)
	}
	var r R
	if err == nil {
		err = c.Decode(payload, &r)
	}
	if err != nil {
		rt.stats.corrupt.Add(1)
		rt.log.WarnContext(ctx, "cachegen: bad entry; recomputing", "key", name, "err", err)
		return zero, false
	}
	rt.stats.storeHits.Add(1)
	rt.stats.saved.Add(int64(h.Compute))
	rt.layer.put(&layerEntry{key: lk, check: check, compute: h.Compute, payload: payload})
	return r, true
}

// read returns the whole stored object.
func (rt *Runtime) read(ctx context.Context, name string) ([]byte, error) {
	if rt.readAll != nil {
		data, _, err := rt.readAll.ReadAll(ctx, name)
		return data, err
	}
	rc, info, err := rt.store.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := bytes.NewBuffer(make([]byte, 0, max(info.Size, 0)+bytes.MinRead))
	if _, err := buf.ReadFrom(rc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
// and returns it; waiters get their own decoded copy.
func compute[R any](ctx context.Context, rt *Runtime, c *codec.Codec[R], lk layerKey, name string, check uint64, fn func(context.Context) (R, error)) (R, error) {
	for {
		leader := false
		ch := rt.flight.DoChan(name, func() (any, error) {
			leader = true
			return lead(ctx, rt, c, lk, name, check, fn), nil
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

// lead runs fn as the singleflight leader and stores its result.
func lead[R any](ctx context.Context, rt *Runtime, c *codec.Codec[R], lk layerKey, name string, check uint64, fn func(context.Context) (R, error)) (res *flightResult[R]) {
	res = new(flightResult[R])
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
	if res.panicked != nil {
		return res
	}
	if res.err != nil {
		res.cancelled = ctx.Err() != nil && (errors.Is(res.err, context.Canceled) || errors.Is(res.err, context.DeadlineExceeded))
		return res
	}
	elapsed := rt.now().Sub(start)
	payload, err := c.Append(nil, &res.val)
	if err != nil {
		rt.stats.uncached.Add(1)
		rt.logOnce(ctx, lk.task.ID, "cachegen: result cannot be encoded; not stored", "task", lk.task.ID, "err", err)
		return res
	}
	res.payload = payload
	rt.layer.put(&layerEntry{key: lk, check: check, compute: elapsed, payload: payload})
	if rt.store != nil {
		h := entry.Header{Codec: codec.ID, KeyCheck: check, Created: rt.now(), Compute: elapsed}
		data := entry.Append(make([]byte, 0, entry.HeaderSize+len(payload)), h, payload)
		if _, err := rt.store.Put(ctx, name, bytes.NewReader(data), backends.PutOptions{Size: int64(len(data))}); err != nil {
			rt.storeFailed(ctx, "put", name, err)
		}
	}
	return res
}
