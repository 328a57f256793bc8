package runtime

import (
	"context"
	"sync"
	"testing"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/sync/singleflight"
)

var memoBenchTask = Task{ID: "example.com/m/pkg.MemoBench", Fingerprint: "0123456789abcdef", Signature: "fedcba9876543210"}

// BenchmarkMemo compares an in-process memo hit with its floor (a typed map
// lookup under an RWMutex with the same key hashing) and with
// x/sync/singleflight. Each builds a fixed-size key into a stack buffer.
//
//	go test ./runtime -run '^$' -bench BenchmarkMemo -benchmem -count 5
func BenchmarkMemo(b *testing.B) {
	b.Run("hit", func(b *testing.B) {
		rt, err := New(context.Background(), WithStoreURL("off"), WithLogger(quiet()))
		if err != nil {
			b.Fatal(err)
		}
		ctx := WithRuntime(context.Background(), rt)
		var buf [64]byte
		Memo(ctx, &memoBenchTask, benchKey(buf[:0], "sample-42", 7), nil, benchBody)
		b.ReportAllocs()
		for b.Loop() {
			k := benchKey(buf[:0], "sample-42", 7)
			if _, err := Memo(ctx, &memoBenchTask, k, nil, benchBody); err != nil {
				b.Fatal(err)
			}
		}
		if s := rt.Stats(); s.MemoMisses != 1 {
			b.Fatalf("stats %+v: the loop missed", s)
		}
	})
	b.Run("floor", func(b *testing.B) {
		var (
			mu sync.RWMutex
			m  = map[uint64]benchResult{}
		)
		var buf [64]byte
		m[xxhash.Sum64(benchKey(buf[:0], "sample-42", 7))] = benchValue()
		b.ReportAllocs()
		for b.Loop() {
			k := benchKey(buf[:0], "sample-42", 7)
			h := xxhash.Sum64(k)
			mu.RLock()
			_, ok := m[h]
			mu.RUnlock()
			if !ok {
				b.Fatal("missing")
			}
		}
	})
	b.Run("singleflight", func(b *testing.B) {
		var g singleflight.Group
		v := benchValue()
		var buf [64]byte
		b.ReportAllocs()
		for b.Loop() {
			k := benchKey(buf[:0], "sample-42", 7)
			if _, err, _ := g.Do(string(k), func() (any, error) { return &v, nil }); err != nil {
				b.Fatal(err)
			}
		}
	})
}
