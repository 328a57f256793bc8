package jobcachetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"sync"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// Options tune the suite for a store. The zero value suits a local store.
type Options struct {
	// Large is the length of the value the streaming test writes through
	// Writer and reads through Reader; 0 means 8 MiB. Persistent stores
	// use 256 MiB so that holding the value in memory would show.
	Large int64
	// NoObjectAsPrefix says the store cannot hold a key that is also the
	// prefix of other keys ("a" and "a/b"), as with an S3 gateway that maps
	// keys to files; the test of a key and a group of the same name is
	// then skipped.
	NoObjectAsPrefix bool
	// HoldsValues says the store keeps values in the process heap (mem://):
	// the streaming test then checks the round trip but not memory use.
	HoldsValues bool
}

func (o Options) large() int64 {
	if o.Large > 0 {
		return o.Large
	}
	return 8 << 20
}

// namespace is the namespace every subtest's runtime uses.
const namespace = "jobcachetest"

// Run runs the suite; newStore makes a fresh, empty store for each call
// (a subtest that needs two stores calls it twice) and registers its
// cleanup with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) backends.Store, o Options) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, newStore func(*testing.T) backends.Store, o Options)
	}{
		{"SaveLoad", testSaveLoad},
		{"Isolation", testIsolation},
		{"Groups", testGroups},
		{"KeyAndGroupOfOneName", testKeyAndGroup},
		{"Delete", testDelete},
		{"Rejected", testRejected},
		{"Stream", testStream},
		{"AbandonedWriter", testAbandonedWriter},
		{"ConcurrentWriters", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore, o) })
	}
}

// inRuntime returns a context with a runtime over st (and opts) in job.
func inRuntime(t *testing.T, st backends.Store, job string, opts ...runtime.Option) context.Context {
	t.Helper()
	opts = append([]runtime.Option{runtime.WithStore(st), runtime.WithDefaultNamespace(namespace),
		runtime.WithMemoryLimit(0)}, opts...)
	rt, err := runtime.New(t.Context(), opts...)
	if err != nil {
		t.Fatalf("runtime.New: %v", err)
	}
	ctx := runtime.WithRuntime(t.Context(), rt)
	if job != "" {
		ctx = runtime.WithJob(ctx, job)
	}
	return ctx
}

// jobCache returns the cache of job over st.
func jobCache(t *testing.T, st backends.Store, job string) *runtime.Cache {
	t.Helper()
	c, err := runtime.JobCache(inRuntime(t, st, job))
	if err != nil {
		t.Fatalf("JobCache(job %q): %v", job, err)
	}
	return c
}

func mustSave(t *testing.T, c *runtime.Cache, key, value string) {
	t.Helper()
	if err := c.Save(t.Context(), key, []byte(value)); err != nil {
		t.Fatalf("Save(%q): %v", key, err)
	}
}

func wantLoad(t *testing.T, c *runtime.Cache, key, want string) {
	t.Helper()
	got, err := c.Load(t.Context(), key)
	if err != nil {
		t.Fatalf("Load(%q): %v", key, err)
	}
	if string(got) != want {
		t.Fatalf("Load(%q) = %q, want %q", key, got, want)
	}
}

func wantMissing(t *testing.T, c *runtime.Cache, key string) {
	t.Helper()
	_, err := c.Load(t.Context(), key)
	if !errors.Is(err, runtime.ErrNotFound) || !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("Load(%q) error = %v, want runtime.ErrNotFound and backends.ErrNotFound", key, err)
	}
}

// collect gathers a listing, failing the test on an error.
func collect(t *testing.T, what string, seq func(yield func(string, error) bool)) []string {
	t.Helper()
	var out []string
	for s, err := range seq {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		out = append(out, s)
	}
	return out
}

func wantList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
}

