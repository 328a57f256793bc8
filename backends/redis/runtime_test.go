package redis_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	_ "github.com/cachegen/cachegen/backends/fs" // file:// for the tiered levels
	"github.com/cachegen/cachegen/internal/testserver"
	"github.com/cachegen/cachegen/runtime"
)

// The helper processes: CACHEGEN_REDIS_HELPER names what one does with
// the store CACHEGEN_STORE names; its body appends a line to
// CACHEGEN_REDIS_LOG, which the test counts.
const (
	envHelper = "CACHEGEN_REDIS_HELPER"
	envLog    = "CACHEGEN_REDIS_LOG"
)

var (
	lockTask  = runtime.Task{ID: "example.com/m/pkg.Once", Fingerprint: "0123456789abcdef", Lock: true, LockTimeout: time.Minute}
	plainTask = runtime.Task{ID: "example.com/m/pkg.Plain", Fingerprint: "0123456789abcdef"}
	memoTask  = runtime.Task{ID: "example.com/m/pkg.Notify", Fingerprint: "0123456789abcdef", Signature: "fedcba9876543210"}
)

// helper is one helper process: "lock" calls the lock task, "cached" the
// plain task, "memo" memoises a call in the run CACHEGEN_RUN names, each
// once, and prints the result and where it came from.
func helper(mode string) int {
	rt, err := runtime.New(context.Background(), runtime.WithStoreURL(os.Getenv("CACHEGEN_STORE")),
		runtime.WithLeasePeriod(time.Second), runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer rt.Close()
	ctx := runtime.WithRuntime(context.Background(), rt)
	body := func(context.Context) (int, error) {
		f, err := os.OpenFile(os.Getenv(envLog), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(f, "ran in %d\n", os.Getpid())
		f.Close()
		time.Sleep(300 * time.Millisecond)
		return 42, nil
	}
	key := runtime.AppendString(nil, "same")
	var v int
	switch mode {
	case "memo":
		v, err = runtime.Memo(ctx, &memoTask, key, nil, body)
	case "lock":
		v, err = runtime.Cached(ctx, &lockTask, key, nil, body)
	default:
		v, err = runtime.Cached(ctx, &plainTask, key, nil, body)
	}
	s := rt.Stats()
	fmt.Printf("result %d %v misses %d store-hits %d\n", v, err, s.Misses, s.StoreHits)
	return 0
}

// runHelpers starts n helper processes at once and returns their outputs;
// env is more of their environment.
func runHelpers(t *testing.T, n int, mode, store, log string, env ...string) []string {
	t.Helper()
	outs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), envHelper+"="+mode, "CACHEGEN_STORE="+store, envLog+"="+log, "CACHEGEN_NAMESPACE="+t.Name())
			cmd.Env = append(cmd.Env, env...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("helper %d: %v\n%s", i, err, out)
			}
			outs[i] = string(out)
		})
	}
	wg.Wait()
	return outs
}

func runs(t *testing.T, log string) int {
	t.Helper()
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "ran in ")
}

// TestLockAcrossProcesses runs a lock task in 8 processes at once on one
// Redis: the body runs once and every process gets its result.
func TestLockAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	srv := needServer(t)
	log := t.TempDir() + "/runs.log"
	outs := runHelpers(t, 8, "lock", "redis://"+srv.Addr+"?prefix=lock-test/", log)
	for i, out := range outs {
		if !strings.Contains(out, "result 42 <nil>") {
			t.Errorf("helper %d printed %q", i, out)
		}
	}
	if n := runs(t, log); n != 1 {
		t.Fatalf("the lock task's body ran %d times in 8 processes, want once", n)
	}
}

// TestDurableRun memoises a call in a durable run, one process after
// another, on Redis and on a file store in front of Redis: the body runs
// once per run, and a child run sees its parent's result.
func TestDurableRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	srv := needServer(t)
	for name, store := range map[string]string{
		"redis":  "redis://" + srv.Addr + "?prefix=durable/",
		"tiered": "file://" + t.TempDir() + " | redis://" + srv.Addr + "?prefix=durable-tiered/",
	} {
		t.Run(name, func(t *testing.T) {
			log := t.TempDir() + "/runs.log"
			for i, c := range []struct {
				run, parent string
				runs        int
			}{{"r1", "", 1}, {"r1", "", 1}, {"child", "r1", 1}, {"r2", "", 2}} {
				out := runHelpers(t, 1, "memo", store, log, runtime.EnvRun+"="+c.run, runtime.EnvRunParent+"="+c.parent)[0]
				if !strings.Contains(out, "result 42 <nil>") {
					t.Fatalf("process %d: %q", i, out)
				}
				if n := runs(t, log); n != c.runs {
					t.Fatalf("after process %d (run %s, parent %q) the body ran %d times, want %d", i, c.run, c.parent, n, c.runs)
				}
			}
		})
	}
}

