package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/cachegen/cachegen/backends/s3"
	"github.com/cachegen/cachegen/internal/testserver"
	"github.com/cachegen/cachegen/runtime"
)

// syncBuffer is a log sink the runtime's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestStoreFaults runs calls against a real S3-compatible server on
// loopback while it hangs (SIGSTOP: connections accepted, never answered)
// and after it dies, and prints the figures the README quotes
// (cd backends/s3 && go test -run TestStoreFaults -v):
//
//   - hung for a while mid-run: every call returns the right value, and the
//     longest call (store reads and writes included) stays within the
//     budget: 1s to read and 3s to write by default;
//   - dead: once the breaker is open, a call costs the store almost
//     nothing.
//
// Bounds are generous (a loaded machine is slow); the figures are logged.
func TestStoreFaults(t *testing.T) {
	srv := testserver.StartS3(t)
	url := srv.StoreURL(t, "faults")
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	rt, err := runtime.New(context.Background(), runtime.WithStoreURL(url), runtime.WithLogger(log), runtime.WithMemoryLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := runtime.WithRuntime(context.Background(), rt)
	task := &runtime.Task{ID: "example.com/m.Fault", Fingerprint: "0123456789abcdef"}
	call := func(i int) (time.Duration, error) {
		start := time.Now()
		v, err := runtime.Cached(ctx, task, []byte(fmt.Sprint(i)), nil, func(context.Context) (int, error) { return i * i, nil })
		if err == nil && v != i*i {
			err = fmt.Errorf("call %d returned %d, want %d", i, v, i*i)
		}
		return time.Since(start), err
	}
	for i := range 3 {
		if _, err := call(i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := call(0); err != nil || rt.Stats().StoreHits != 1 {
		t.Fatalf("before the fault: %v, stats %+v; want a hit from the store", err, rt.Stats())
	}

	// Hung.
	if err := srv.Freeze(); err != nil {
		t.Fatal(err)
	}
	hang := 12 * time.Second
	var longest time.Duration
	calls := 0
	for start := time.Now(); time.Since(start) < hang; calls++ {
		d, err := call(calls % 6) // keys the store has, and keys it has not
		if err != nil {
			t.Fatal(err)
		}
		longest = max(longest, d)
		time.Sleep(50 * time.Millisecond)
	}
	if err := srv.Thaw(); err != nil {
		t.Fatal(err)
	}
	t.Logf("store hung for %s: %d calls, all right; the longest took %s", hang, calls, longest.Round(time.Millisecond))
	if longest > 10*time.Second {
		t.Errorf("a call took %s while the store hung; the budget is 1s to read and 3s to write", longest)
	}
	// The breaker closes once a probe succeeds, within its longest backoff.
	recovered := false
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); {
		before := rt.Stats().StoreHits
		if _, err := call(1); err != nil {
			t.Fatal(err)
		}
		if rt.Stats().StoreHits > before {
			recovered = true
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !recovered {
		t.Fatalf("the store answered again, but no call hit it; stats %+v\n%s", rt.Stats(), logs.String())
	}
	text := logs.String()
	s := rt.Stats()
	if s.BreakerOpens < 1 || strings.Count(text, "keeps failing") != int(s.BreakerOpens) || strings.Count(text, "answers again") != int(s.BreakerOpens) {
		t.Errorf("stats %+v; want a line each time the breaker opened and closed:\n%s", s, text)
	}
	t.Logf("breaker opened %d times, skipped %d store operations", s.BreakerOpens, s.StoreSkipped)

	// Dead.
	srv.Stop()
	var slowest time.Duration
	for i := range 10 {
		d, err := call(100 + i)
		if err != nil {
			t.Fatal(err)
		}
		slowest = max(slowest, d)
	}
	const n = 500
	start := time.Now()
	for i := range n {
		if _, err := call(1000 + i); err != nil {
			t.Fatal(err)
		}
	}
	per := time.Since(start) / n
	t.Logf("store dead: the first calls took up to %s; after the breaker opened, %s a call (%d calls)",
		slowest.Round(time.Millisecond), per, n)
	if per > 5*time.Millisecond {
		t.Errorf("with the breaker open a call costs %s; want well under a millisecond", per)
	}
}

// TestActivityHungStore freezes the store while activity is written every
// 20ms: the writes wait out their deadline on their goroutine, and hits
// from memory go on at the speed they had before (median of 2,000-hit
// rounds, compared in the same run; the bound is generous for a loaded
// machine).
func TestActivityHungStore(t *testing.T) {
	srv := testserver.StartS3(t)
	url := srv.StoreURL(t, "activity")
	rt, err := runtime.New(context.Background(), runtime.WithStoreURL(url), runtime.WithActivityInterval(20*time.Millisecond),
		runtime.WithStoreBudget(runtime.Budget{Read: 200 * time.Millisecond, Write: 500 * time.Millisecond}),
		runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	ctx := runtime.WithRuntime(context.Background(), rt)
	task := &runtime.Task{ID: "example.com/m/pkg.Hot", Fingerprint: "0123456789abcdef"}
	hit := func() {
		if _, err := runtime.Cached(ctx, task, runtime.AppendString(nil, "k"), nil, func(context.Context) (int, error) { return 1, nil }); err != nil {
			t.Fatal(err)
		}
	}
	round := func() time.Duration {
		start := time.Now()
		for range 2000 {
			hit()
		}
		return time.Since(start)
	}
	median := func() time.Duration {
		var ds []time.Duration
		for range 15 {
			ds = append(ds, round())
			time.Sleep(10 * time.Millisecond) // let the writer run
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	hit() // the miss
	before := median()
	if err := srv.Freeze(); err != nil {
		t.Fatal(err)
	}
	defer srv.Thaw()
	during := median()
	// The writes stuck in the hung store time out (500ms) and are dropped.
	for deadline := time.Now().Add(10 * time.Second); rt.Stats().StoreErrors+rt.Stats().StoreSkipped == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no activity write failed or was skipped: the store did not hang")
		}
		hit()
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("2,000 memory hits: %v with the store answering, %v with it hung; %+v", before, during, rt.Stats())
	if during > 3*before+50*time.Millisecond {
		t.Errorf("hits slowed down while the store hung: %v, was %v", during, before)
	}
}
