package gcs_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends/gcs"
	"github.com/cachegen/cachegen/runtime"
)

// TestServerStoppedMidRun kills the emulator halfway through a run of
// cached calls: every call must still return its value (computed when the
// store fails), the failures must be counted as StoreErrors, and no call may
// hang on the dead server.
func TestServerStoppedMidRun(t *testing.T) {
	dir := t.TempDir()
	e, err := startEmulator(dir)
	if err != nil {
		noEmulator(t, err)
	}
	defer e.stop()
	// Bounded retries and a short timeout: a dead server fails in
	// milliseconds (connection refused), a hung one within Timeout.
	store := e.newStore(t, gcs.Config{Bucket: e.newBucket(t), Timeout: 2 * time.Second, MaxAttempts: 2})
	rt, err := runtime.New(t.Context(), runtime.WithStore(store), runtime.WithMemoryLimit(0),
		runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatalf("runtime.New: %v", err)
	}
	ctx := runtime.WithRuntime(t.Context(), rt)
	task := &runtime.Task{ID: "example.com/m/pkg.Square", Fingerprint: "0123456789abcdef"}
	square := func(i int) func(context.Context) (int, error) {
		return func(context.Context) (int, error) { return i * i, nil }
	}
	const keys, calls = 10, 60
	call := func(n int) time.Duration {
		i := n % keys
		start := time.Now()
		got, err := runtime.Cached(ctx, task, runtime.AppendString(nil, fmt.Sprint(i)), nil, square(i))
		if err != nil || got != i*i {
			t.Fatalf("call %d (key %d) = %d, %v; want %d", n, i, got, err, i*i)
		}
		return time.Since(start)
	}
	for n := range calls / 2 {
		call(n)
	}
	before := rt.Stats()
	if before.StoreHits == 0 || before.StoreErrors != 0 {
		t.Fatalf("before the kill: stats %+v, want store hits and no store errors", before)
	}
	if err := e.cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	<-e.exited
	var slowest time.Duration
	for n := calls / 2; n < calls; n++ {
		slowest = max(slowest, call(n))
	}
	after := rt.Stats()
	t.Logf("after the kill: %d calls, slowest %v; stats %+v", calls/2, slowest, after)
	// Every call's store operations failed, or were skipped once the
	// runtime's circuit breaker opened.
	if after.StoreErrors+after.StoreSkipped < calls/2 || after.BreakerOpens == 0 {
		t.Errorf("stats %+v after %d calls on a dead server, want a failed or skipped store operation per call and the breaker open", after, calls/2)
	}
	if after.Misses-before.Misses != calls/2 {
		t.Errorf("%d misses after the kill, want %d (every call computes)", after.Misses-before.Misses, calls/2)
	}
	if slowest > 5*time.Second {
		t.Errorf("a call on the dead server took %v; the store should fail fast", slowest)
	}
}
