package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime/internal/codec"
	"github.com/cachegen/cachegen/runtime/internal/entry"
	"github.com/cachegen/cachegen/runtime/internal/seal"
)

// The one entry path of cached results and durable memo entries: read,
// verify the signature, parse, check the key and codec, decode; encode,
// sign, write. A failure of any step is a miss, never an error.

// readEntry reads the entry stored under name, verifies it and decodes its
// payload into r. A missing entry says nothing; a store failure, an entry
// not signed by a trusted key and a corrupt entry are logged and counted
// (task names whose log line it is). why says what went wrong, for the
// debug log ("" when the entry was simply not there).
func readEntry[R any](ctx context.Context, rt *Runtime, task, name string, check uint64, c *codec.Codec[R], r *R) (h entry.Header, payload []byte, why string, ok bool) {
	data, err := rt.read(ctx, name)
	if err != nil {
		if !errors.Is(err, backends.ErrNotFound) {
			rt.storeFailed(ctx, "get", name, err)
			return h, nil, "store failed: " + err.Error(), false
		}
		return h, nil, "", false
	}
	data, err = rt.keys.open(name, data)
	if errors.Is(err, seal.ErrUnverified) {
		rt.unverified(ctx, task, name, err)
		return h, nil, "entry not signed by a trusted key: " + err.Error(), false
	}
	if err == nil {
		h, payload, err = entry.Parse(data)
	}
	if err == nil && h.KeyCheck != check {
		err = fmt.Errorf("key check mismatch (a digest collision or a foreign entry): %w", entry.ErrCorrupt)
	}
	if err == nil && h.Codec != codec.ID {
		err = fmt.Errorf("codec %d, want %d: %w", h.Codec, codec.ID, entry.ErrCorrupt)
	}
	if err == nil {
		err = c.Decode(payload, r)
	}
	if err != nil {
		rt.stats.corrupt.Add(1)
		rt.log.WarnContext(ctx, "cachegen: bad entry; computing instead", "key", name, "err", err)
		return h, nil, "entry corrupt: " + err.Error(), false
	}
	return h, payload, "", true
}

// writeEntry stores payload under name as an entry with header h, signed
// when the runtime signs; a store that can expire objects drops it after
// ttl (a task's ttl=, after which it is a miss anyway; 0 keeps it). A
// failure is logged and counted; it reports whether the entry was written.
func (rt *Runtime) writeEntry(ctx context.Context, name string, h entry.Header, payload []byte, ttl time.Duration) bool {
	data := entry.Append(make([]byte, 0, entry.HeaderSize+len(payload)), h, payload)
	data = rt.keys.seal(name, data)
	if _, err := rt.store.Put(ctx, name, bytes.NewReader(data), backends.PutOptions{Size: int64(len(data)), TTL: ttl}); err != nil {
		rt.storeFailed(ctx, "put", name, err)
		return false
	}
	return true
}
