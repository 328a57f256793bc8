package testmod

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/gotooltest"
	"github.com/rogpeppe/go-internal/testscript"
)

// Script is what ScriptParams needs to know about a run of txtar scripts.
type Script struct {
	Dir    string   // the scripts' directory
	Update bool     // rewrite the scripts' cmp files with the actual output
	Nested []string // nested modules the scripts' modules require too (see UseRepo)
	// Env, if set, adds to each script's environment.
	Env func(*testscript.Env)
}

// ScriptParams are the settings every script runs with: this repository
// (and s.Nested) replaced into each script's module, the real module
// cache, a file store in the work directory, the go command, and the
// commands sleep DURATION and exits CODE PROGRAM [ARGS...].
func ScriptParams(t testing.TB, s Script) testscript.Params {
	t.Helper()
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	modcache := GoEnv(t, "GOMODCACHE")
	p := testscript.Params{
		Dir:           s.Dir,
		UpdateScripts: s.Update,
		Setup: func(e *testscript.Env) error {
			if _, err := os.Stat(filepath.Join(e.WorkDir, "go.mod")); err == nil {
				if err := UseRepo(e.WorkDir, root, s.Nested...); err != nil {
					return err
				}
			}
			e.Setenv("GOMODCACHE", modcache)
			e.Setenv("GOFLAGS", "-mod=mod")
			e.Setenv("CACHEGEN_STORE", "file://"+e.WorkDir+"/store")
			if s.Env != nil {
				s.Env(e)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"sleep": cmdSleep, "exits": cmdExits},
	}
	if err := gotooltest.Setup(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

// cmdExits is "exits CODE PROGRAM [ARGS...]": exec with an exact exit code
// (exec's ! only says "not 0"); stdout and stderr are kept for the next
// commands, as exec keeps them.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// cmdSleep is "sleep DURATION": for scripts about time-to-live.
func cmdSleep(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: sleep duration")
	}
	d, err := time.ParseDuration(args[0])
	if err != nil {
		ts.Fatalf("sleep: %v", err)
	}
	time.Sleep(d)
}

// GoEnv returns the value of a go env variable.
func GoEnv(t testing.TB, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}