func testSaveLoad(t *testing.T, newStore func(*testing.T) backends.Store, _ Options) {
	c := jobCache(t, newStore(t), "job-1")
	wantMissing(t, c, "k")
	mustSave(t, c, "k", "first")
	wantLoad(t, c, "k", "first")
	mustSave(t, c, "k", "second, longer")
	wantLoad(t, c, "k", "second, longer")
	mustSave(t, c, "k", "3")
	wantLoad(t, c, "k", "3")
	mustSave(t, c, "empty", "")
	wantLoad(t, c, "empty", "")
	if _, err := c.Reader(t.Context(), "nope"); !errors.Is(err, runtime.ErrNotFound) {
		t.Fatalf("Reader(missing) error = %v, want ErrNotFound", err)
	}
}

func testIsolation(t *testing.T, newStore func(*testing.T) backends.Store, _ Options) {
	st, other := newStore(t), newStore(t)
	ctx := t.Context()
	a, b := jobCache(t, st, "job-a"), jobCache(t, st, "job-b")
	mustSave(t, a, "k", "from a")
	mustSave(t, b, "k", "from b")
	wantLoad(t, a, "k", "from a")
	wantLoad(t, b, "k", "from b")
	mustSave(t, a, "only-a", "x")
	wantMissing(t, b, "only-a")
	wantList(t, "job-b Keys", collect(t, "Keys", b.Keys(ctx)), []string{"k"})

	// A shared cache is the same for both jobs, and apart from either.
	sharedA, err := runtime.SharedCache(inRuntime(t, st, "job-a"), "common")
	if err != nil {
		t.Fatalf("SharedCache from job-a: %v", err)
	}
	sharedB, err := runtime.SharedCache(inRuntime(t, st, "job-b"), "common")
	if err != nil {
		t.Fatalf("SharedCache from job-b: %v", err)
	}
	mustSave(t, sharedA, "s", "shared value")
	wantLoad(t, sharedB, "s", "shared value")
	wantMissing(t, sharedB, "k")
	wantMissing(t, a, "s")

	// A named cache lives in its own store, under the job layout.
	nctx := inRuntime(t, st, "job-a", runtime.WithCache("side", other))
	named, err := runtime.NamedCache(nctx, "side")
	if err != nil {
		t.Fatalf("NamedCache: %v", err)
	}
	wantMissing(t, named, "k")
	mustSave(t, named, "n", "named value")
	wantLoad(t, named, "n", "named value")
	wantMissing(t, a, "n")
	if _, _, err := other.Get(ctx, "job/"+namespace+"/job-a/n"); err != nil {
		t.Fatalf("named cache object job/%s/job-a/n not in its own store: %v", namespace, err)
	}
	for info, err := range st.List(ctx, "") {
		if err == nil && info.Key == "job/"+namespace+"/job-a/n" {
			t.Fatalf("named cache wrote %q to the runtime's store", info.Key)
		}
	}
}

func testGroups(t *testing.T, newStore func(*testing.T) backends.Store, _ Options) {
	ctx := t.Context()
	c := jobCache(t, newStore(t), "job-g")
	mustSave(t, c.Group("a").Group("b").Group("c"), "deep", "1")
	wantLoad(t, c.Group("a/b/c"), "deep", "1")
	wantLoad(t, c.Group("a/b"), "c/deep", "1")
	wantLoad(t, c, "a/b/c/deep", "1")

	// Group names are sorted as strings, though "a-b/…" lists before
	// "a/…"; no key shares a group's name (see KeyAndGroupOfOneName).
	g := c.Group("numbers")
	for _, k := range []string{"2", "10", "1", "b", "a_c", "a.b"} {
		mustSave(t, g, k, "v"+k)
	}
	for _, sub := range []string{"z", "a", "a-b", "m/n"} {
		mustSave(t, g.Group(sub), "inner", sub)
	}
	wantList(t, "Keys", collect(t, "Keys", g.Keys(ctx)), []string{"1", "10", "2", "a.b", "a_c", "b"})
	wantList(t, "Groups", collect(t, "Groups", g.Groups(ctx)), []string{"a", "a-b", "m", "z"})
	wantList(t, "top Keys", collect(t, "Keys", c.Keys(ctx)), nil)
	wantList(t, "top Groups", collect(t, "Groups", c.Groups(ctx)), []string{"a", "numbers"})
	wantList(t, "m Groups", collect(t, "Groups", g.Group("m").Groups(ctx)), []string{"n"})
	wantList(t, "empty group Keys", collect(t, "Keys", c.Group("none").Keys(ctx)), nil)

	// Stopping a listing early is allowed.
	for range g.Keys(ctx) {
		break
	}
	for range g.Groups(ctx) {
		break
	}
}

