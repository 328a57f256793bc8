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
