package analyzer_test

import (
	"path/filepath"
	"testing"

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