func testKeyAndGroup(t *testing.T, newStore func(*testing.T) backends.Store, o Options) {
	if o.NoObjectAsPrefix {
		t.Skip("the store cannot hold a key that is also a prefix")
	}
	ctx := t.Context()
	c := jobCache(t, newStore(t), "job-kg")
	mustSave(t, c, "a", "key a")
	mustSave(t, c.Group("a"), "x", "in group a")
	wantLoad(t, c, "a", "key a")
	wantLoad(t, c.Group("a"), "x", "in group a")
	wantList(t, "Keys", collect(t, "Keys", c.Keys(ctx)), []string{"a"})
	wantList(t, "Groups", collect(t, "Groups", c.Groups(ctx)), []string{"a"})
}

func testDelete(t *testing.T, newStore func(*testing.T) backends.Store, _ Options) {
	ctx := t.Context()
	c := jobCache(t, newStore(t), "job-d")
	mustSave(t, c, "k", "v")
	mustSave(t, c, "keep", "v")
	if err := c.Delete(ctx, "k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantMissing(t, c, "k")
	wantLoad(t, c, "keep", "v")
	wantList(t, "Keys after Delete", collect(t, "Keys", c.Keys(ctx)), []string{"keep"})
	err := c.Delete(ctx, "k")
	if !errors.Is(err, runtime.ErrNotFound) || !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("second Delete error = %v, want ErrNotFound", err)
	}
}

// testConcurrent has 16 goroutines save distinct keys of one group.
func testConcurrent(t *testing.T, newStore func(*testing.T) backends.Store, _ Options) {
	const n = 16
	g := jobCache(t, newStore(t), "job-c").Group("par")
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = g.Save(t.Context(), fmt.Sprintf("k%02d", i), []byte(fmt.Sprint(i))) })
	}
	wg.Wait()
	var want []string
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Save %d: %v", i, err)
		}
		want = append(want, fmt.Sprintf("k%02d", i))
	}
	wantList(t, "Keys", collect(t, "Keys", g.Keys(t.Context())), want)
	for i := range n {
		wantLoad(t, g, fmt.Sprintf("k%02d", i), fmt.Sprint(i))
	}
}

// errStoreIO is what noIO returns from every method.
var errStoreIO = errors.New("jobcachetest: store used")

// noIO is a store that records any use: rejected names must fail first.
type noIO struct {
	mu   sync.Mutex // guards used
	used []string
}

func (s *noIO) note(op, key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.used = append(s.used, op+" "+key)
}

func (s *noIO) Get(_ context.Context, key string) (io.ReadCloser, backends.Info, error) {
	s.note("get", key)
	return nil, backends.Info{}, errStoreIO
}

func (s *noIO) Put(_ context.Context, key string, r io.Reader, _ backends.PutOptions) (backends.Info, error) {
	s.note("put", key)
	return backends.Info{}, errStoreIO
}

func (s *noIO) Delete(_ context.Context, key string) error {
	s.note("delete", key)
	return errStoreIO
}

func (s *noIO) List(_ context.Context, prefix string) iter.Seq2[backends.Info, error] {
	s.note("list", prefix)
	return func(yield func(backends.Info, error) bool) { yield(backends.Info{}, errStoreIO) }
}
