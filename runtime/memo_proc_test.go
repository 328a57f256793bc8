//go:build linux || darwin

package runtime

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// memoHelper makes one memoised call in the process run (CACHEGEN_RUN,
// CACHEGEN_RUN_PARENT from the environment) on the file store
// $CACHEGEN_LOCK_STORE. The body appends a line to $CACHEGEN_LOCK_LOG: a
// side effect the test counts.
func memoHelper() int {
	ctx, err := helperContext()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	body := func(context.Context) (int, error) { return 42, logRun() }
	v, err := Memo(ctx, &memoTask, AppendString(nil, "side effect"), nil, body)
	fmt.Printf("result %d %v\n", v, err)
	return 0
}

// TestMemoDurableRunProcesses runs the program as a process several times:
// with the same CACHEGEN_RUN the side effect happens once; a child run
// (CACHEGEN_RUN_PARENT) re-uses it; another run executes again.
func TestMemoDurableRunProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	store, log := dir+"/store", dir+"/runs.log"
	run := func(runID, parentID string, wantRuns int) {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(lockEnv(store, log, "memo"), EnvRun+"="+runID, EnvRunParent+"="+parentID)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "result 42 <nil>") {
			t.Fatalf("helper (run %q, parent %q): %v\n%s", runID, parentID, err, out)
		}
		data, _ := os.ReadFile(log)
		if n := strings.Count(string(data), "ran in"); n != wantRuns {
			t.Fatalf("after run %q (parent %q) the body had run %d times, want %d", runID, parentID, n, wantRuns)
		}
	}
	run("r1", "", 1)
	run("r1", "", 1)
	run("r2", "r1", 1)
	run("r3", "", 2)
}
