package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/dgraph-io/ristretto/v2"
	"github.com/fxamacker/cbor/v2"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/maypok86/otter/v2"
	gocache "github.com/patrickmn/go-cache"
	"golang.org/x/sync/singleflight"

	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/runtime"
)

// The memo benchmarks look up f(ctx, "sample-42", 7), a hit, every
// iteration. Each peer does the key work a user would write for it: a
// comparable struct key where the library takes one, a string key where it
// takes only strings.

type memoKey struct {
	a string
	b int
}

func lookupBody(a string, b int) (int, error) { return len(a) + b, nil }

// memoContext is a context whose runtime keeps nothing in a store, as in a
// run without CACHEGEN_RUN.
func memoContext(b *testing.B) context.Context {
	rt, err := runtime.New(context.Background(), runtime.WithStoreURL("mem://"), runtime.WithActivityInterval(0),
		runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	return runtime.WithRuntime(context.Background(), rt)
}

func BenchmarkMemoHit(b *testing.B) {
	b.Run("cachegen", func(b *testing.B) {
		ctx := memoContext(b)
		LookupMemo(ctx, "sample-42", 7)
		b.ReportAllocs()
		for b.Loop() {
			if v, _ := LookupMemo(ctx, "sample-42", 7); v != 16 {
				b.Fatal(v)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		// A typed map keyed by the comparable arguments, under an RWMutex.
		var mu sync.RWMutex
		m := map[memoKey]int{}
		get := func(a string, n int) int {
			mu.RLock()
			v, ok := m[memoKey{a, n}]
			mu.RUnlock()
			if ok {
				return v
			}
			v, _ = lookupBody(a, n)
			mu.Lock()
			m[memoKey{a, n}] = v
			mu.Unlock()
			return v
		}
		get("sample-42", 7)
		b.ReportAllocs()
		for b.Loop() {
			if get("sample-42", 7) != 16 {
				b.Fatal()
			}
		}
	})
	b.Run("go-cache+singleflight", func(b *testing.B) {
		c := gocache.New(gocache.NoExpiration, 0)
		var g singleflight.Group
		get := func(a string, n int) int {
			key := a + "\x00" + strconv.Itoa(n)
			if v, ok := c.Get(key); ok {
				return v.(int)
			}
			v, _, _ := g.Do(key, func() (any, error) {
				v, err := lookupBody(a, n)
				c.SetDefault(key, v)
				return v, err
			})
			return v.(int)
		}
		get("sample-42", 7)
		b.ReportAllocs()
		for b.Loop() {
			if get("sample-42", 7) != 16 {
				b.Fatal()
			}
		}
	})
	b.Run("otter", func(b *testing.B) {
		c := otter.Must(&otter.Options[memoKey, int]{MaximumSize: 10_000})
		loader := otter.LoaderFunc[memoKey, int](func(_ context.Context, k memoKey) (int, error) { return lookupBody(k.a, k.b) })
		ctx := context.Background()
		c.Get(ctx, memoKey{"sample-42", 7}, loader)
		b.ReportAllocs()
		for b.Loop() {
			if v, _ := c.Get(ctx, memoKey{"sample-42", 7}, loader); v != 16 {
				b.Fatal(v)
			}
		}
	})
	b.Run("ristretto", func(b *testing.B) {
		c, err := ristretto.NewCache(&ristretto.Config[string, int]{NumCounters: 100_000, MaxCost: 10_000, BufferItems: 64})
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		get := func(a string, n int) int {
			key := a + "\x00" + strconv.Itoa(n)
			if v, ok := c.Get(key); ok {
				return v
			}
			v, _ := lookupBody(a, n)
			c.Set(key, v, 1)
			c.Wait()
			return v
		}
		get("sample-42", 7)
		b.ReportAllocs()
		for b.Loop() {
			if get("sample-42", 7) != 16 {
				b.Fatal()
			}
		}
	})
	b.Run("golang-lru", func(b *testing.B) {
		c, err := lru.New[memoKey, int](10_000)
		if err != nil {
			b.Fatal(err)
		}
		get := func(a string, n int) int {
			if v, ok := c.Get(memoKey{a, n}); ok {
				return v
			}
			v, _ := lookupBody(a, n)
			c.Add(memoKey{a, n}, v)
			return v
		}
		get("sample-42", 7)
		b.ReportAllocs()
		for b.Loop() {
			if get("sample-42", 7) != 16 {
				b.Fatal()
			}
		}
	})
}

// BenchmarkMemoHitParallel is BenchmarkMemoHit/cachegen and its floor from
// every core at once: no global lock on the hit path.
func BenchmarkMemoHitParallel(b *testing.B) {
	b.Run("cachegen", func(b *testing.B) {
		ctx := memoContext(b)
		LookupMemo(ctx, "sample-42", 7)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				LookupMemo(ctx, "sample-42", 7)
			}
		})
	})
	b.Run("floor", func(b *testing.B) {
		var mu sync.RWMutex
		m := map[memoKey]int{{"sample-42", 7}: 16}
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				mu.RLock()
				_ = m[memoKey{"sample-42", 7}]
				mu.RUnlock()
			}
		})
	})
}

