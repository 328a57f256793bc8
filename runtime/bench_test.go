package runtime

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cespare/xxhash/v2"

	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/runtime/internal/codec"
	"github.com/cachegen/cachegen/runtime/internal/entry"
)

// benchResult is the shape: a small struct with a slice and a map.
type benchResult struct {
	Name   string
	Score  float64
	Tags   []string
	Counts map[string]int
}

func benchValue() benchResult {
	return benchResult{
		Name: "sample-42", Score: 0.93,
		Tags:   []string{"alpha", "beta", "gamma", "delta", "epsilon"},
		Counts: map[string]int{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
	}
}

var benchTask = Task{ID: "example.com/m/pkg.Bench", Fingerprint: "0123456789abcdef"}

func benchKey(b []byte, name string, n int) []byte {
	return AppendInt(AppendString(b, name), int64(n))
}

func benchBody(context.Context) (benchResult, error) { return benchValue(), nil }

// benchHits builds a runtime with opts, makes task's entry with one miss,
// then measures the hits of the same call; every later call must hit.
// warm also requires that no hit came from the store.
func benchHits(b *testing.B, task *Task, warm bool, opts ...Option) {
	rt, err := New(context.Background(), append([]Option{WithLogger(quiet())}, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	ctx := WithRuntime(context.Background(), rt)
	var buf [128]byte
	Cached(ctx, task, benchKey(buf[:0], "sample-42", 7), nil, benchBody)
	b.ReportAllocs()
	for b.Loop() {
		k := benchKey(buf[:0], "sample-42", 7)
		if _, err := Cached(ctx, task, k, nil, benchBody); err != nil {
			b.Fatal(err)
		}
	}
	if s := rt.Stats(); s.Misses != 1 || warm && s.StoreHits != 0 || s.Unverified != 0 {
		b.Fatalf("stats %+v: the loop did not hit as it should", s)
	}
}

// BenchmarkHitCold is a hit read from the file store with the in-process
// layer off: key, object name, read, header checks, decode.
func BenchmarkHitCold(b *testing.B) {
	store, err := fs.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	benchHits(b, &benchTask, false, WithStore(store), WithMemoryLimit(0))
}

// BenchmarkHitColdFloor is the least a cold hit can cost: the same key
// derivation, os.ReadFile of the same bytes, and decoding their payload.
func BenchmarkHitColdFloor(b *testing.B) {
	c, err := codec.For[benchResult]()
	if err != nil {
		b.Fatal(err)
	}
	v := benchValue()
	payload, _ := c.Append(nil, &v)
	data := entry.Append(nil, entry.Header{Codec: codec.ID}, payload)
	path := filepath.Join(b.TempDir(), "entry")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	var buf [128]byte
	b.ReportAllocs()
	for b.Loop() {
		k := benchKey(buf[:0], "sample-42", 7)
		_ = xxhash.Sum64(k)
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		var r benchResult
		if err := c.Decode(data[entry.HeaderSize:], &r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHitWarm is a repeated hit served by the in-process layer.
func BenchmarkHitWarm(b *testing.B) {
	benchHits(b, &benchTask, true, WithStoreURL("mem://"))
}

// BenchmarkHitWarmFloor is the least a warm hit can cost: the same key
// derivation, a map lookup, and decoding the payload afresh.
func BenchmarkHitWarmFloor(b *testing.B) {
	c, err := codec.For[benchResult]()
	if err != nil {
		b.Fatal(err)
	}
	v := benchValue()
	payload, _ := c.Append(nil, &v)
	var buf [128]byte
	m := map[uint64][]byte{xxhash.Sum64(benchKey(buf[:0], "sample-42", 7)): payload}
	b.ReportAllocs()
	for b.Loop() {
		k := benchKey(buf[:0], "sample-42", 7)
		p, ok := m[xxhash.Sum64(k)]
		if !ok {
			b.Fatal("missing")
		}
		var r benchResult
		if err := c.Decode(p, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHitWarmNoActivity is BenchmarkHitWarm with activity recording
// off: the difference is what recording costs a hit.
func BenchmarkHitWarmNoActivity(b *testing.B) {
	benchHits(b, &benchTask, true, WithStoreURL("mem://"), WithActivityInterval(0))
}

// BenchmarkHitColdNoActivity is BenchmarkHitCold with activity recording
// off.
func BenchmarkHitColdNoActivity(b *testing.B) {
	store, err := fs.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	benchHits(b, &benchTask, false, WithStore(store), WithMemoryLimit(0), WithActivityInterval(0))
}
