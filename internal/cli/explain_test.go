package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/gen"
)

func TestFindTask(t *testing.T) {
	var tasks []*gen.Task
	for _, id := range []string{"example.com/m/a.Calc", "example.com/m/b.Calc", "example.com/m/a.T.Run", "example.com/m/b.Other"} {
		tasks = append(tasks, &gen.Task{ID: id})
	}
	for _, c := range []struct {
		name, want, err string
	}{
		{"example.com/m/a.Calc", "example.com/m/a.Calc", ""},
		{"a.Calc", "example.com/m/a.Calc", ""},
		{"b.Calc", "example.com/m/b.Calc", ""},
		{"Other", "example.com/m/b.Other", ""},
		{"T.Run", "example.com/m/a.T.Run", ""},
		{"a.T.Run", "example.com/m/a.T.Run", ""},
		{"Calc", "", "task \"Calc\" is ambiguous; write one of:\n\texample.com/m/a.Calc\n\texample.com/m/b.Calc"},
		{"Run", "", `no task "Run"`},
		{"c.Calc", "", "tasks are:\n\texample.com/m/a.Calc\n\texample.com/m/b.Calc\n\texample.com/m/a.T.Run\n\texample.com/m/b.Other"},
	} {
		got, err := gen.Find(tasks, c.name)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("gen.Find(%q) = %v, want an error containing %q", c.name, err, c.err)
		case c.err == "" && (err != nil || got.ID != c.want):
			t.Errorf("gen.Find(%q) = %v, %v; want %s", c.name, got, err, c.want)
		}
	}
	if _, err := gen.Find(nil, "Calc"); err == nil || !strings.Contains(err.Error(), "no //cache:task") {
		t.Errorf("findTask with no tasks = %v", err)
	}
}

// TestExplainExitCodes checks cachegen explain's exit codes: 0 explained,
// 1 errors, 2 usage.
func TestExplainExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/codes\n\ngo 1.26\n")
	write("a/a.go", "package a\n\n//cache:task\nfunc Calc(n int) int { return n }\n")
	write("b/b.go", "package b\n\n//cache:task\nfunc Calc(s string) string { return s }\n")
	write("bad/bad.go", "package bad\n\n//cache:task verison=1\nfunc F(x int) int { return x }\n")
	t.Chdir(dir)
	t.Setenv("CACHEGEN_STORE", "file://"+filepath.Join(dir, "store"))
	t.Setenv("CACHEGEN_NAMESPACE", "")
	for _, c := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{nil, exitUsage, "", "no task given"},
		{[]string{"-nosuchflag", "Calc"}, exitUsage, "", "flag provided but not defined"},
		{[]string{"-h"}, exitOK, "usage: cachegen explain", ""},
		{[]string{"./a", "Calc", "[1]", "-digest", "0011223344556677"}, exitUsage, "", "not both"},
		{[]string{"-digest", "xyz", "./a", "Calc"}, exitUsage, "", "want 16 hex digits"},
		{[]string{"[1]", "./a", "Calc"}, exitUsage, "", "must be the last argument"},
		{[]string{"./a", "Nope"}, exitFail, "", `no task "Nope"`},
		{[]string{"./a", "./b", "Calc", "[1]"}, exitFail, "", `task "Calc" is ambiguous`},
		{[]string{"./a", "Calc", "[1"}, exitFail, "", "invalid JSON"},
		{[]string{"./a", "Calc", `["x"]`}, exitFail, "", "n: want an integer"},
		{[]string{"./bad", "F"}, exitFail, "", `bad/bad.go:3:14: unknown option "verison"`},
		{[]string{"-store", "nosuch://x", "./a", "Calc", "[1]"}, exitFail, "", "open store"},
		{[]string{"./a", "Calc", "[1]"}, exitOK, "verdict      miss: first call\n", ""},
		{[]string{"./a", "./b", "b.Calc", `["x"]`, "-namespace", "ns"}, exitOK, "namespace    ns\n", ""},
		{[]string{"./a", "Calc", "-json"}, exitOK, `"entries": 0`, ""},
		{[]string{"./a", "Calc", "-digest", "00112233445566FF"}, exitOK, "/00112233445566ff\n", ""},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"explain"}, c.args...), &stdout, &stderr)
		if code != c.code || !strings.Contains(stdout.String(), c.stdout) || !strings.Contains(stderr.String(), c.stderr) {
			t.Errorf("cachegen explain %q: exit %d, stdout %q, stderr %q; want exit %d, %q and %q",
				c.args, code, stdout.String(), stderr.String(), c.code, c.stdout, c.stderr)
		}
	}
	t.Setenv("CACHEGEN_STORE", "off")
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"explain", "./a", "Calc", "[1]"}, &bytes.Buffer{}, &stderr); code != exitFail || !strings.Contains(stderr.String(), "caching is off") {
		t.Errorf("explain with CACHEGEN_STORE=off: exit %d, stderr %q", code, stderr.String())
	}
}
