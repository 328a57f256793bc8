package cli

import (
	"flag"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cachegen/cachegen/internal/testmod"
)

var updateScripts = flag.Bool("update", false, "rewrite the scripts' expected output files (cmp) with the actual output")

// TestScripts runs testdata/*.txtar: each is a module that uses this
// repository, with go generate, go build, and the programs' output checked.
// The scripts on cloud stores are in the cloud module
// (cloud/cmd/cachegen/testdata).
func TestScripts(t *testing.T) {
	testscript.Run(t, testmod.ScriptParams(t, testmod.Script{Dir: "testdata", Update: *updateScripts}))
}
