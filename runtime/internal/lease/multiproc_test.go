//go:build linux || darwin

// The fs store's conditional writes are atomic across processes only where
// it has flock(2), so the multi-process tests run there.

package lease

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
)

// Helper processes are this test binary run again with these variables set.
const (
	helperEnv = "CACHEGEN_LEASE_HELPER" // the helper's role: "run" or "hang"
	dirEnv    = "CACHEGEN_LEASE_DIR"    // the shared directory
)

const (
	procs         = 8
	goroutines    = 16
	helperPeriod  = time.Second
	helperTimeout = 30 * time.Second // far beyond the test's limits: a timeout is a failure
)

func TestMain(m *testing.M) {
	if role := os.Getenv(helperEnv); role != "" {
		if err := helper(role, os.Getenv(dirEnv)); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helper is the main function of a helper process. Role "run" calls Run
// from many goroutines; "hang" takes the lease, says "holding" on stdout
// and blocks in the body until killed.
func helper(role, dir string) error {
	ctx := context.Background()
	store, err := fs.New(filepath.Join(dir, "store"))
	if err != nil {
		return err
	}
	cfg := Config{
		Period: helperPeriod,
		Poll:   20 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	ready := func(ctx context.Context) (bool, error) {
		_, _, err := store.Get(ctx, resultKey)
		if errors.Is(err, backends.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	if role == "hang" {
		_, err := Run(ctx, store, lockKey, helperTimeout, cfg, ready, func(context.Context) error {
			fmt.Println("holding")
			select {}
		})
		return err
	}
	body := func(ctx context.Context) error {
		f, err := os.OpenFile(filepath.Join(dir, "runs"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		fmt.Fprintf(f, "pid %d\n", os.Getpid())
		if err := f.Close(); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond) // let the others pile up
		_, err = store.Put(ctx, resultKey, strings.NewReader("result"), backends.PutOptions{})
		return err
	}
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for range goroutines {
		wg.Go(func() {
			if _, err := Run(ctx, store, lockKey, helperTimeout, cfg, ready, body); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// helperCmd returns the command for one helper process.
func helperCmd(t *testing.T, role, dir string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+role, dirEnv+"="+dir)
	return cmd
}

// runHelpers runs procs "run" helpers at once and fails t if any fails.
func runHelpers(t *testing.T, dir string) {
	var wg sync.WaitGroup
	for range procs {
		cmd := helperCmd(t, "run", dir)
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("helper: %v\n%s", err, out)
			}
		})
	}
	wg.Wait()
}

// bodyRuns returns the lines the helpers' bodies appended.
func bodyRuns(t *testing.T, dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, "runs"))
	if err != nil {
		t.Fatalf("no body ran: %v", err)
	}
	return strings.Fields(strings.ReplaceAll(string(data), "pid ", "pid:"))
}

func TestMultiProcessRunsOnce(t *testing.T) {
	dir := t.TempDir()
	runHelpers(t, dir)
	if runs := bodyRuns(t, dir); len(runs) != 1 {
		t.Fatalf("body ran %d times across %d×%d callers: %v; want once", len(runs), procs, goroutines, runs)
	}
}

func TestMultiProcessKilledHolder(t *testing.T) {
	dir := t.TempDir()
	holder := helperCmd(t, "hang", dir)
	out, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	holder.Stderr = os.Stderr
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "holding\n" {
		holder.Process.Kill()
		holder.Wait()
		t.Fatalf("holder said %q, %v; want holding", line, err)
	}
	if err := holder.Process.Kill(); err != nil { // SIGKILL: no release, no last words
		t.Fatal(err)
	}
	holder.Wait()
	killed := time.Now()

	runHelpers(t, dir)
	took := time.Since(killed)
	t.Logf("the others finished %v after the holder was killed (lease period %v)", took, helperPeriod)
	if runs := bodyRuns(t, dir); len(runs) != 1 {
		t.Fatalf("body ran %d times after the holder died: %v; want once", len(runs), runs)
	}
	// At most one period of waiting, plus process start-up and the body on a
	// busy machine; a missed takeover would wait for the 30s timeout.
	if limit := helperPeriod + 4*time.Second; took > limit {
		t.Fatalf("the others took %v after the holder died; want under %v", took, limit)
	}
}
