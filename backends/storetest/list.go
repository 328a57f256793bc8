package storetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// list collects List(prefix) and fails the test on an error.
func list(t *testing.T, s backends.Store, prefix string) []backends.Info {
	t.Helper()
	var infos []backends.Info
	for info, err := range s.List(t.Context(), prefix) {
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		infos = append(infos, info)
	}
	return infos
}

// listKeys is list reduced to the keys.
func listKeys(t *testing.T, s backends.Store, prefix string) []string {
	t.Helper()
	var keys []string
	for _, info := range list(t, s, prefix) {
		keys = append(keys, info.Key)
	}
	return keys
}

// listFixture are keys chosen so that the order of keys differs from the
// order of a naive tree walk ('-' and '.' sort before '/', upper case before
// lower case) and so that prefixes cut segments in the middle.
//
// With Options.NoObjectAsPrefix, keys that are also a directory of another
// key ("a/b" next to "a/b/c") are left out.
func listFixture(o Options) []string {
	keys := []string{
		"b",
		"a/b/c/d",
		"a/bc",
		"a/b",
		"a",
		"a/B",
		"a/a",
		"a/b-x",
		"a/b/c",
		"a/b.x",
		"a/c",
		"ab",
	}
	if !o.NoObjectAsPrefix {
		return keys
	}
	return slices.DeleteFunc(keys, func(k string) bool {
		return slices.ContainsFunc(keys, func(other string) bool { return strings.HasPrefix(other, k+"/") })
	})
}

// fill puts every fixture key with a value derived from it.
func fill(t *testing.T, s backends.Store, o Options) map[string]backends.Info {
	t.Helper()
	infos := make(map[string]backends.Info)
	for _, k := range listFixture(o) {
		infos[k] = put(t, s, k, []byte("value of "+k))
	}
	return infos
}

func testList(t *testing.T, s backends.Store, o Options) {
	puts := fill(t, s, o)
	got := list(t, s, "")
	if len(got) != len(listFixture(o)) {
		t.Fatalf("List() yielded %d objects, want %d", len(got), len(listFixture(o)))
	}
	for _, info := range got {
		checkInfo(t, "List", info, info.Key, len("value of ")+len(info.Key))
		p, ok := puts[info.Key]
		if !ok {
			t.Errorf("List yielded unknown key %q", info.Key)
			continue
		}
		if info.Version != p.Version {
			t.Errorf("List Version of %q = %q, Put returned %q", info.Key, info.Version, p.Version)
		}
	}
}

func testListPrefixes(t *testing.T, s backends.Store, o Options) {
	fill(t, s, o)
	if got, want := listKeys(t, s, "a/b"), []string{"a/b", "a/b-x", "a/b.x", "a/b/c", "a/b/c/d", "a/bc"}; !o.NoObjectAsPrefix && !slices.Equal(got, want) {
		t.Errorf("List(a/b) = %q, want %q", got, want)
	}
	for _, prefix := range []string{"", "a", "a/", "a/b", "a/b/", "a/b/c", "a/bc", "a/B", "b", "z", "a/b/c/d/e", "a/b/c/d"} {
		wantList(t, s, prefix, listFixture(o))
	}
}

// wantList checks that List(prefix) yields exactly the keys of all that
// start with prefix, sorted.
func wantList(t *testing.T, s backends.Store, prefix string, all []string) {
	t.Helper()
	var want []string
	for _, k := range all {
		if strings.HasPrefix(k, prefix) {
			want = append(want, k)
		}
	}
	slices.Sort(want)
	if got := listKeys(t, s, prefix); !slices.Equal(got, want) {
		t.Errorf("List(%q) = %q, want %q", prefix, got, want)
	}
}

func testListSorted(t *testing.T, s backends.Store, o Options) {
	fill(t, s, o)
	for i := range 30 {
		put(t, s, fmt.Sprintf("n/%02x/item", (i*37)%256), []byte{byte(i)})
	}
	got := listKeys(t, s, "")
	if !slices.IsSorted(got) {
		t.Fatalf("List() is not sorted by key: %q", got)
	}
	if len(got) != len(listFixture(o))+30 {
		t.Fatalf("List() yielded %d keys, want %d", len(got), len(listFixture(o))+30)
	}
}

func testListBreak(t *testing.T, s backends.Store, o Options) {
	fill(t, s, o)
	within(t, 10*time.Second, "List with an early break", func() {
		n := 0
		for _, err := range s.List(t.Context(), "") {
			if err != nil {
				t.Errorf("List: %v", err)
				return
			}
			n++
			if n == 2 {
				break
			}
		}
		if n != 2 {
			t.Errorf("consumed %d items before break, want 2", n)
		}
	})
	// The store must still work after an abandoned listing.
	want := 0
	for _, k := range listFixture(o) {
		if strings.HasPrefix(k, "a/b/") {
			want++
		}
	}
	if got := listKeys(t, s, "a/b/"); len(got) != want {
		t.Errorf("List(a/b/) after a break = %q, want %d keys", got, want)
	}
	put(t, s, "after/break", []byte("ok"))
}

func testListReentrant(t *testing.T, s backends.Store, o Options) {
	fill(t, s, o)
	within(t, 10*time.Second, "List whose consumer uses the store", func() {
		n := 0
		for info, err := range s.List(t.Context(), "a/") {
			if err != nil {
				t.Errorf("List: %v", err)
				return
			}
			n++
			if _, err := s.Put(t.Context(), "z/"+info.Key, strings.NewReader("x"), backends.PutOptions{Size: 1}); err != nil {
				t.Errorf("Put inside a List loop: %v", err)
			}
			if _, _, err := read(t.Context(), s, info.Key); err != nil {
				t.Errorf("Get inside a List loop: %v", err)
			}
		}
		if n == 0 {
			t.Error("List(a/) yielded nothing")
		}
	})
}

func testListEmpty(t *testing.T, s backends.Store) {
	for _, prefix := range []string{"", "a", "a/"} {
		if got := listKeys(t, s, prefix); len(got) != 0 {
			t.Errorf("List(%q) on an empty store = %q, want nothing", prefix, got)
		}
	}
}
