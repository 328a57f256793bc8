package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStoresOfThisBuild builds the command and checks which store schemes
// it opens: redis:// (the error is the dead server's, not the scheme's),
// and not s3:// or gs://, whose error names the cloud build. The command's
// behaviour is tested in internal/cli; this is what main adds.
func TestStoresOfThisBuild(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "cachegen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for url, want := range map[string]string{
		"redis://127.0.0.1:1/0?timeout=1s": "127.0.0.1:1",
		"s3://bucket/prefix":               "no s3:// store (it has file://, mem://, redis://, rediss://); the build with the cloud stores is github.com/cachegen/cachegen/cloud/cmd/cachegen",
		"gs://bucket/prefix":               "no gs:// store",
	} {
		out, err := exec.Command(bin, "ls", "-store", url).CombinedOutput()
		if code := exitCode(err); code != 1 {
			t.Errorf("cachegen ls -store %s: exit %d, want 1\n%s", url, code, out)
		}
		if !strings.Contains(string(out), want) || strings.Contains(string(out), "unknown scheme") {
			t.Errorf("cachegen ls -store %s printed\n%s\nwant it to contain %q", url, out, want)
		}
	}
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
