package golangci_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/internal/testmod"
)

// golangciVersion is the golangci-lint the plugin is built into.
const golangciVersion = "v2.15.0"

// TestCustomGolangciLint builds golangci-lint with the plugin, as
// "golangci-lint custom" does (its source from the module proxy, a file
// importing the plugin, this checkout replaced in), and runs it on a
// module with a misspelt directive option: it reports cachegen's finding.
func TestCustomGolangciLint(t *testing.T) {
	if testing.Short() {
		t.Skip("builds golangci-lint")
	}
	root, err := testmod.Root()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOSUMDB=off", "GOWORK=off")
	run := func(dir string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			if os.Getenv("CI") != "true" && strings.Contains(string(out), "golangci-lint") && name == "go" && args[0] == "mod" {
				t.Skipf("the module proxy does not serve golangci-lint %s: %s", golangciVersion, out)
			}
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	tmp := t.TempDir()
	var dl struct{ Dir string }
	if err := json.Unmarshal([]byte(run(tmp, "go", "mod", "download", "-json", "github.com/golangci/golangci-lint/v2@"+golangciVersion)), &dl); err != nil || dl.Dir == "" {
		t.Fatalf("go mod download: %v", err)
	}
	src := filepath.Join(tmp, "golangci-lint")
	run(tmp, "cp", "-r", dl.Dir, src)
	run(tmp, "chmod", "-R", "u+w", src)
	plugin := "package main\n\nimport _ \"github.com/cachegen/cachegen/golangci\"\n"
	if err := os.WriteFile(filepath.Join(src, "cmd", "golangci-lint", "plugin_cachegen.go"), []byte(plugin), 0o644); err != nil {
		t.Fatal(err)
	}
	run(src, "go", "mod", "edit", "-require", "github.com/cachegen/cachegen@v0.0.0", "-replace", "github.com/cachegen/cachegen="+root)
	bin := filepath.Join(tmp, "golangci-lint-custom")
	run(src, "go", "build", "-o", bin, "./cmd/golangci-lint")

	mod := filepath.Join(tmp, "lint")
	os.MkdirAll(mod, 0o755)
	files := map[string]string{
		"go.mod":        "module example.com/lint\n\ngo 1.26\n",
		"a.go":          "package lint\n\nimport \"context\"\n\n//cache:task verison=2\nfunc F(ctx context.Context, n int) (int, error) { return n, nil }\n",
		".golangci.yml": "version: \"2\"\nlinters:\n  default: none\n  enable:\n    - cachegen\n  settings:\n    custom:\n      cachegen:\n        type: module\n",
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "run", "./...")
	cmd.Dir, cmd.Env = mod, env
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), `a.go:5:14: unknown option "verison"; did you mean "version"? (cachegen)`) {
		t.Fatalf("golangci-lint with the plugin printed:\n%s", out)
	}
}
