package analyzer_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cachegen/cachegen/analyzer"
)

// TestFacts runs the analyzer in module mode over example.com/facts, whose
// tasks reach hidden inputs through helpers of other packages of the
// module (known by their facts), and through helpers of two other modules
// of its workspace, which are not followed: example.com/facts/other,
// nested under its path, and example.com/elsewhere. Both are named so that
// their own facts are checked too: they exist, but stay in their module.
func TestFacts(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "analyzer", "facts"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, analyzer.Analyzer, "./...", "example.com/facts/other", "example.com/elsewhere")
}

// TestFactsGOPATH runs the analyzer in GOPATH mode, where packages have no
// module: facts of every package are followed, and a package whose path
// has no dot counts as the standard library and exports none.
func TestFactsGOPATH(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "testdata", "analyzer", "facts", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, analyzer.Analyzer, "example.org/gp/...", "plain")
}
