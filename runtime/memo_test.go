package runtime

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
)

var memoTask = Task{ID: "example.com/m/pkg.Step", Fingerprint: "0123456789abcdef", Signature: "00000000000000aa"}

// countedPtr returns a task body that counts its executions and returns a
// new pointer each time.
func countedPtr(n *atomic.Int64, v int) func(context.Context) (*result, error) {
	return func(context.Context) (*result, error) {
		n.Add(1)
		return &result{N: v}, nil
	}
}

// waitForWaiters blocks until n callers wait on the run's entry for key.
func waitForWaiters(t *testing.T, ctx context.Context, task *Task, k []byte, n int32) {
	t.Helper()
	run := RunOf(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for {
		e := run.load(memoKey{task: task, digest: argDigest(k)})
		if e != nil && e.waiters.Load() >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("callers did not join the execution in time")
		}
		time.Sleep(time.Millisecond)
	}
}

func argDigest(k []byte) uint64 { d, _ := argHashes(k); return d }

func TestMemoOncePerKeyConcurrent(t *testing.T) {
	rt, ctx := newRuntime(t, memory.New())
	var runs atomic.Int64
	release := make(chan struct{})
	body := func(context.Context) (*result, error) {
		runs.Add(1)
		<-release
		return &result{N: 7}, nil
	}
	const callers = 64
	got := make([]*result, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			r, err := Memo(ctx, &memoTask, key("a"), nil, body)
			if err != nil {
				t.Errorf("caller %d: %v", i, err)
			}
			got[i] = r
		})
	}
	waitForWaiters(t, ctx, &memoTask, key("a"), callers-1)
	close(release)
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("the body ran %d times, want 1", runs.Load())
	}
	for i, r := range got {
		if r == nil || r != got[0] || r.N != 7 {
			t.Fatalf("caller %d got %p (%+v), caller 0 got %p", i, r, r, got[0])
		}
	}
	// A later call returns the identical pointer too.
	if r, _ := Memo(ctx, &memoTask, key("a"), nil, body); r != got[0] {
		t.Fatalf("a later call got %p, want %p", r, got[0])
	}
	if s := rt.Stats(); s.MemoMisses != 1 || s.MemoHits != callers {
		t.Fatalf("stats %+v", s)
	}
}

func TestMemoKeysAndTasksDiffer(t *testing.T) {
	_, ctx := newRuntime(t, memory.New())
	var runs atomic.Int64
	other := memoTask
	other.ID = "example.com/m/pkg.Other"
	a1, _ := Memo(ctx, &memoTask, key("a"), nil, countedPtr(&runs, 1))
	b, _ := Memo(ctx, &memoTask, key("b"), nil, countedPtr(&runs, 2))
	o, _ := Memo(ctx, &other, key("a"), nil, countedPtr(&runs, 3))
	a2, _ := Memo(ctx, &memoTask, key("a"), nil, countedPtr(&runs, 4))
	if runs.Load() != 3 || a1.N != 1 || b.N != 2 || o.N != 3 || a2 != a1 {
		t.Fatalf("runs %d: a %+v b %+v other %+v a again %+v", runs.Load(), a1, b, o, a2)
	}
}

func TestMemoErrorsAreNotMemoised(t *testing.T) {
	_, ctx := newRuntime(t, memory.New())
	errBoom := errors.New("boom")
	var runs atomic.Int64
	release := make(chan struct{})
	failing := func(context.Context) (int, error) {
		runs.Add(1)
		<-release
		return 0, errBoom
	}
	const callers = 8
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { _, errs[i] = Memo(ctx, &memoTask, key("e"), nil, failing) })
	}
	waitForWaiters(t, ctx, &memoTask, key("e"), callers-1)
	close(release)
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, errBoom) {
			t.Fatalf("caller %d: err %v, want boom", i, err)
		}
	}
	if runs.Load() != 1 {
		t.Fatalf("the failing body ran %d times for concurrent callers, want 1", runs.Load())
	}
	// The error was not memoised: the next call executes, and its success is.
	v, err := Memo(ctx, &memoTask, key("e"), nil, func(context.Context) (int, error) { runs.Add(1); return 5, nil })
	if err != nil || v != 5 || runs.Load() != 2 {
		t.Fatalf("after an error: got %d, %v after %d runs", v, err, runs.Load())
	}
	if v, _ := Memo(ctx, &memoTask, key("e"), nil, failing); v != 5 {
		t.Fatalf("the success was not memoised: got %d", v)
	}
}

