//go:build linux || darwin

package runtime

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends/fs"
)

// The lock tests run this test binary as helper processes: with
// CACHEGEN_LOCK_HELPER=run it calls the lock task from 16 goroutines; with
// =hang it takes the lease and never finishes; with =memo it makes one
// memoised call in the run CACHEGEN_RUN names (see memo_proc_test.go).
func TestMain(m *testing.M) {
	switch os.Getenv("CACHEGEN_LOCK_HELPER") {
	case "run":
		os.Exit(lockHelper(false))
	case "hang":
		os.Exit(lockHelper(true))
	case "memo":
		os.Exit(memoHelper())
	}
	os.Exit(m.Run())
}

var lockTask = Task{ID: "example.com/m/pkg.Expensive", Fingerprint: "0123456789abcdef", Lock: true, LockTimeout: time.Minute}

// helperContext returns a context whose runtime, made with opts, keeps its
// results in the file store $CACHEGEN_LOCK_STORE: the store the helper
// processes share.
func helperContext(opts ...Option) (context.Context, error) {
	store, err := fs.New(os.Getenv("CACHEGEN_LOCK_STORE"))
	if err != nil {
		return nil, err
	}
	rt, err := New(context.Background(), append([]Option{WithStore(store), WithLogger(quiet())}, opts...)...)
	if err != nil {
		return nil, err
	}
	return WithRuntime(context.Background(), rt), nil
}

// logRun appends "ran in PID" to $CACHEGEN_LOCK_LOG: the side effect the
// tests count.
func logRun() error {
	f, err := os.OpenFile(os.Getenv("CACHEGEN_LOCK_LOG"), os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "ran in %d\n", os.Getpid())
	return errors.Join(err, f.Close())
}

// lockHelper calls the lock task and prints each goroutine's result. The
// body appends a line to $CACHEGEN_LOCK_LOG, so the test can count runs.
func lockHelper(hang bool) int {
	ctx, err := helperContext(WithLeasePeriod(time.Second), WithMemoryLimit(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	body := func(context.Context) (int, error) {
		if err := logRun(); err != nil {
			return 0, err
		}
		if hang {
			fmt.Println("holding")
			select {}
		}
		time.Sleep(300 * time.Millisecond)
		return 42, nil
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range 16 {
		wg.Go(func() {
			v, err := Cached(ctx, &lockTask, AppendString(nil, "same"), nil, body)
			mu.Lock()
			defer mu.Unlock()
			fmt.Printf("result %d %v\n", v, err)
		})
	}
	wg.Wait()
	return 0
}

func lockEnv(store, log, mode string) []string {
	return append(os.Environ(), "CACHEGEN_LOCK_HELPER="+mode, "CACHEGEN_LOCK_STORE="+store, "CACHEGEN_LOCK_LOG="+log)
}

// runHelpers starts n helper processes at once and returns their outputs.
func runHelpers(t *testing.T, n int, store, log string) []string {
	t.Helper()
	outs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = lockEnv(store, log, "run")
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

func checkRuns(t *testing.T, log string, outs []string, want int) {
	t.Helper()
	data, _ := os.ReadFile(log)
	if runs := strings.Count(string(data), "ran in"); runs != want {
		t.Errorf("the body ran %d times across the processes, want %d:\n%s", runs, want, data)
	}
	for i, out := range outs {
		if n := strings.Count(out, "result 42 <nil>"); n != 16 {
			t.Errorf("helper %d: %d of 16 calls returned 42:\n%s", i, n, out)
		}
	}
}

// TestLockAcrossProcesses: 8 processes × 16 goroutines call one lock task on
// a shared file store; the body runs once.
func TestLockAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	log := dir + "/runs.log"
	outs := runHelpers(t, 8, dir+"/store", log)
	checkRuns(t, log, outs, 1)
}

// TestLockHolderKilled: a holder killed with SIGKILL blocks the others for
// no longer than about one lease period (1s here), and the body then runs
// exactly once more.
func TestLockHolderKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	store, log := dir+"/store", dir+"/runs.log"
	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = lockEnv(store, log, "hang")
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "holding\n" {
		holder.Process.Kill()
		t.Fatalf("holder said %q", line)
	}
	if err := holder.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	holder.Wait()
	start := time.Now()
	outs := runHelpers(t, 8, store, log)
	if took := time.Since(start); took > 6*time.Second {
		t.Errorf("the others took %s after the holder died; want about one lease period (1s)", took)
	}
	checkRuns(t, log, outs, 2) // the killed holder's start, and one run after it
}
