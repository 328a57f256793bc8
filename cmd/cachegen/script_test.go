package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/gotooltest"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cachegen/cachegen/internal/testmod"
	"github.com/cachegen/cachegen/internal/testserver"
)

var updateScripts = flag.Bool("update", false, "rewrite the scripts' expected output files (cmp) with the actual output")

// TestScripts runs testdata/*.txtar: each is a module that uses this
// repository, with go generate, go build, and the programs' output checked.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(t, "testdata", nil))
}

// TestScriptsS3 runs testdata/s3/*.txtar with an S3-compatible server on
// loopback: $S3_ENDPOINT and $S3_BUCKET name it, and the SDK's default
// credential chain finds its keys in the environment.
func TestScriptsS3(t *testing.T) {
	srv := testserver.StartS3(t)
	srv.CreateBucket(t, "scripts")
	testscript.Run(t, scriptParams(t, "testdata/s3", func(e *testscript.Env) {
		e.Setenv("S3_ENDPOINT", srv.Endpoint)
		e.Setenv("S3_BUCKET", "scripts")
		for _, kv := range srv.Env() {
			k, v, _ := strings.Cut(kv, "=")
			e.Setenv(k, v)
		}
	}))
}

// scriptParams are the settings every script runs with: this repository
// replaced in, the real module cache, a file store in the work directory,
// and a sleep command; more adds to the environment.
func scriptParams(t *testing.T, dir string, more func(*testscript.Env)) testscript.Params {
	root := repoRoot(t)
	modcache := goEnv(t, "GOMODCACHE")
	p := testscript.Params{
		Dir:           dir,
		UpdateScripts: *updateScripts,
		Setup: func(e *testscript.Env) error {
			if _, err := os.Stat(filepath.Join(e.WorkDir, "go.mod")); err == nil {
				if err := testmod.UseRepo(e.WorkDir, root); err != nil {
					return err
				}
			}
			e.Setenv("GOMODCACHE", modcache)
			e.Setenv("GOFLAGS", "-mod=mod")
			e.Setenv("CACHEGEN_STORE", "file://"+e.WorkDir+"/store")
			if more != nil {
				more(e)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"sleep": cmdSleep},
	}
	if err := gotooltest.Setup(&p); err != nil {
		t.Fatal(err)
	}
	return p
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
