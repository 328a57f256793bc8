package runtime

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/backends/memory"
)

// result is a value with reference fields, to check callers never share one.
type result struct {
	N    int
	Tags []string
	M    map[string]int
}

var testTask = Task{ID: "example.com/m/pkg.F", Fingerprint: "0123456789abcdef"}

// quiet returns a logger that drops everything.
func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newRuntime(t testing.TB, s backends.Store, opts ...Option) (*Runtime, context.Context) {
	t.Helper()
	rt, err := New(context.Background(), append([]Option{WithStore(s), WithLogger(quiet())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return rt, WithRuntime(context.Background(), rt)
}

// counted returns a task body that counts its executions.
func counted(n *atomic.Int64, v int) func(context.Context) (result, error) {
	return func(context.Context) (result, error) {
		n.Add(1)
		return result{N: v, Tags: []string{"a", "b"}, M: map[string]int{"x": v}}, nil
	}
}

func key(s string) []byte { return AppendString(nil, s) }

func TestMissThenHit(t *testing.T) {
	store := memory.New()
	rt, ctx := newRuntime(t, store)
	var runs atomic.Int64
	for i := range 3 {
		r, err := Cached(ctx, &testTask, key("a"), nil, counted(&runs, 7))
		if err != nil || r.N != 7 || len(r.Tags) != 2 || r.M["x"] != 7 {
			t.Fatalf("call %d: got %+v, %v", i, r, err)
		}
	}
	if runs.Load() != 1 {
		t.Fatalf("ran %d times, want 1", runs.Load())
	}
	if s := rt.Stats(); s.Misses != 1 || s.MemoryHits != 2 || s.StoreHits != 0 {
		t.Fatalf("stats %+v", s)
	}
	// Another runtime on the same store is a later process: a store hit.
	rt2, ctx2 := newRuntime(t, store)
	if r, err := Cached(ctx2, &testTask, key("a"), nil, counted(&runs, 8)); err != nil || r.N != 7 {
		t.Fatalf("second process: got %+v, %v", r, err)
	}
	if s := rt2.Stats(); s.StoreHits != 1 || s.Misses != 0 {
		t.Fatalf("second process stats %+v", s)
	}
	// Other arguments, another fingerprint, another namespace: misses.
	other := testTask
	other.Fingerprint = "fedcba9876543210"
	Cached(ctx2, &testTask, key("b"), nil, counted(&runs, 1))
	Cached(ctx2, &other, key("a"), nil, counted(&runs, 1))
	Cached(WithNamespace(ctx2, "other"), &testTask, key("a"), nil, counted(&runs, 1))
	if runs.Load() != 4 {
		t.Fatalf("ran %d times, want 4", runs.Load())
	}
}

func TestTimeSaved(t *testing.T) {
	now := time.Unix(1000, 0)
	var mu sync.Mutex
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Second)
		return now
	}
	rt, ctx := newRuntime(t, memory.New(), WithClock(clock))
	var runs atomic.Int64
	Cached(ctx, &testTask, key("a"), nil, counted(&runs, 1))
	Cached(ctx, &testTask, key("a"), nil, counted(&runs, 1))
	Cached(ctx, &testTask, key("a"), nil, counted(&runs, 1))
	if got := rt.Stats().TimeSaved; got != 2*time.Second {
		t.Fatalf("time saved %v, want 2s (two hits of a 1s computation)", got)
	}
}

func TestErrorsAndPanicsAreNotCached(t *testing.T) {
	store := memory.New()
	_, ctx := newRuntime(t, store)
	var runs atomic.Int64
	fail := func(context.Context) (result, error) { runs.Add(1); return result{N: 1}, errors.New("boom") }
	for range 2 {
		if _, err := Cached(ctx, &testTask, key("e"), nil, fail); err == nil || err.Error() != "boom" {
			t.Fatalf("got err %v, want boom", err)
		}
	}
	if runs.Load() != 2 {
		t.Fatalf("failing function ran %d times, want 2 (errors are not cached)", runs.Load())
	}
	boom := func(context.Context) (result, error) { runs.Add(1); panic("kaboom") }
	for range 2 {
		func() {
			defer func() {
				if p := recover(); p != "kaboom" {
					t.Fatalf("recovered %v, want the panic to reach the caller", p)
				}
			}()
			Cached(ctx, &testTask, key("p"), nil, boom)
		}()
	}
	if runs.Load() != 4 {
		t.Fatalf("panicking function ran %d times in all, want 4", runs.Load())
	}
	if n := countObjects(t, store); n != 0 {
		t.Fatalf("store holds %d objects after only failures, want 0", n)
	}
}

func countObjects(t *testing.T, s backends.Store) int {
	n := 0
	for _, err := range s.List(context.Background(), "") {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func TestSingleflightAndFreshCopies(t *testing.T) {
	rt, ctx := newRuntime(t, memory.New())
	var runs atomic.Int64
	release := make(chan struct{})
	slow := func(context.Context) (result, error) {
		runs.Add(1)
		<-release
		return result{N: 5, Tags: []string{"t"}}, nil
	}
	const callers = 8
	results := make([]result, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			r, err := Cached(ctx, &testTask, key("sf"), nil, slow)
			if err != nil {
				t.Error(err)
			}
			results[i] = r
		})
	}
	time.Sleep(50 * time.Millisecond) // let every caller join the flight
	close(release)
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("body ran %d times for %d concurrent identical calls, want 1", runs.Load(), callers)
	}
	results[0].Tags[0] = "mutated"
	for i, r := range results[1:] {
		if r.N != 5 || r.Tags[0] != "t" {
			t.Fatalf("caller %d sees %+v: callers share a mutable result", i+1, r)
		}
	}
	if s := rt.Stats(); s.Misses != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestLeaderCancelledWaiterRetries(t *testing.T) {
	_, ctx := newRuntime(t, memory.New())
	leaderCtx, cancel := context.WithCancel(ctx)
	started := make(chan struct{})
	var runs atomic.Int64
	body := func(c context.Context) (result, error) {
		if runs.Add(1) == 1 {
			close(started)
			<-c.Done()
			return result{}, c.Err()
		}
		return result{N: 9}, nil
	}
	done := make(chan error)
	go func() {
		_, err := Cached(leaderCtx, &testTask, key("c"), nil, body)
		done <- err
	}()
	<-started
	waiter := make(chan result)
	go func() {
		r, _ := Cached(ctx, &testTask, key("c"), nil, body)
		waiter <- r
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader got %v, want context.Canceled", err)
	}
	if r := <-waiter; r.N != 9 {
		t.Fatalf("waiter got %+v, want a retried computation (N=9)", r)
	}
}

func TestCachingOff(t *testing.T) {
	rt, err := New(context.Background(), WithStoreURL("off"), WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithRuntime(context.Background(), rt)
	var runs atomic.Int64
	Cached(ctx, &testTask, key("a"), nil, counted(&runs, 1))
	Cached(ctx, &testTask, key("a"), nil, counted(&runs, 1))
	if runs.Load() != 2 || rt.Stats().Uncached != 2 {
		t.Fatalf("with caching off the body ran %d times (stats %+v), want 2", runs.Load(), rt.Stats())
	}
}

func TestKeyErrorComputesUncached(t *testing.T) {
	rt, ctx := newRuntime(t, memory.New())
	var runs atomic.Int64
	for range 2 {
		r, err := Cached(ctx, &testTask, nil, errors.New("cycle"), counted(&runs, 3))
		if err != nil || r.N != 3 {
			t.Fatalf("got %+v, %v", r, err)
		}
	}
	if runs.Load() != 2 || rt.Stats().Uncached != 2 {
		t.Fatalf("ran %d, stats %+v", runs.Load(), rt.Stats())
	}
}

// downStore fails every operation, like a store whose server is down.
type downStore struct{}

var errDown = errors.New("connection refused")

func (downStore) Get(context.Context, string) (io.ReadCloser, backends.Info, error) {
	return nil, backends.Info{}, errDown
}
func (downStore) Put(context.Context, string, io.Reader, backends.PutOptions) (backends.Info, error) {
	return backends.Info{}, errDown
}
func (downStore) Delete(context.Context, string) error { return errDown }
func (downStore) List(context.Context, string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) { yield(backends.Info{}, errDown) }
}

func TestStoreDownDegradesToComputing(t *testing.T) {
	rt, ctx := newRuntime(t, downStore{}, WithMemoryLimit(0))
	var runs atomic.Int64
	for range 2 {
		r, err := Cached(ctx, &testTask, key("a"), nil, counted(&runs, 4))
		if err != nil || r.N != 4 {
			t.Fatalf("got %+v, %v: a store failure must not reach the caller", r, err)
		}
	}
	// Three failures open the breaker: the fourth operation is skipped.
	if s := rt.Stats(); runs.Load() != 2 || s.StoreErrors != 3 || s.StoreSkipped != 1 || s.BreakerOpens != 1 {
		t.Fatalf("ran %d, stats %+v; want 2 runs, 3 store errors (2 gets, a put) and then the breaker open for the last put", runs.Load(), s)
	}
}

// TestBadEntriesAreRecomputed writes corrupt, truncated and foreign entries
// into a file store: each is a miss, recomputed, and overwritten.
func TestBadEntriesAreRecomputed(t *testing.T) {
	store, err := fs.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	good := func() []byte {
		rt, ctx := newRuntime(t, store, WithMemoryLimit(0))
		var runs atomic.Int64
		Cached(ctx, &testTask, key("a"), nil, counted(&runs, 1))
		data, _ := rt.read(ctx, ObjectKey(rt.Namespace(ctx), &testTask, key("a")))
		return data
	}()
	name := ObjectKey(DefaultNamespace, &testTask, key("a"))
	// A foreign entry: a valid entry of other arguments, stored under this name.
	foreign := func() []byte {
		rt, ctx := newRuntime(t, memory.New())
		var runs atomic.Int64
		Cached(ctx, &testTask, key("zzz"), nil, counted(&runs, 666))
		data, _ := rt.read(ctx, ObjectKey(rt.Namespace(ctx), &testTask, key("zzz")))
		return data
	}()
	flipped := bytes.Clone(good)
	flipped[len(flipped)-1] ^= 0xff
	cases := map[string][]byte{
		"garbage":   []byte("not an entry at all"),
		"empty":     {},
		"truncated": good[:len(good)-3],
		"header":    good[:10],
		"flipped":   flipped,
		"foreign":   foreign,
	}
	for name2, bad := range cases {
		t.Run(name2, func(t *testing.T) {
			if _, err := store.Put(context.Background(), name, bytes.NewReader(bad), backends.PutOptions{Size: int64(len(bad))}); err != nil {
				t.Fatal(err)
			}
			rt, ctx := newRuntime(t, store, WithMemoryLimit(0))
			var runs atomic.Int64
			r, err := Cached(ctx, &testTask, key("a"), nil, counted(&runs, 1))
			if err != nil || r.N != 1 || runs.Load() != 1 {
				t.Fatalf("got %+v, %v after %d runs; want a recomputed N=1", r, err, runs.Load())
			}
			if s := rt.Stats(); s.Corrupt != 1 {
				t.Fatalf("stats %+v, want one corrupt entry", s)
			}
			// The fresh result overwrote the bad entry: the next call hits.
			if _, err := Cached(ctx, &testTask, key("a"), nil, counted(&runs, 2)); err != nil || runs.Load() != 1 {
				t.Fatalf("the bad entry was not overwritten: ran %d times", runs.Load())
			}
		})
	}
}
