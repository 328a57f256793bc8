package s3_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	cgrt "github.com/cachegen/cachegen/runtime"
)

// TestServerStoppedMidRun runs cached calls through the runtime while the
// server dies halfway: every call still returns the right value, the
// failures are counted as store errors, and no call hangs.
func TestServerStoppedMidRun(t *testing.T) {
	needServer(t)
	srv, err := startServer() // its own server: this test kills it
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	defer srv.stop()
	st := srv.open(t, srv.newBucket(t), "outage")
	rt, err := cgrt.New(t.Context(), cgrt.WithStore(st), cgrt.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := cgrt.WithRuntime(t.Context(), rt)
	task := &cgrt.Task{ID: "example.com/m/pkg.Square", Fingerprint: "0123456789abcdef"}

	const calls = 6
	var before cgrt.Stats
	for i := range calls {
		if i == calls/2 {
			before = rt.Stats()
			srv.cmd.Process.Kill()
			<-srv.waited
		}
		for _, arg := range []int64{int64(i), int64(i) / 2} { // a new key, then an earlier one
			start := time.Now()
			callCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
			got, err := cgrt.Cached(callCtx, task, cgrt.AppendInt(nil, arg), nil, func(context.Context) (int64, error) {
				return arg * arg, nil
			})
			cancel()
			if err != nil || got != arg*arg {
				t.Fatalf("call %d(%d) = %d, %v; want %d", i, arg, got, err, arg*arg)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("call %d(%d) took %v with the server down; want a few seconds at most", i, arg, d)
			}
		}
	}
	after := rt.Stats()
	if before.StoreErrors != 0 {
		t.Errorf("StoreErrors = %d while the server was up, want 0", before.StoreErrors)
	}
	if after.StoreErrors == 0 {
		t.Errorf("no StoreErrors counted after the server died (stats %+v)", after)
	}
	t.Logf("stats with the server up: %+v; after it died: %+v", before, after)
}
