//go:build unix

package gcs_test

import (
	"context"
	"log/slog"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends/gcs"
	"github.com/cachegen/cachegen/runtime"
)

// TestServerHung stops (SIGSTOP) the emulator: connections are accepted by
// the kernel but never answered, so only Config.Timeout ends each request.
// Calls must still return their value, within a few timeouts.
func TestServerHung(t *testing.T) {
	e, err := startEmulator(t.TempDir())
	if err != nil {
		noEmulator(t, err)
	}
	defer e.stop()
	const timeout = 300 * time.Millisecond
	store := e.newStore(t, gcs.Config{Bucket: e.newBucket(t), Timeout: timeout, MaxAttempts: 2})
	rt, err := runtime.New(t.Context(), runtime.WithStore(store), runtime.WithMemoryLimit(0),
		runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatalf("runtime.New: %v", err)
	}
	ctx := runtime.WithRuntime(t.Context(), rt)
	task := &runtime.Task{ID: "example.com/m/pkg.Hung", Fingerprint: "0123456789abcdef"}
	if err := e.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer e.cmd.Process.Signal(syscall.SIGCONT)
	// The signal is delivered asynchronously: wait until the server
	// stops answering, so no call below gets through.
	for probe := (&http.Client{Timeout: 100 * time.Millisecond}); ; {
		resp, err := probe.Get(e.endpoint + "/storage/v1/b")
		if err != nil {
			break
		}
		resp.Body.Close()
	}
	for i := range 3 {
		start := time.Now()
		got, err := runtime.Cached(ctx, task, runtime.AppendString(nil, "k"), nil,
			func(context.Context) (int, error) { return 42 + i, nil })
		d := time.Since(start)
		if err != nil || got != 42+i {
			t.Fatalf("call %d = %d, %v; want %d", i, got, err, 42+i)
		}
		// A Get and a Put, each at most a timeout (timeouts are not retried).
		if d > 4*timeout+time.Second {
			t.Fatalf("call %d on a hung server took %v, want about %v", i, d, 2*timeout)
		}
	}
	// A get and a put each: failed, or skipped once the breaker opened.
	if s := rt.Stats(); s.StoreErrors+s.StoreSkipped < 6 {
		t.Errorf("stats %+v after 3 calls on a hung server, want 6 failed or skipped store operations (a get and a put each)", s)
	}
}
