package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExitCodes checks the documented exit codes: 0 ok, 1 generation
// errors, 2 usage.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/codes\n\ngo 1.26\n")
	write("a.go", "package codes\n\n//cache:task verison=1\nfunc F(x int) int { return x }\n")
	t.Chdir(dir)
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"version"}, exitOK, ""},
		{[]string{"-nosuchflag"}, exitUsage, "flag provided but not defined"},
		{[]string{"generate", "-nosuchflag"}, exitUsage, "flag provided but not defined"},
		{[]string{"explain"}, exitUsage, "no task given"},
		{[]string{"purge", "-store", "mem://"}, exitUsage, "give at least one of -task, -older-than, -all"},
		{[]string{"inspect", "-store", "mem://"}, exitUsage, "want one KEY"},
		{[]string{"ls", "-store", "mem://"}, exitOK, ""},
		{nil, exitFail, `a.go:3:14: unknown option "verison"; did you mean "version"?`},
		{[]string{"generate", "./nosuchdir"}, exitFail, "nosuchdir"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.stderr) {
			t.Errorf("cachegen %q: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr.String(), c.code, c.stderr)
		}
	}
}
