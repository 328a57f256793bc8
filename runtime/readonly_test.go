package runtime

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// TestReadOnly checks a read-only runtime against a file store a writer
// filled: hits are served, misses compute, and nothing is written (no
// entry, manifest, lease or durable memo entry); job cache writes fail
// with ErrReadOnly while reads work.
func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	url := "file://" + t.TempDir()
	writer, err := New(ctx, WithStoreURL(url), WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	task := &Task{ID: "example.com/m.RO", Fingerprint: "0123456789abcdef"}
	locked := &Task{ID: "example.com/m.Locked", Fingerprint: "0123456789abcdef", Lock: true}
	memo := &Task{ID: "example.com/m.Memo", Signature: "0123456789abcdef"}
	seven := func(context.Context) (int, error) { return 7, nil }
	if _, err := Cached(WithRuntime(ctx, writer), task, []byte("k1"), nil, seven); err != nil {
		t.Fatal(err)
	}
	if err := mustJob(t, WithRuntime(ctx, writer)).Save(ctx, "kept", []byte("v")); err != nil {
		t.Fatal(err)
	}
	before := keysUnder(t, writer.store, "")

	ro, err := New(ctx, WithStoreURL(url), WithLogger(quiet()), WithReadOnly(true))
	if err != nil {
		t.Fatal(err)
	}
	rctx := WithRuntime(ctx, ro)
	runs := 0
	counted := func(context.Context) (int, error) { runs++; return 8, nil }
	if v, err := Cached(rctx, task, []byte("k1"), nil, counted); err != nil || v != 7 || runs != 0 {
		t.Errorf("read-only hit = %d, %v after %d runs; want the stored 7", v, err, runs)
	}
	if v, err := Cached(rctx, task, []byte("k2"), nil, counted); err != nil || v != 8 || runs != 1 {
		t.Errorf("read-only miss = %d, %v after %d runs; want a computed 8", v, err, runs)
	}
	if v, err := Cached(rctx, task, []byte("k2"), nil, counted); err != nil || v != 8 || runs != 1 {
		t.Errorf("second call = %d, %v after %d runs; want the in-process 8", v, err, runs)
	}
	if v, err := Cached(rctx, locked, []byte("k3"), nil, counted); err != nil || v != 8 {
		t.Errorf("lock task = %d, %v", v, err)
	}
	if v, err := Memo(NewRun(rctx, RunID("run1")), memo, []byte("m"), nil, counted); err != nil || v != 8 {
		t.Errorf("durable memo = %d, %v", v, err)
	}
	jc := mustJob(t, rctx)
	if err := jc.Save(ctx, "new", []byte("v")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Save: %v, want ErrReadOnly", err)
	}
	if err := jc.Delete(ctx, "kept"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Delete: %v, want ErrReadOnly", err)
	}
	if w, err := jc.Writer(ctx, "streamed"); err == nil {
		w.Write([]byte("v"))
		if err := w.Close(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("Writer.Close: %v, want ErrReadOnly", err)
		}
	}
	if v, err := jc.Load(ctx, "kept"); err != nil || string(v) != "v" {
		t.Errorf("Load = %q, %v; want the writer's value", v, err)
	}
	if after := keysUnder(t, writer.store, ""); !slices.Equal(before, after) {
		t.Errorf("a read-only runtime wrote to the store:\nbefore %v\nafter  %v", before, after)
	}
	if s := ro.Stats(); s.StoreErrors != 0 {
		t.Errorf("stats %+v: a read-only runtime's skipped writes are not store errors", s)
	}
}

// TestReadOnlyEnv checks CACHEGEN_READONLY, and that a value it cannot read
// leaves the runtime read-only rather than writing.
func TestReadOnlyEnv(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "true": true, "0": false, "": false, "bogus": true} {
		t.Setenv(EnvReadOnly, v)
		rt, err := New(context.Background(), WithStoreURL("mem://"), WithLogger(quiet()))
		if err != nil {
			t.Fatal(err)
		}
		if rt.readOnly != want {
			t.Errorf("%s=%q: read-only %v, want %v", EnvReadOnly, v, rt.readOnly, want)
		}
	}
}

func mustJob(t *testing.T, ctx context.Context) *Cache {
	t.Helper()
	c, err := JobCache(WithJob(ctx, "job1"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestZeroRuntime checks that the zero Runtime works as documented: no
// store, results kept in memory, memo in the process's run.
func TestZeroRuntime(t *testing.T) {
	var rt Runtime
	ctx := WithRuntime(context.Background(), &rt)
	runs := 0
	fn := func(context.Context) (int, error) { runs++; return 5, nil }
	task := &Task{ID: "example.com/m.Zero", Fingerprint: "0123456789abcdef"}
	for range 2 {
		if v, err := Cached(ctx, task, []byte("k"), nil, fn); err != nil || v != 5 {
			t.Fatalf("Cached = %d, %v", v, err)
		}
	}
	if v, err := Memo(ctx, &Task{ID: "example.com/m.ZeroMemo", Signature: "0123456789abcdef"}, []byte("k"), nil, fn); err != nil || v != 5 {
		t.Fatalf("Memo = %d, %v", v, err)
	}
	if s := rt.Stats(); runs != 2 || s.MemoryHits != 1 || s.Misses != 1 {
		t.Errorf("runs %d, stats %+v; want a miss, a memory hit and one memo execution", runs, s)
	}
	if rt.Namespace(ctx) != DefaultNamespace || rt.Store() != nil {
		t.Errorf("namespace %q, store %v", rt.Namespace(ctx), rt.Store())
	}
	if _, err := JobCache(WithJob(ctx, "j")); err == nil {
		t.Errorf("a job cache without a store: no error")
	}
	if err := rt.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