// cacheContext is a context whose runtime caches in a file store, with
// the in-process layer when memory is true.
func cacheContext(b *testing.B, memory bool) (context.Context, string) {
	dir := b.TempDir()
	store, err := fs.New(dir)
	if err != nil {
		b.Fatal(err)
	}
	opts := []runtime.Option{runtime.WithStore(store), runtime.WithActivityInterval(0), runtime.WithLogger(slog.New(slog.DiscardHandler))}
	if !memory {
		opts = append(opts, runtime.WithMemoryLimit(0))
	}
	rt, err := runtime.New(context.Background(), opts...)
	if err != nil {
		b.Fatal(err)
	}
	return runtime.WithRuntime(context.Background(), rt), dir
}

// BenchmarkWarmHit is a hit from the in-process layer, against a map of
// the encoded result decoded on every hit (JSON, CBOR).
func BenchmarkWarmHit(b *testing.B) {
	b.Run("cachegen", func(b *testing.B) {
		ctx, _ := cacheContext(b, true)
		ScoreCached(ctx, "sample", 42)
		b.ReportAllocs()
		for b.Loop() {
			if r, _ := ScoreCached(ctx, "sample", 42); r.Name != "sample-42" {
				b.Fatal(r)
			}
		}
	})
	for _, c := range []struct {
		name      string
		marshal   func(any) ([]byte, error)
		unmarshal func([]byte, any) error
	}{{"map+json", json.Marshal, json.Unmarshal}, {"map+cbor", cbor.Marshal, cbor.Unmarshal}} {
		b.Run(c.name, func(b *testing.B) {
			data, _ := c.marshal(NewResult("sample", 42))
			m := map[memoKey][]byte{{"sample", 42}: data}
			var mu sync.RWMutex
			b.ReportAllocs()
			for b.Loop() {
				mu.RLock()
				d := m[memoKey{"sample", 42}]
				mu.RUnlock()
				var r Result
				if err := c.unmarshal(d, &r); err != nil || r.Name != "sample-42" {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkColdHit is a hit read from the file store, as a new process
// makes it (no in-process layer), against reading the same file and
// decoding CBOR.
func BenchmarkColdHit(b *testing.B) {
	b.Run("cachegen", func(b *testing.B) {
		ctx, _ := cacheContext(b, false)
		ScoreCached(ctx, "sample", 42)
		b.ReportAllocs()
		for b.Loop() {
			if r, _ := ScoreCached(ctx, "sample", 42); r.Name != "sample-42" {
				b.Fatal(r)
			}
		}
	})
	b.Run("file+cbor", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "entry")
		data, _ := cbor.Marshal(NewResult("sample", 42))
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			d, err := os.ReadFile(path)
			var r Result
			if err != nil || cbor.Unmarshal(d, &r) != nil || r.Name != "sample-42" {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMiss computes and stores a new result every iteration in the
// file store, against writing the same bytes to a temporary file and
// renaming it into place.
func BenchmarkMiss(b *testing.B) {
	b.Run("cachegen", func(b *testing.B) {
		ctx, _ := cacheContext(b, false)
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			n++
			if _, err := ScoreCached(ctx, "sample", n); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("temp+rename", func(b *testing.B) {
		dir := b.TempDir()
		n := 0
		b.ReportAllocs()
		for b.Loop() {
			n++
			data, _ := cbor.Marshal(NewResult("sample", n))
			sub := filepath.Join(dir, fmt.Sprintf("%02x", n%256))
			os.MkdirAll(sub, 0o700)
			f, err := os.CreateTemp(sub, ".tmp-*")
			if err != nil {
				b.Fatal(err)
			}
			f.Write(data)
			f.Close()
			if err := os.Rename(f.Name(), filepath.Join(sub, strconv.Itoa(n))); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWarmHitParallel is the warm hit from every core at once.
func BenchmarkWarmHitParallel(b *testing.B) {
	ctx, _ := cacheContext(b, true)
	ScoreCached(ctx, "sample", 42)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ScoreCached(ctx, "sample", 42)
		}
	})
}

var _ = time.Second
