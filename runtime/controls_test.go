package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
)

// fakeClock is a settable clock for ttl tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestTTL(t *testing.T) {
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	store := memory.New()
	task := testTask
	task.TTL = time.Hour
	var runs atomic.Int64
	rt, ctx := newRuntime(t, store, WithClock(clock.Now))
	Cached(ctx, &task, key("a"), nil, counted(&runs, 1))
	clock.Add(59 * time.Minute)
	Cached(ctx, &task, key("a"), nil, counted(&runs, 1)) // memory hit, still fresh
	rt2, ctx2 := newRuntime(t, store, WithClock(clock.Now))
	Cached(ctx2, &task, key("a"), nil, counted(&runs, 1)) // store hit, still fresh
	if runs.Load() != 1 {
		t.Fatalf("ran %d times within the ttl, want 1", runs.Load())
	}
	clock.Add(2 * time.Minute)
	Cached(ctx, &task, key("a"), nil, counted(&runs, 1)) // memory entry expired
	if runs.Load() != 2 || rt.Stats().Misses != 2 {
		t.Fatalf("an entry past its ttl was served from memory (runs %d, stats %+v)", runs.Load(), rt.Stats())
	}
	clock.Add(61 * time.Minute)
	rt3, ctx3 := newRuntime(t, store, WithClock(clock.Now))
	Cached(ctx3, &task, key("a"), nil, counted(&runs, 1))
	if runs.Load() != 3 || rt3.Stats().Misses != 1 {
		t.Fatalf("an entry past its ttl was served from the store (runs %d)", runs.Load())
	}
	_ = rt2
}

func TestRefresh(t *testing.T) {
	store := memory.New()
	_, ctx := newRuntime(t, store)
	var runs atomic.Int64
	Cached(ctx, &testTask, key("a"), nil, counted(&runs, 1))
	Cached(ctx, &testTask, key("b"), nil, counted(&runs, 1))
	rctx := Refresh(ctx, "pkg.F")
	r, _ := Cached(rctx, &testTask, key("a"), nil, counted(&runs, 2)) // runs once more
	if r.N != 2 || runs.Load() != 3 {
		t.Fatalf("refresh did not re-run: got %d after %d runs", r.N, runs.Load())
	}
	r, _ = Cached(rctx, &testTask, key("a"), nil, counted(&runs, 3)) // hits the new result
	if r.N != 2 || runs.Load() != 3 {
		t.Fatalf("a refreshed key ran again: got %d after %d runs", r.N, runs.Load())
	}
	// The new result replaced the stored one: another process hits it.
	_, ctx2 := newRuntime(t, store)
	if r, _ := Cached(ctx2, &testTask, key("a"), nil, counted(&runs, 9)); r.N != 2 {
		t.Fatalf("the refreshed result was not stored: got %d", r.N)
	}
	// A refresh of another task leaves this one alone.
	if r, _ := Cached(Refresh(ctx, "Other"), &testTask, key("b"), nil, counted(&runs, 9)); r.N != 1 {
		t.Fatalf("refreshing another task re-ran this one: got %d", r.N)
	}
	// CACHEGEN_REFRESH=1 refreshes every task once per key in the process.
	t.Setenv(EnvRefresh, "1")
	_, ctx3 := newRuntime(t, store)
	before := runs.Load()
	Cached(ctx3, &testTask, key("b"), nil, counted(&runs, 5))
	Cached(ctx3, &testTask, key("b"), nil, counted(&runs, 6))
	if runs.Load() != before+1 {
		t.Fatalf("CACHEGEN_REFRESH=1: ran %d times, want once", runs.Load()-before)
	}
}

func TestTaskMatches(t *testing.T) {
	id := "example.com/m/align.Aligner.Run"
	for name, want := range map[string]bool{
		id: true, "align.Aligner.Run": true, "Aligner.Run": true,
		"Run": false, "other.Aligner.Run": false, "align.Run": false,
	} {
		if TaskMatches(id, name) != want {
			t.Errorf("TaskMatches(%q, %q) = %v, want %v", id, name, !want, want)
		}
	}
	if !TaskMatches("example.com/m/pkg.F", "F") || !TaskMatches("example.com/m/pkg.F", "pkg.F") {
		t.Error("a function is not matched by its bare or package-qualified name")
	}
}

