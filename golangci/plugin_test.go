package golangci_test

import (
	"testing"

	"github.com/golangci/plugin-module-register/register"

	"github.com/cachegen/cachegen/analyzer"
	_ "github.com/cachegen/cachegen/golangci"
)

// TestRegistered checks that importing the package registers the plugin
// golangci-lint looks up by name, and that it builds cachegen's analyzer.
func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("cachegen")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil || len(as) != 1 || as[0] != analyzer.Analyzer {
		t.Fatalf("analyzers %v, %v", as, err)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode %q", p.GetLoadMode())
	}
}
