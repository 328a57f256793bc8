package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/gotooltest"
	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite the scripts' expected output files (cmp) with the actual output")

// TestScripts runs testdata/*.txtar: each is a module that uses this
// repository, with go generate, go build, and the programs' output checked.
func TestScripts(t *testing.T) {
	root := repoRoot(t)
	modcache := goEnv(t, "GOMODCACHE")
	p := testscript.Params{
		Dir:           "testdata",
		UpdateScripts: *updateScripts,
		Setup: func(e *testscript.Env) error {
			if _, err := os.Stat(filepath.Join(e.WorkDir, "go.mod")); err == nil {
				if err := useRepo(e.WorkDir, root); err != nil {
					return err
				}
			}
			e.Setenv("GOMODCACHE", modcache)
			e.Setenv("GOFLAGS", "-mod=mod")
			e.Setenv("CACHEGEN_STORE", "file://"+e.WorkDir+"/store")
			return nil
		},
	}
	p.Cmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){"sleep": cmdSleep}
	if err := gotooltest.Setup(&p); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, p)
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
