package analyzer_test

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/txtar"

	"github.com/cachegen/cachegen/analyzer"
	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/internal/testmod"
)

// TestStaleAndBumps checks the staleness and forgotten-bump findings on a
// real module with files the generator wrote (testdata/analyzer/stale.txtar
// says how it is built): a module is needed because the analyzer computes
// fingerprints with the generator, which names tasks by module path.
func TestStaleAndBumps(t *testing.T) {
	dir := generatedModule(t, "stale.txtar", 4, 7, func(dir string) {
		generate(t, dir, []string{"./bump"}, []string{"Kept"})
	})
	analysistest.RunWithSuggestedFixes(t, dir, analyzer.Analyzer, "./stale", "./bump")
}

// generatedModule builds a module from a txtar of testdata/analyzer with
// the files the generator writes: base/ (nBase files) is extracted into a
// temporary module that uses this repository and generated, edit/ (nEdit
// files) is laid over it, then after runs (nil: nothing). It returns the
// module's directory.
func generatedModule(t *testing.T, name string, nBase, nEdit int, after func(dir string)) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join(testdata(t), name))
	if err != nil {
		t.Fatal(err)
	}
	root, err := testmod.Root()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if n, err := testmod.Extract(ar, "base/", dir); err != nil || n != nBase {
		t.Fatalf("extract base: %d files, %v", n, err)
	}
	if err := testmod.UseRepo(dir, root); err != nil {
		t.Fatal(err)
	}
	// The generated files add requirements (the runtime's) that go.mod
	// does not list; let the go command add them from the module cache.
	t.Setenv("GOFLAGS", "-mod=mod")
	generate(t, dir, []string{"./..."}, nil)
	if n, err := testmod.Extract(ar, "edit/", dir); err != nil || n != nEdit {
		t.Fatalf("extract edit: %d files, %v", n, err)
	}
	if after != nil {
		after(dir)
	}
	return dir
}

// generate runs the generator as go generate would and writes its files.
func generate(t *testing.T, dir string, patterns, accept []string) {
	t.Helper()
	res, err := gen.Generate(context.Background(), gen.Config{Dir: dir, Patterns: patterns, Accept: accept})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("generate %v: %v", patterns, res.Errors)
	}
	if err := res.Write(); err != nil {
		t.Fatal(err)
	}
}
