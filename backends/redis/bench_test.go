package redis_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/backends/redis"
	"github.com/cachegen/cachegen/backends/storetest"
	"github.com/cachegen/cachegen/runtime"
)

const benchSize = 1 << 10

// benchStore returns a store holding a 1 KiB value under
// storetest.BenchKey.
func benchStore(b *testing.B) *redis.Store {
	s := fresh(b)
	if _, err := s.Put(b.Context(), storetest.BenchKey, bytes.NewReader(benchValue), backends.PutOptions{Size: benchSize}); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkGet is a store hit: Get plus reading the 1 KiB value.
func BenchmarkGet(b *testing.B) {
	storetest.BenchGet(b, benchStore(b), storetest.BenchKey, benchSize)
}

// BenchmarkGetFloor is the floor of BenchmarkGet: the raw client's GET of
// the object's Redis key, the same bytes.
func BenchmarkGetFloor(b *testing.B) {
	s := benchStore(b)
	key := s.ObjectKey(storetest.BenchKey)
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		v, err := s.Client().Get(b.Context(), key).Bytes()
		if err != nil || len(v) < benchSize {
			b.Fatal(len(v), err)
		}
	}
}

var benchTask = runtime.Task{ID: "example.com/m/pkg.Bench", Fingerprint: "0123456789abcdef"}

// hitRuntime returns a context whose runtime, without its in-process
// layer, reads every hit from store; the entry the loop hits is stored.
func hitRuntime(b *testing.B, store backends.Store) context.Context {
	rt, err := runtime.New(b.Context(), runtime.WithStore(store), runtime.WithMemoryLimit(0),
		runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	ctx := runtime.WithRuntime(b.Context(), rt)
	hit(b, ctx)
	if rt.Stats().Misses != 1 {
		b.Fatal("the first call did not compute")
	}
	return ctx
}

var benchValue = make([]byte, benchSize)

func hit(b *testing.B, ctx context.Context) {
	v, err := runtime.Cached(ctx, &benchTask, runtime.AppendString(nil, "key"), nil,
		func(context.Context) ([]byte, error) { return benchValue, nil })
	if err != nil || len(v) != benchSize {
		b.Fatal(len(v), err)
	}
}

// BenchmarkRuntimeHit is a cache hit read from Redis through the runtime:
// the entry's GET, its checks and the decoding of a 1 KiB result.
// BenchmarkGetFloor is its floor.
func BenchmarkRuntimeHit(b *testing.B) {
	ctx := hitRuntime(b, fresh(b))
	b.ReportAllocs()
	for b.Loop() {
		hit(b, ctx)
	}
}

// BenchmarkTieredHit is the same hit through a file store in front of
// Redis, as a second process on the machine sees it: served by the file
// store. It reports the GETs Redis answered per hit (0).
func BenchmarkTieredHit(b *testing.B) {
	local, err := fs.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	remote := fresh(b)
	tiered, err := backends.NewTiered(local, remote)
	if err != nil {
		b.Fatal(err)
	}
	ctx := hitRuntime(b, tiered)
	before := getCalls(b, needServer(b).Addr)
	b.ReportAllocs()
	for b.Loop() {
		hit(b, ctx)
	}
	b.ReportMetric(float64(getCalls(b, needServer(b).Addr)-before)/float64(b.N), "redis-gets/op")
}

// BenchmarkLocalHit is the floor of BenchmarkTieredHit: the same hit on
// the file store alone.
func BenchmarkLocalHit(b *testing.B) {
	local, err := fs.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	ctx := hitRuntime(b, local)
	b.ReportAllocs()
	for b.Loop() {
		hit(b, ctx)
	}
}
