package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/cachegen/cachegen/backends"
)

// testListPagination lists more objects than a server returns in one page,
// so a store must follow continuation tokens, in order, without repeats.
func testListPagination(t *testing.T, s backends.Store, o Options) {
	n := o.listCount()
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("page/%05d", (i*7919)%n) // written out of order
	}
	putAll(t, s, keys)
	put(t, s, "pagf", []byte("after the prefix"))
	put(t, s, "pag", []byte("before the prefix"))
	slices.Sort(keys)
	got := listKeys(t, s, "page/")
	if len(got) != n {
		t.Fatalf("List(page/) yielded %d keys, want %d", len(got), n)
	}
	if !slices.Equal(got, keys) {
		for i := range got {
			if got[i] != keys[i] {
				t.Fatalf("List(page/) item %d = %q, want %q (out of order, repeated or missing)", i, got[i], keys[i])
			}
		}
	}
	if got := listKeys(t, s, ""); len(got) != n+2 || got[0] != "pag" || got[n+1] != "pagf" {
		t.Errorf("List() yielded %d keys (first %q), want %d with pag first and pagf last", len(got), got[0], n+2)
	}
	sub := fmt.Sprintf("page/%04d", (n-1)/10)
	want := 0
	for _, k := range keys {
		if len(k) > len(sub) && k[:len(sub)] == sub {
			want++
		}
	}
	if got := listKeys(t, s, sub); len(got) != want {
		t.Errorf("List(%q) yielded %d keys, want %d", sub, len(got), want)
	}
}

// putAll writes a small value under every key, a few at a time so a remote
// store fills quickly.
func putAll(t *testing.T, s backends.Store, keys []string) {
	t.Helper()
	const workers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex // guards errs
	var errs []error
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(keys); i += workers {
				val := []byte(keys[i])
				if _, err := s.Put(t.Context(), keys[i], bytes.NewReader(val), backends.PutOptions{Size: int64(len(val))}); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("Put(%q): %w", keys[i], err))
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// testPrefixIsolation opens stores on one backend under different
// prefixes: each sees only its own objects, under keys without the prefix,
// and two stores with the same prefix share them.
func testPrefixIsolation(t *testing.T, open func(t *testing.T, prefix string) backends.Store) {
	a, b := open(t, "team"), open(t, "team2")
	if a == nil || b == nil {
		t.Fatal("harness returned a nil store")
	}
	put(t, a, "k", []byte("value of a"))
	put(t, a, "only/a", []byte("a"))
	put(t, b, "k", []byte("value of b"))
	wantValue(t, a, "k", []byte("value of a"))
	wantValue(t, b, "k", []byte("value of b"))
	wantMissing(t, b, "only/a")
	if got, want := listKeys(t, a, ""), []string{"k", "only/a"}; !slices.Equal(got, want) {
		t.Errorf("List() of prefix team = %q, want %q (keys without the prefix, nothing of team2)", got, want)
	}
	if got, want := listKeys(t, b, ""), []string{"k"}; !slices.Equal(got, want) {
		t.Errorf("List() of prefix team2 = %q, want %q", got, want)
	}
	if _, err := putIf(t, b, "only/a", []byte("b"), backends.PutOptions{IfAbsent: true}); err != nil {
		t.Errorf("Put IfAbsent in team2 of a key only team holds: %v", err)
	}
	if err := a.Delete(t.Context(), "k"); err != nil {
		t.Fatalf("Delete(k) in team: %v", err)
	}
	wantValue(t, b, "k", []byte("value of b"))
	again := open(t, "team")
	wantMissing(t, again, "k")
	wantValue(t, again, "only/a", []byte("a"))
}
