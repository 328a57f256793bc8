package gen

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeNames writes package names, module example.com/m/names: two
// versioned tasks, a function and a method declared on an alias of its
// receiver type, whose bodies depend on body; and an unversioned one.
func writeNames(t *testing.T, dir, body string) {
	t.Helper()
	src := "package names\n\n" +
		"// Aligner aligns.\ntype Aligner struct{ N int }\n\n" +
		"// A is another name for Aligner.\ntype A = Aligner\n\n" +
		"// Work works.\n//\n//cache:task version=1\nfunc Work(n int) int { return n" + body + " }\n\n" +
		"// Run runs.\n//\n//cache:task version=1\nfunc (a *A) Run(n int) int { return a.N + n" + body + " }\n\n" +
		"// Plain has no version.\n//\n//cache:task\nfunc Plain(n int) int { return n }\n"
	for name, content := range map[string]string{"go.mod": "module example.com/m/names\n\ngo 1.26\n", "names.go": src} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAcceptNames checks that Config.Accept reads a task name as
// runtime.TaskMatches does: the full identity, pkg.Func, pkg.Type.Method,
// Func and Type.Method (Type being the receiver's type, not its alias).
// An accepted task's forgotten-bump warning goes away; a name that
// designates no versioned task is an error.
func TestAcceptNames(t *testing.T) {
	dir := t.TempDir()
	writeNames(t, dir, "")
	generateAndWrite(t, dir) // records each version's code
	writeNames(t, dir, " * 2")
	for _, c := range []struct {
		name string
		task string // the task whose warning the name silences, or ""
		err  string // the error's prefix when task is ""
	}{
		{"example.com/m/names.Work", "Work", ""},
		{"names.Work", "Work", ""},
		{"Work", "Work", ""},
		{"example.com/m/names.Aligner.Run", "Aligner.Run", ""},
		{"names.Aligner.Run", "Aligner.Run", ""},
		{"Aligner.Run", "Aligner.Run", ""},
		{"A.Run", "", "-accept=A.Run: no task A.Run in the packages"},
		{"names.A.Run", "", "-accept=names.A.Run: no task"},
		{"Run", "", "-accept=Run: no task"},
		{"names.Run", "", "-accept=names.Run: no task"},
		{"other.Work", "", "-accept=other.Work: no task"},
		{"example.com/m/other.Work", "", "-accept=example.com/m/other.Work: no task"},
		{"Work[int]", "", "-accept=Work[int]: no task"},
		{"Wrok", "", "-accept=Wrok: no task"},
		{"names.Plain", "", "-accept=names.Plain: Plain has no version="},
	} {
		res, err := Generate(context.Background(), Config{Dir: dir, Accept: []string{c.name}})
		if err != nil {
			t.Fatal(err)
		}
		if c.task == "" {
			if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Msg, c.err) {
				t.Errorf("-accept=%s: errors %v, want one starting %q", c.name, res.Errors, c.err)
			}
			continue
		}
		if len(res.Errors) > 0 {
			t.Errorf("-accept=%s: errors %v", c.name, res.Errors)
			continue
		}
		var warned []string
		for _, w := range res.Warnings {
			task, _, _ := strings.Cut(w.Msg, ":")
			warned = append(warned, task)
		}
		if len(warned) != 1 || warned[0] == c.task {
			t.Errorf("-accept=%s: warnings for %q, want one, not for %s", c.name, warned, c.task)
		}
	}
}
