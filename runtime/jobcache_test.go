package runtime_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/runtime"
	"github.com/cachegen/cachegen/runtime/jobcachetest"
)

func TestJobCacheMemory(t *testing.T) {
	jobcachetest.Run(t, func(*testing.T) backends.Store { return memory.New() },
		jobcachetest.Options{HoldsValues: true})
}

// openFS opens a file store in a fresh directory.
func openFS(t *testing.T) backends.Store {
	t.Helper()
	st, err := runtime.Open(t.Context(), "file://"+filepath.ToSlash(t.TempDir()))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if c, ok := st.(backends.Closer); ok {
			c.Close()
		}
	})
	return st
}

func TestJobCacheFS(t *testing.T) {
	large := int64(256 << 20)
	if testing.Short() {
		large = 0
	}
	jobcachetest.Run(t, openFS, jobcachetest.Options{Large: large})
}

// TestNamedCacheFromEnv opens a named cache from CACHEGEN_CACHE_<NAME>,
// with the name upper-cased and '-' mapped to '_'.
func TestNamedCacheFromEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CACHEGEN_CACHE_MY_SIDE", "file://"+filepath.ToSlash(dir))
	t.Setenv(runtime.EnvNamespace, "")
	rt, err := runtime.New(t.Context(), runtime.WithStore(memory.New()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := runtime.WithJob(runtime.WithRuntime(t.Context(), rt), "j1")
	c, err := runtime.NamedCache(ctx, "my-side")
	if err != nil {
		t.Fatalf("NamedCache: %v", err)
	}
	if err := c.Group("g").Save(ctx, "k", []byte("v")); err != nil {
		t.Fatalf("Save: %v", err)
	}
	again, err := runtime.NamedCache(ctx, "my-side")
	if err != nil {
		t.Fatalf("NamedCache again: %v", err)
	}
	if got, err := again.Load(ctx, "g/k"); err != nil || string(got) != "v" {
		t.Fatalf("Load through a second NamedCache = %q, %v; want \"v\"", got, err)
	}
	st, err := runtime.Open(ctx, "file://"+filepath.ToSlash(dir))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Get(ctx, "job/"+runtime.DefaultNamespace+"/j1/g/k"); err != nil {
		t.Fatalf("object not at job/<ns>/<job>/<group>/<key> in the named store: %v", err)
	}
	if _, err := runtime.NamedCache(ctx, "unset"); err == nil || !strings.Contains(err.Error(), "CACHEGEN_CACHE_UNSET") {
		t.Fatalf("NamedCache of an unconfigured name: error %v, want one naming CACHEGEN_CACHE_UNSET", err)
	}
}

func TestJobCacheNeedsJobAndStore(t *testing.T) {
	rt, err := runtime.New(t.Context(), runtime.WithStore(memory.New()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := runtime.WithRuntime(t.Context(), rt)
	if _, err := runtime.JobCache(ctx); err == nil {
		t.Fatal("JobCache without a job: no error")
	}
	if runtime.JobID(runtime.WithJob(ctx, "x")) != "x" {
		t.Fatal("JobID does not return WithJob's ID")
	}
	off, err := runtime.New(t.Context(), runtime.WithStoreURL("off"))
	if err != nil {
		t.Fatal(err)
	}
	ctx = runtime.WithJob(runtime.WithRuntime(t.Context(), off), "x")
	if _, err := runtime.JobCache(ctx); err == nil {
		t.Fatal("JobCache with caching off: no error")
	}
	if _, err := runtime.SharedCache(ctx, "s"); err == nil {
		t.Fatal("SharedCache with caching off: no error")
	}
	if _, err := runtime.New(t.Context(), runtime.WithStore(memory.New()), runtime.WithCache("bad", 42)); err != nil {
		t.Fatal(err)
	}
}

// FuzzCacheKey checks that a key is either rejected before any I/O or
// round-trips: saved, loaded, and listed in its group under its last
// segment.
func FuzzCacheKey(f *testing.F) {
	for _, s := range []string{"k", "a/b/c", "a..b", "/x", "x/", "a//b", "ü", "50%", "a\x00", ".", "a/./b", `a\b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		rt, err := runtime.New(t.Context(), runtime.WithStore(memory.New()), runtime.WithMemoryLimit(0))
		if err != nil {
			t.Fatal(err)
		}
		ctx := runtime.WithJob(runtime.WithRuntime(t.Context(), rt), "fuzz")
		c, err := runtime.JobCache(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Save(ctx, key, []byte(key)); err != nil {
			if errors.Is(err, backends.ErrNotFound) || !strings.Contains(err.Error(), "invalid key") {
				t.Fatalf("Save(%q) failed other than by validation: %v", key, err)
			}
			return
		}
		if strings.Contains(key, "..") || strings.HasPrefix(key, "/") || strings.Contains(key, "//") || strings.ContainsAny(key, "%\\\x00") {
			t.Fatalf("Save(%q) accepted a bad key", key)
		}
		got, err := c.Load(ctx, key)
		if err != nil || !bytes.Equal(got, []byte(key)) {
			t.Fatalf("Load(%q) = %q, %v", key, got, err)
		}
		g := c
		dir, last := "", key
		if i := strings.LastIndex(key, "/"); i >= 0 {
			dir, last = key[:i], key[i+1:]
			g = c.Group(dir)
		}
		var keys []string
		for k, err := range g.Keys(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
		if !slices.Contains(keys, last) {
			t.Fatalf("Keys of group %q = %q, missing %q", dir, keys, last)
		}
	})
}

// TestJobCacheLongKey checks that a key whose object name no store can
// hold is rejected before any I/O, with the limit named.
func TestJobCacheLongKey(t *testing.T) {
	store := memory.New()
	rt, err := runtime.New(t.Context(), runtime.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	c, err := runtime.JobCache(runtime.WithJob(runtime.WithRuntime(t.Context(), rt), "j"))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Save(t.Context(), strings.Repeat("k", 2000), []byte("v"))
	if err == nil || !strings.Contains(err.Error(), "at most 1024") {
		t.Errorf("Save of a 2,000-byte key: %v, want the limit named", err)
	}
	for info, err := range store.List(t.Context(), "") {
		t.Errorf("a rejected key reached the store: %v (err %v)", info.Key, err)
	}
}