// TestParents runs a dev namespace over a prod parent: results come from
// prod, and nothing is ever written to prod.
func TestParents(t *testing.T) {
	store := memory.New()
	var runs atomic.Int64
	_, prod := newRuntime(t, store, WithDefaultNamespace("prod"))
	Cached(prod, &testTask, key("shared"), nil, counted(&runs, 1))
	prodKeys := keysUnder(t, store, "cache/prod/")

	dev, ctx := newRuntime(t, store, WithDefaultNamespace("dev"), WithParents("prod"))
	if r, _ := Cached(ctx, &testTask, key("shared"), nil, counted(&runs, 2)); r.N != 1 || runs.Load() != 1 {
		t.Fatalf("dev did not read prod's result: got %d after %d runs", r.N, runs.Load())
	}
	if r, _ := Cached(ctx, &testTask, key("dev-only"), nil, counted(&runs, 3)); r.N != 3 {
		t.Fatalf("got %d", r.N)
	}
	if got := keysUnder(t, store, "cache/prod/"); strings.Join(got, ",") != strings.Join(prodKeys, ",") {
		t.Fatalf("dev wrote to prod: %v, was %v", got, prodKeys)
	}
	if len(keysUnder(t, store, "cache/dev/")) != 1 {
		t.Fatalf("dev's own result was not written to dev")
	}
	if s := dev.Stats(); s.StoreHits != 1 || s.Misses != 1 {
		t.Fatalf("dev stats %+v", s)
	}
	t.Setenv(EnvParents, "staging, prod")
	rt, err := New(context.Background(), WithStore(store), WithLogger(quiet()))
	if err != nil || strings.Join(rt.parents, ",") != "staging,prod" {
		t.Fatalf("CACHEGEN_PARENTS: %v, %v", rt.parents, err)
	}
}

func keysUnder(t *testing.T, s backends.Store, prefix string) []string {
	var keys []string
	for info, err := range s.List(context.Background(), prefix) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

// TestExplainReasons checks each reason a call can miss for, through the
// debug log of the cache path and through Explain.
func TestExplainReasons(t *testing.T) {
	store := memory.New()
	clock := &fakeClock{now: time.Unix(1e9, 0)}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	v1 := Task{ID: "example.com/m/calc.Calc", Fingerprint: "1111111111111111", TTL: time.Hour,
		Parts: []Part{{Kind: PartDecl, Name: "example.com/m/calc.Calc", Hash: "a", Pos: "calc.go"}, {Kind: PartFunc, Name: "example.com/m/calc.double", Hash: "b", Pos: "calc.go"}}}
	run := func(task *Task, k string) string {
		logs.Reset()
		rt, err := New(context.Background(), WithStore(store), WithLogger(logger), WithClock(clock.Now), WithMemoryLimit(0))
		if err != nil {
			t.Fatal(err)
		}
		var runs atomic.Int64
		Cached(WithRuntime(context.Background(), rt), task, key(k), nil, counted(&runs, 1))
		return logs.String()
	}
	wantLog := func(log, reason string) {
		t.Helper()
		if !strings.Contains(log, reason) {
			t.Errorf("log lacks %q:\n%s", reason, log)
		}
	}
	wantLog(run(&v1, "3"), `reason="first call"`)
	wantLog(run(&v1, "4"), `reason="arguments differ: 1 stored result(s)`)

	helper := v1
	helper.Fingerprint = "2222222222222222"
	helper.Parts = []Part{v1.Parts[0], {Kind: PartFunc, Name: "example.com/m/calc.double", Hash: "c", Pos: "calc.go"}}
	wantLog(run(&helper, "3"), "reason=\"code changed: helper `double` (calc.go)\"")

	v2 := helper
	v2.Version, v2.Fingerprint = "2", "3333333333333333"
	wantLog(run(&v2, "3"), `reason="version bumped (none)→2"`)

	clock.Add(2 * time.Hour)
	wantLog(run(&v2, "3"), `reason="expired: stored 2h0m0s ago, ttl 1h0m0s"`)

	name := ObjectKey(DefaultNamespace, &v2, key("3"))
	if _, err := store.Put(context.Background(), name, strings.NewReader("garbage"), backends.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	wantLog(run(&v2, "3"), `reason="entry corrupt:`)

	rt, _ := New(context.Background(), WithStore(store), WithLogger(logger), WithClock(clock.Now))
	logs.Reset()
	var runs atomic.Int64
	Cached(Refresh(WithRuntime(context.Background(), rt), "Calc"), &v2, key("3"), nil, counted(&runs, 1))
	wantLog(logs.String(), `reason="refresh requested"`)

	ex, err := Explain(context.Background(), store, DefaultNamespace, &v2, key("3"), clock.Now())
	if err != nil || !ex.Hit || !strings.HasPrefix(ex.Reason, "hit:") {
		t.Fatalf("Explain after the refresh: %+v, %v", ex, err)
	}
	// Manifests were written once per fingerprint, and say what went in.
	data, err := readObject(context.Background(), store, backends.ManifestKey(DefaultNamespace, v2.ID, v2.Fingerprint))
	var m Manifest
	if err != nil || json.Unmarshal(data, &m) != nil || m.Version != "2" || len(m.Parts) != 2 {
		t.Fatalf("manifest %s, %v", data, err)
	}
}
