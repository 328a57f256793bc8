package runtime

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
)

// FuzzStoredEntry stores arbitrary bytes where an entry is expected: the
// cache path must never panic and never return anything but the computed
// value (or, for bytes that are exactly a valid entry of this key, the
// stored value the seed corpus makes).
func FuzzStoredEntry(f *testing.F) {
	var runs atomic.Int64
	seedRT, seedCtx := newRuntime(f, memory.New())
	Cached(seedCtx, &testTask, key("k"), nil, counted(&runs, 42))
	valid, err := seedRT.read(seedCtx, ObjectKey(DefaultNamespace, &testTask, key("k")))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add([]byte{})
	f.Add([]byte("CGE\x01garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		store := memory.New()
		name := ObjectKey(DefaultNamespace, &testTask, key("k"))
		if _, err := store.Put(context.Background(), name, bytes.NewReader(data), backends.PutOptions{Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
		rt, ctx := newRuntime(t, store, WithMemoryLimit(0))
		var n atomic.Int64
		r, err := Cached(ctx, &testTask, key("k"), nil, counted(&n, 42))
		if err != nil {
			t.Fatalf("Cached: %v", err)
		}
		if r.N != 42 || len(r.Tags) != 2 || r.M["x"] != 42 {
			t.Fatalf("got %+v from a stored entry %x", r, data)
		}
		s := rt.Stats()
		if s.StoreHits+s.Misses != 1 || (s.Misses == 1) != (n.Load() == 1) {
			t.Fatalf("stats %+v after %d runs", s, n.Load())
		}
	})
}
