package catalog

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
)

// TestZeroCatalog checks that a Catalog without a store fails every call
// with an error rather than a panic.
func TestZeroCatalog(t *testing.T) {
	ctx := context.Background()
	var c Catalog
	for _, err := range c.Entries(ctx, "") {
		if err == nil {
			t.Error("Entries of a zero Catalog yielded no error")
		}
	}
	if _, _, err := c.Stats(ctx, false, nil); err == nil {
		t.Error("Stats of a zero Catalog: no error")
	}
	if err := c.Trim(ctx, Policy{MaxBytes: -1}, &Sweep{}); err == nil {
		t.Error("Trim of a zero Catalog: no error")
	}
}

// TestTrimSweep trims a memory store by age and size and checks what the
// sweep reports against what the store still holds.
func TestTrimSweep(t *testing.T) {
	ctx := context.Background()
	mem := memory.New()
	put := func(key string, n int) {
		if _, err := mem.Put(ctx, key, strings.NewReader(strings.Repeat("x", n)), backends.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	a := backends.CacheKey("default", "example.com/m/p.A", "f1", "0a")
	b := backends.CacheKey("default", "example.com/m/p.A", "f2", "0b")
	c := backends.CacheKey("default", "example.com/m/p.B[int]", "f9", "0c")
	other := backends.CacheKey("other", "example.com/m/p.A", "f1", "0a")
	for _, k := range []string{a, b, c, other} {
		put(k, 10)
	}
	put("cache/default/not-an-entry", 1)
	var reported []Deletion
	s := &Sweep{Report: func(d Deletion) error { reported = append(reported, d); return nil }}
	cat := &Catalog{Store: mem, Now: time.Now()}
	// A's current fingerprint is f2; B's is f9, given without type arguments.
	p := Policy{MaxBytes: 10, Current: map[string]string{"example.com/m/p.A": "f2", "example.com/m/p.B": "f9"}}
	if err := cat.Trim(ctx, p, s); err != nil {
		t.Fatal(err)
	}
	if len(reported) != 2 || reported[0] != (Deletion{a, 10, "stale fingerprint"}) || reported[1].Reason != "over the size budget" {
		t.Fatalf("reported %+v", reported)
	}
	if s.Deleted != 2 || s.Bytes != 20 {
		t.Errorf("sweep counted %d, %d bytes; want 2, 20", s.Deleted, s.Bytes)
	}
	var left []string
	for info, err := range mem.List(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, info.Key)
	}
	if len(left) != 3 || !slices.Contains(left, other) || !slices.Contains(left, "cache/default/not-an-entry") {
		t.Errorf("left %q", left)
	}
}

// FuzzObjectID checks that every ID Kind.Validate accepts selects exactly
// its own objects: listing its prefix gives the ID back, and the prefix of
// another valid ID is never a prefix of it.
func FuzzObjectID(f *testing.F) {
	f.Add("j1", "j10", "default")
	f.Add("r/1", "r", "ns/x")
	f.Add("a%2Fb", "a/b", "%")
	f.Add("..", ".", "")
	f.Fuzz(func(t *testing.T, a, b, ns string) {
		for _, k := range Kinds() {
			if k.Validate(a) != nil {
				continue
			}
			pa := k.IDPrefix(ns, a)
			seg, rest, ok := strings.Cut(strings.TrimPrefix(pa+"key", k.Prefix(ns)), "/")
			if id, err := k.ParseID(seg); !ok || rest != "key" || err != nil || id != a {
				t.Fatalf("%s %q: listed back as %q (%v)", k.Noun(), a, id, err)
			}
			if k.Validate(b) == nil && a != b && strings.HasPrefix(k.IDPrefix(ns, b), pa) {
				t.Fatalf("%s %q's prefix %q also selects %q", k.Noun(), a, pa, b)
			}
		}
	})
}