// getCalls is the number of GET commands the server has answered.
func getCalls(t testing.TB, addr string) int {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	defer c.Close()
	info, err := c.Info(t.Context(), "commandstats").Result()
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "cmdstat_get:calls="); ok {
			n, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ',')])
			return n
		}
	}
	return 0
}

// TestTieredSecondProcess runs two processes on a file store in front of
// Redis: the first computes and writes both levels; the second's hit comes
// from the local level, with no GET sent to Redis (the server's own
// statistics); a third, on a fresh local level, reads Redis and fills it.
func TestTieredSecondProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	srv := testserver.StartRedis(t) // its own, so no other test's GETs count
	local, log := t.TempDir(), t.TempDir()+"/runs.log"
	store := "file://" + local + " | redis://" + srv.Addr
	first := runHelpers(t, 1, "cached", store, log)[0]
	if !strings.Contains(first, "result 42 <nil> misses 1") {
		t.Fatalf("first process: %q", first)
	}
	before := getCalls(t, srv.Addr)
	second := runHelpers(t, 1, "cached", store, log)[0]
	if !strings.Contains(second, "result 42 <nil> misses 0 store-hits 1") {
		t.Fatalf("second process: %q", second)
	}
	if after := getCalls(t, srv.Addr); after != before {
		t.Errorf("the second process's hit sent %d GETs to Redis, want 0", after-before)
	}
	otherLocal := t.TempDir()
	third := runHelpers(t, 1, "cached", "file://"+otherLocal+" | redis://"+srv.Addr, log)[0]
	if !strings.Contains(third, "misses 0 store-hits 1") || getCalls(t, srv.Addr) == before {
		t.Fatalf("a process on another machine's disk: %q, GETs %d", third, getCalls(t, srv.Addr)-before)
	}
	if n := runs(t, log); n != 1 {
		t.Errorf("the body ran %d times in three processes, want once", n)
	}
	entries, _ := os.ReadDir(otherLocal)
	if len(entries) == 0 {
		t.Error("the third process's hit from Redis did not fill its local level")
	}
}

// TestServerDownMidRun kills, then in another run freezes, the server
// between calls: every call still returns its value, in bounded time. With
// a file store in front of Redis, the local level goes on serving hits.
func TestServerDownMidRun(t *testing.T) {
	for _, how := range []string{"killed", "frozen", "killed behind a local level"} {
		t.Run(how, func(t *testing.T) {
			srv := testserver.StartRedis(t)
			url := "redis://" + srv.Addr + "?timeout=500ms"
			tiered := strings.HasSuffix(how, "local level")
			if tiered {
				url = "file://" + t.TempDir() + " | " + url
			}
			rt, err := runtime.New(t.Context(), runtime.WithStoreURL(url), runtime.WithMemoryLimit(0),
				runtime.WithStoreBudget(runtime.Budget{Read: 300 * time.Millisecond, Write: 300 * time.Millisecond}),
				runtime.WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				t.Fatal(err)
			}
			defer rt.Close()
			ctx := runtime.WithRuntime(t.Context(), rt)
			call := func(i int) (int, time.Duration) {
				start := time.Now()
				v, err := runtime.Cached(ctx, &plainTask, runtime.AppendInt(nil, int64(i%2)), nil,
					func(context.Context) (int, error) { return 100 + i%2, nil })
				if err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
				return v, time.Since(start)
			}
			for i := range 2 {
				call(i) // stored
			}
			if v, _ := call(0); v != 100 || rt.Stats().StoreHits != 1 {
				t.Fatalf("before the outage: %d, %+v", v, rt.Stats())
			}
			if strings.HasPrefix(how, "killed") {
				srv.Stop()
			} else {
				if err := srv.Freeze(); err != nil {
					t.Fatal(err)
				}
				defer srv.Thaw()
			}
			var longest time.Duration
			for i := range 20 {
				v, d := call(i)
				if v != 100+i%2 {
					t.Fatalf("call %d during the outage returned %d", i, v)
				}
				longest = max(longest, d)
			}
			t.Logf("server %s: the longest of 20 calls took %v; %+v", how, longest, rt.Stats())
			if longest > 5*time.Second {
				t.Errorf("a call took %v while the server was %s", longest, how)
			}
			if s := rt.Stats(); tiered && s.StoreHits != 21 {
				t.Errorf("with a local level, %d of 20 calls were hits during the outage, want all", s.StoreHits-1)
			}
		})
	}
}
