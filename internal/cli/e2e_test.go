package cli

import (
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/internal/testmod"
)

// The module every invalidation case starts from. main prints whether the
// call was a hit or a miss.
var e2eBase = map[string]string{
	"go.mod": "module example.com/e2e\n\ngo 1.26\n",
	"calc.go": `package main

//go:generate cachegen

import "context"

// factor scales every result.
const factor = 2

var offset = 1

// Result is what Calc returns.
type Result struct {
	Value int
	Label string
}

// double doubles x.
func double(x int) int { return x * factor }

// unrelated is not reached by Calc.
func unrelated() int { return 7 }

// Calc computes a value.
//
//cache:task
func Calc(ctx context.Context, n int) (Result, error) {
	// add the offset
	v := double(n) + offset
	return Result{Value: v, Label: "calc"}, nil
}
`,
	"main.go": `package main

import (
	"context"
	"fmt"

	cgrt "github.com/cachegen/cachegen/runtime"
)

func main() {
	rt := cgrt.Default()
	r, err := CalcCached(context.Background(), 3)
	s := rt.Stats()
	fmt.Printf("value=%d err=%v hits=%d misses=%d\n", r.Value, err, s.Hits, s.Misses)
}
`,
}

// e2eCase is one edit of the base module and whether the edited code must
// still hit the entry the base module stored.
type e2eCase struct {
	name  string
	edits [][3]string // file, old text, new text
	env   []string
	hit   bool
}

var e2eCases = []e2eCase{
	{name: "comment only", hit: true, edits: [][3]string{
		{"calc.go", "// add the offset", "// add the offset, which is one"},
		{"calc.go", "// double doubles x.", "// double returns twice x."},
		{"calc.go", "// Calc computes a value.", "// Calc computes a value, slowly."},
	}},
	{name: "layout only", hit: true, edits: [][3]string{
		{"calc.go", "v := double(n) + offset", "v := double(n) +\n\t\toffset\n"},
		{"calc.go", "func double(x int) int { return x * factor }", "func double(x int) int {\n\treturn x * factor\n}"},
	}},
	{name: "unrelated function", hit: true, edits: [][3]string{{"calc.go", "return 7", "return 8"}}},
	{name: "constant with the same value", hit: true, edits: [][3]string{{"calc.go", "const factor = 2", "const factor = 1 + 1"}}},
	{name: "body", edits: [][3]string{{"calc.go", `Label: "calc"`, `Label: "calc2"`}}},
	{name: "parameter rename", edits: [][3]string{{"calc.go", "n int) (Result", "m int) (Result"}, {"calc.go", "double(n)", "double(m)"}}},
	{name: "parameter type", edits: [][3]string{{"calc.go", "n int) (Result", "n int64) (Result"}, {"calc.go", "double(n)", "double(int(n))"}}},
	{name: "result type structure", edits: [][3]string{{"calc.go", "Label string\n", "Label string\n\tExtra bool\n"}}},
	{name: "function rename", edits: [][3]string{{"calc.go", "func Calc(", "func Compute("}, {"main.go", "CalcCached", "ComputeCached"}}},
	{name: "helper", edits: [][3]string{{"calc.go", "return x * factor", "return factor * x"}}},
	{name: "constant value", edits: [][3]string{{"calc.go", "const factor = 2", "const factor = 3"}}},
	{name: "variable initialiser", edits: [][3]string{{"calc.go", "var offset = 1", "var offset = 2"}}},
	{name: "other namespace", env: []string{"CACHEGEN_NAMESPACE=other"}},
}

// versionEdit turns the base module's task into a versioned one.
var versionEdit = [3]string{"calc.go", "//cache:task", "//cache:task version=1"}

// e2eVersionCases run against the base module with version=1.
var e2eVersionCases = []e2eCase{
	{name: "body with version", hit: true, edits: [][3]string{{"calc.go", `Label: "calc"`, `Label: "calc2"`}}},
	{name: "helper with version", hit: true, edits: [][3]string{{"calc.go", "return x * factor", "return factor * x"}}},
	{name: "version bump", edits: [][3]string{{"calc.go", "version=1", "version=2"}}},
	{name: "result type with version", edits: [][3]string{{"calc.go", "Label string\n", "Label string\n\tExtra bool\n"}}},
}

// TestInvalidation generates, builds and runs the base module (a miss, then
// a hit in a second process), then applies each case's edit to a copy,
// regenerates with go generate and checks hit or miss against the base
// module's stored entry.
func TestInvalidation(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs programs")
	}
	t.Run("plain", func(t *testing.T) { runCases(t, nil, e2eCases) })
	t.Run("versioned", func(t *testing.T) { runCases(t, [][3]string{versionEdit}, e2eVersionCases) })
}

func runCases(t *testing.T, baseEdits [][3]string, cases []e2eCase) {
	root := repoRoot(t)
	base := t.TempDir()
	writeModule(t, base, root, e2eBase, baseEdits)
	store := filepath.Join(base, "store")
	goGenerate(t, base)
	if out := goRun(t, base, store, nil); !strings.Contains(out, "value=7 err=<nil> hits=0 misses=1") {
		t.Fatalf("first run: want a miss with value 7, got %q", out)
	}
	if out := goRun(t, base, store, nil); !strings.Contains(out, "value=7 err=<nil> hits=1 misses=0") {
		t.Fatalf("second run: want a hit from the store, got %q", out)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeModule(t, dir, root, e2eBase, append(slices.Clone(baseEdits), c.edits...))
			caseStore := filepath.Join(dir, "store")
			if err := os.CopyFS(caseStore, os.DirFS(store)); err != nil {
				t.Fatal(err)
			}
			goGenerate(t, dir)
			out := goRun(t, dir, caseStore, c.env)
			want := "hits=0 misses=1"
			if c.hit {
				want = "hits=1 misses=0"
			}
			if !strings.Contains(out, want) {
				t.Errorf("after the edit: want %q, got %q", want, out)
			}
		})
	}
}

// writeModule writes files into dir, applying edits, and points the module
// at this repository.
func writeModule(t *testing.T, dir, root string, files map[string]string, edits [][3]string) {
	t.Helper()
	files = maps.Clone(files)
	for _, e := range edits {
		if !strings.Contains(files[e[0]], e[1]) {
			t.Fatalf("edit: %s does not contain %q", e[0], e[1])
		}
		files[e[0]] = strings.Replace(files[e[0]], e[1], e[2], 1)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(files[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := testmod.UseRepo(dir, root); err != nil {
		t.Fatal(err)
	}
}

func goCmd(t *testing.T, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func goGenerate(t *testing.T, dir string) {
	t.Helper()
	if out, err := goCmd(t, dir, nil, "generate", "./...").CombinedOutput(); err != nil {
		t.Fatalf("go generate: %v\n%s", err, out)
	}
}

func goRun(t *testing.T, dir, store string, env []string) string {
	t.Helper()
	env = append([]string{"CACHEGEN_STORE=file://" + store, "CACHEGEN_NAMESPACE="}, env...)
	out, err := goCmd(t, dir, env, "run", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	return string(out)
}