func TestMemoPanicsReachCallersAndAreNotMemoised(t *testing.T) {
	_, ctx := newRuntime(t, memory.New())
	var runs atomic.Int64
	release := make(chan struct{})
	panicky := func(context.Context) (int, error) {
		runs.Add(1)
		<-release
		panic("kaboom")
	}
	call := func() (p any) {
		defer func() { p = recover() }()
		Memo(ctx, &memoTask, key("p"), nil, panicky)
		return nil
	}
	const callers = 4
	got := make([]any, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() { got[i] = call() })
	}
	waitForWaiters(t, ctx, &memoTask, key("p"), callers-1)
	close(release)
	wg.Wait()
	for i, p := range got {
		if p != "kaboom" {
			t.Fatalf("caller %d recovered %v, want kaboom", i, p)
		}
	}
	if p := call(); p != "kaboom" || runs.Load() != 2 {
		t.Fatalf("a panic was memoised: recovered %v after %d runs", p, runs.Load())
	}
}

func TestMemoWaiterContextCancelled(t *testing.T) {
	_, ctx := newRuntime(t, memory.New())
	release := make(chan struct{})
	defer close(release)
	go Memo(ctx, &memoTask, key("slow"), nil, func(context.Context) (int, error) { <-release; return 1, nil })
	waitForEntry(t, ctx, key("slow"))
	cctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := Memo(cctx, &memoTask, key("slow"), nil, func(context.Context) (int, error) { return 2, nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a waiter whose context ended got %v", err)
	}
}

func waitForEntry(t *testing.T, ctx context.Context, k []byte) {
	t.Helper()
	run := RunOf(ctx)
	for range 5000 {
		e := run.load(memoKey{task: &memoTask, digest: argDigest(k)})
		if e != nil {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("no execution started")
}

func TestMemoDurableRunAcrossProcesses(t *testing.T) {
	store := memory.New()
	var runs atomic.Int64
	_, ctx1 := newRuntime(t, store)
	ctx1 = NewRun(ctx1, RunID("r1"))
	if r, err := Memo(ctx1, &memoTask, key("a"), nil, counted(&runs, 7)); err != nil || r.N != 7 {
		t.Fatalf("first process: %+v, %v", r, err)
	}
	name := backends.RunKey(DefaultNamespace, "r1", memoTask.ID, memoTask.Signature, hexDigest(key("a")))
	if _, _, err := store.Get(context.Background(), name); err != nil {
		t.Fatalf("no durable entry at %s: %v", name, err)
	}
	// A second runtime on the same store is a new process: the same run ID
	// re-uses the entry, another run ID executes.
	rt2, ctx2 := newRuntime(t, store)
	r, err := Memo(NewRun(ctx2, RunID("r1")), &memoTask, key("a"), nil, counted(&runs, 8))
	if err != nil || r.N != 7 || len(r.Tags) != 2 || r.M["x"] != 7 || runs.Load() != 1 {
		t.Fatalf("same run ID: %+v, %v after %d runs", r, err, runs.Load())
	}
	if s := rt2.Stats(); s.MemoHits != 1 || s.MemoMisses != 0 {
		t.Fatalf("stats %+v", s)
	}
	if r, _ := Memo(NewRun(ctx2, RunID("r2")), &memoTask, key("a"), nil, counted(&runs, 9)); r.N != 9 {
		t.Fatalf("another run ID: got %d", r.N)
	}
	// Another namespace does not see the run's entries.
	if r, _ := Memo(NewRun(WithNamespace(ctx2, "other"), RunID("r1")), &memoTask, key("a"), nil, counted(&runs, 10)); r.N != 10 {
		t.Fatalf("another namespace: got %d", r.N)
	}
}

func hexDigest(k []byte) string {
	var b [16]byte
	return string(appendHex(b[:0], argDigest(k)))
}

func TestMemoDurableKeyIsSignatureNotBody(t *testing.T) {
	store := memory.New()
	var runs atomic.Int64
	_, ctx := newRuntime(t, store)
	Memo(NewRun(ctx, RunID("r")), &memoTask, key("a"), nil, counted(&runs, 1))

	edited := memoTask // the body changed: another fingerprint, the same signature
	edited.Fingerprint = "ffffffffffffffff"
	_, ctx2 := newRuntime(t, store)
	if r, _ := Memo(NewRun(ctx2, RunID("r")), &edited, key("a"), nil, counted(&runs, 2)); r.N != 1 || runs.Load() != 1 {
		t.Fatalf("a body edit invalidated the durable memo: got %d after %d runs", r.N, runs.Load())
	}
	resigned := memoTask // the signature changed
	resigned.Signature = "00000000000000bb"
	_, ctx3 := newRuntime(t, store)
	if r, _ := Memo(NewRun(ctx3, RunID("r")), &resigned, key("a"), nil, counted(&runs, 3)); r.N != 3 || runs.Load() != 2 {
		t.Fatalf("a signature change kept the durable memo: got %d after %d runs", r.N, runs.Load())
	}
}

// recorder is a slog handler that keeps records' messages.
type recorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, rec.Message)
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

func (r *recorder) count(substr string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.msgs {
		if strings.Contains(m, substr) {
			n++
		}
	}
	return n
}

func TestMemoUnencodableResultStaysInProcess(t *testing.T) {
	store := memory.New()
	rec := new(recorder)
	_, ctx := newRuntime(t, store, WithLogger(slog.New(rec)))
	ctx = NewRun(ctx, RunID("r"))
	var runs atomic.Int64
	body := func(context.Context) (chan int, error) { runs.Add(1); return make(chan int), nil }
	c1, err := Memo(ctx, &memoTask, key("a"), nil, body)
	c2, _ := Memo(ctx, &memoTask, key("a"), nil, body)
	Memo(ctx, &memoTask, key("b"), nil, body)
	if err != nil || c1 != c2 || runs.Load() != 2 {
		t.Fatalf("in-process memo of a chan: same %v, %v after %d runs", c1 == c2, err, runs.Load())
	}
	if n := countObjects(t, store); n != 0 {
		t.Fatalf("%d objects stored for an unencodable result", n)
	}
	if n := rec.count("cannot be stored"); n != 1 {
		t.Fatalf("logged %d times, want once: %q", n, rec.msgs)
	}
	_, ctx2 := newRuntime(t, store)
	Memo(NewRun(ctx2, RunID("r")), &memoTask, key("a"), nil, body)
	if runs.Load() != 3 {
		t.Fatalf("a new process did not execute an unencodable result again (runs %d)", runs.Load())
	}
}

func TestMemoRefreshReplaces(t *testing.T) {
	store := memory.New()
	_, ctx := newRuntime(t, store)
	ctx = NewRun(ctx, RunID("r"))
	var runs atomic.Int64
	Memo(ctx, &memoTask, key("a"), nil, counted(&runs, 1))
	rctx := Refresh(ctx, "pkg.Step")
	if r, _ := Memo(rctx, &memoTask, key("a"), nil, counted(&runs, 2)); r.N != 2 || runs.Load() != 2 {
		t.Fatalf("refresh did not execute again: got %d after %d runs", r.N, runs.Load())
	}
	if r, _ := Memo(rctx, &memoTask, key("a"), nil, counted(&runs, 3)); r.N != 2 || runs.Load() != 2 {
		t.Fatalf("a refreshed key executed twice: got %d after %d runs", r.N, runs.Load())
	}
	// Later calls in the run, refreshed or not, use the new execution.
	if r, _ := Memo(ctx, &memoTask, key("a"), nil, counted(&runs, 4)); r.N != 2 {
		t.Fatalf("the run kept the old result: got %d", r.N)
	}
	// The durable entry was replaced.
	_, ctx2 := newRuntime(t, store)
	if r, _ := Memo(NewRun(ctx2, RunID("r")), &memoTask, key("a"), nil, counted(&runs, 5)); r.N != 2 || runs.Load() != 2 {
		t.Fatalf("the store kept the old result: got %d after %d runs", r.N, runs.Load())
	}
	// A refresh of another task leaves this one alone; CACHEGEN_REFRESH
	// (WithRefresh) refreshes once per key in the process.
	if r, _ := Memo(Refresh(ctx, "Other"), &memoTask, key("a"), nil, counted(&runs, 6)); r.N != 2 {
		t.Fatalf("refreshing another task re-ran this one: got %d", r.N)
	}
	_, ctx3 := newRuntime(t, store, WithRefresh())
	ctx3 = NewRun(ctx3, RunID("r"))
	before := runs.Load()
	r1, _ := Memo(ctx3, &memoTask, key("a"), nil, counted(&runs, 7))
	r2, _ := Memo(ctx3, &memoTask, key("a"), nil, counted(&runs, 8))
	if r1.N != 7 || r2.N != 7 || runs.Load() != before+1 {
		t.Fatalf("WithRefresh: got %d, %d after %d runs, want 7, 7 after one", r1.N, r2.N, runs.Load()-before)
	}
}

func TestMemoChildSeesParent(t *testing.T) {
	store := memory.New()
	_, ctx := newRuntime(t, store)
	parent := NewRun(ctx, RunID("p"))
	var runs atomic.Int64
	pa, _ := Memo(parent, &memoTask, key("a"), nil, countedPtr(&runs, 1))
	child := ChildRun(parent)
	if RunOf(child).Parent() != RunOf(parent) {
		t.Fatal("the child's parent is not the run in ctx")
	}
	if ca, _ := Memo(child, &memoTask, key("a"), nil, countedPtr(&runs, 2)); ca != pa || runs.Load() != 1 {
		t.Fatalf("the child did not see the parent's result: %p vs %p after %d runs", ca, pa, runs.Load())
	}
	cb, _ := Memo(child, &memoTask, key("b"), nil, countedPtr(&runs, 3))
	if pb, _ := Memo(parent, &memoTask, key("b"), nil, countedPtr(&runs, 4)); pb == cb || pb.N != 4 {
		t.Fatalf("the parent saw the child's result: %+v", pb)
	}

	// Durable: a child in a new process sees the parent's stored entries,
	// and the parent never sees the child's.
	var druns atomic.Int64
	_, ctx2 := newRuntime(t, store)
	dchild := ChildRun(NewRun(ctx2, RunID("p")), RunID("c"))
	if r, _ := Memo(dchild, &memoTask, key("a"), nil, countedPtr(&druns, 9)); druns.Load() != 0 {
		t.Fatalf("a durable child executed its parent's key: got %+v", r)
	}
	Memo(dchild, &memoTask, key("c"), nil, countedPtr(&druns, 5))
	_, ctx3 := newRuntime(t, store)
	if r, _ := Memo(NewRun(ctx3, RunID("p")), &memoTask, key("c"), nil, countedPtr(&druns, 6)); r.N != 6 {
		t.Fatalf("the durable parent saw the child's entry: got %d", r.N)
	}
	_, ctx4 := newRuntime(t, store)
	if r, _ := Memo(NewRun(ctx4, RunID("c")), &memoTask, key("c"), nil, countedPtr(&druns, 7)); r.N != 5 {
		t.Fatalf("the child run's own entry was not stored: got %d", r.N)
	}
}

func TestMemoRunsAreIsolated(t *testing.T) {
	store := memory.New()
	_, ctx := newRuntime(t, store)
	var runs atomic.Int64
	a, _ := Memo(NewRun(ctx), &memoTask, key("k"), nil, countedPtr(&runs, 1))
	b, _ := Memo(NewRun(ctx), &memoTask, key("k"), nil, countedPtr(&runs, 2))
	c, _ := Memo(ctx, &memoTask, key("k"), nil, countedPtr(&runs, 3)) // the process run
	if runs.Load() != 3 || a.N != 1 || b.N != 2 || c.N != 3 {
		t.Fatalf("runs shared entries: %d %d %d after %d runs", a.N, b.N, c.N, runs.Load())
	}
	// Runs without an ID store nothing.
	if n := countObjects(t, store); n != 0 {
		t.Fatalf("%d objects stored for in-process runs", n)
	}
}

func TestMemoStoreOffAndKeyError(t *testing.T) {
	rec := new(recorder)
	rt, err := New(context.Background(), WithStoreURL("off"), WithLogger(slog.New(rec)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := NewRun(WithRuntime(context.Background(), rt), RunID("r"))
	var runs atomic.Int64
	Memo(ctx, &memoTask, key("a"), nil, counted(&runs, 1))
	if r, _ := Memo(ctx, &memoTask, key("a"), nil, counted(&runs, 2)); r.N != 1 || runs.Load() != 1 {
		t.Fatalf("store off: memo did not work in-process (got %d after %d runs)", r.N, runs.Load())
	}
	errKey := errors.New("cycle")
	for range 3 {
		Memo(ctx, &memoTask, key("a"), errKey, counted(&runs, 3))
	}
	if runs.Load() != 4 || rec.count("cannot be encoded") != 1 {
		t.Fatalf("key error: %d runs, logs %q", runs.Load(), rec.msgs)
	}
}

func TestMemoEnvironment(t *testing.T) {
	store := memory.New()
	t.Setenv(EnvRun, "env-run")
	var runs atomic.Int64
	_, ctx := newRuntime(t, store)
	if id := RunOf(ctx).ID(); id != "env-run" || RunOf(ctx).Parent() != nil {
		t.Fatalf("process run %q, parent %v", id, RunOf(ctx).Parent())
	}
	Memo(ctx, &memoTask, key("a"), nil, counted(&runs, 1))

	// A new process with a new run and CACHEGEN_RUN_PARENT sees the entry.
	t.Setenv(EnvRun, "env-child")
	t.Setenv(EnvRunParent, "env-run")
	_, ctx2 := newRuntime(t, store)
	if p := RunOf(ctx2).Parent(); p == nil || p.ID() != "env-run" || RunOf(ctx2).ID() != "env-child" {
		t.Fatalf("process run %q with parent %v", RunOf(ctx2).ID(), p)
	}
	if r, _ := Memo(ctx2, &memoTask, key("a"), nil, counted(&runs, 2)); r.N != 1 || runs.Load() != 1 {
		t.Fatalf("CACHEGEN_RUN_PARENT: got %d after %d runs", r.N, runs.Load())
	}
	// ChildRun without a run in ctx is a child of the process run.
	if p := RunOf(ChildRun(ctx2)).Parent(); p != RunOf(ctx2) {
		t.Fatalf("ChildRun's parent is %v, want the process run", p)
	}
}

// FuzzDurableMemoEntry stores arbitrary bytes where a durable memo entry is
// expected: the memo path must never panic, and returns either the
// executed value or, for a valid entry of this key, the stored one.
func FuzzDurableMemoEntry(f *testing.F) {
	seed := memory.New()
	_, seedCtx := newRuntime(f, seed)
	var runs atomic.Int64
	Memo(NewRun(seedCtx, RunID("r")), &memoTask, key("k"), nil, counted(&runs, 41))
	name := backends.RunKey(DefaultNamespace, "r", memoTask.ID, memoTask.Signature, hexDigest(key("k")))
	valid := readAllObject(f, seed, name)
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add([]byte{})
	f.Add([]byte("CGE\x01garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		store := memory.New()
		if _, err := store.Put(context.Background(), name, bytes.NewReader(data), backends.PutOptions{Size: int64(len(data))}); err != nil {
			t.Fatal(err)
		}
		rt, ctx := newRuntime(t, store)
		var n atomic.Int64
		r, err := Memo(NewRun(ctx, RunID("r")), &memoTask, key("k"), nil, counted(&n, 42))
		if err != nil {
			t.Fatalf("Memo: %v", err)
		}
		if (r.N != 41 && r.N != 42) || len(r.Tags) != 2 || r.M["x"] != r.N {
			t.Fatalf("got %+v from a stored entry %x", r, data)
		}
		if s := rt.Stats(); s.MemoHits+s.MemoMisses != 1 || (s.MemoMisses == 1) != (n.Load() == 1) || (r.N == 42) != (n.Load() == 1) {
			t.Fatalf("stats %+v after %d runs, value %d", s, n.Load(), r.N)
		}
	})
}

func readAllObject(t testing.TB, s backends.Store, name string) []byte {
	t.Helper()
	rc, _, err := s.Get(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestMemoLeaderCancelledWaiterRetries(t *testing.T) {
	_, ctx := newRuntime(t, memory.New())
	lctx, cancel := context.WithCancel(ctx)
	var runs atomic.Int64
	body := func(ctx context.Context) (int, error) {
		if runs.Add(1) == 1 {
			<-ctx.Done() // the first caller gives up
			return 0, ctx.Err()
		}
		return 9, nil
	}
	leaderErr := make(chan error, 1)
	go func() { _, err := Memo(lctx, &memoTask, key("c"), nil, body); leaderErr <- err }()
	waitForEntry(t, ctx, key("c"))
	got := make(chan int, 1)
	go func() { v, _ := Memo(ctx, &memoTask, key("c"), nil, body); got <- v }()
	waitForWaiters(t, ctx, &memoTask, key("c"), 1)
	cancel()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader: %v", err)
	}
	if v := <-got; v != 9 || runs.Load() != 2 {
		t.Fatalf("the waiter got %d after %d runs, want 9 after 2", v, runs.Load())
	}
}

func TestMemoHitDoesNotAllocate(t *testing.T) {
	_, ctx := newRuntime(t, memory.New())
	var buf [64]byte
	Memo(ctx, &memoTask, benchKey(buf[:0], "sample-42", 7), nil, benchBody)
	allocs := testing.AllocsPerRun(100, func() {
		Memo(ctx, &memoTask, benchKey(buf[:0], "sample-42", 7), nil, benchBody)
	})
	if allocs != 0 {
		t.Fatalf("a memo hit allocates %.1f times", allocs)
	}
}
