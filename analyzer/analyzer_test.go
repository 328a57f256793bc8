package analyzer_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cachegen/cachegen/analyzer"
)

// TestDirectives checks the directive findings and their suggested
// fixes: directives.go.golden is the file with every fix applied.
func TestDirectives(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), analyzer.Analyzer, "directives")
}

func TestWrappers(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer, "wrappers")
}

// TestAliasReceivers checks methods declared on aliases of their receiver
// type against the files the generator wrote for them: the wrappers (on
// the named type) satisfy their directives, and each finding names the
// task as the generator does (testdata/analyzer/aliases.txtar).
func TestAliasReceivers(t *testing.T) {
	dir := generatedModule(t, "aliases.txtar", 2, 2, nil)
	analysistest.Run(t, dir, analyzer.Analyzer, "./recv")
}

func TestHiddenInputs(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer, "hidden")
}

// TestValid checks what drivers (multichecker, golangci-lint plugins)
// require of an analyzer: analysis.Validate accepts it, and its facts are
// registered types.
func TestValid(t *testing.T) {
	if err := analysis.Validate([]*analysis.Analyzer{analyzer.Analyzer}); err != nil {
		t.Fatal(err)
	}
	if len(analyzer.Analyzer.FactTypes) == 0 || analyzer.Analyzer.Doc == "" || analyzer.Analyzer.URL == "" {
		t.Errorf("Analyzer: %d fact types, doc %d bytes, URL %q", len(analyzer.Analyzer.FactTypes), len(analyzer.Analyzer.Doc), analyzer.Analyzer.URL)
	}
}

// testdata returns the absolute path of the analyzer's test packages:
// analysistest puts it on GOPATH, which must be absolute.
func testdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "analyzer"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
