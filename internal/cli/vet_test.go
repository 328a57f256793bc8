package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/internal/testmod"
)

// TestVetTool builds the cachegen binary and runs it the three ways a user
// does: cachegen vet, and go vet -vettool. A task that reads the
// environment is reported by both; with allow=env both are clean.
func TestVetTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	root := repoRoot(t)
	bin := filepath.Join(t.TempDir(), "cachegen")
	build := exec.Command("go", "build", "-o", bin, "./cmd/cachegen")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	src := `package lib

import "os"

// Greeting reads the environment, which its key cannot see.
//
//cache:task
func Greeting(name string) string { return os.Getenv("GREETING") + name }
`
	write := func(content string) {
		if err := os.WriteFile(filepath.Join(dir, "lib.go"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/lib\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := testmod.UseRepo(dir, root); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	write(src)
	if out, err := run(bin); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	for _, args := range [][]string{{bin, "vet", "./..."}, {"go", "vet", "-vettool=" + bin, "./..."}} {
		out, err := run(args[0], args[1:]...)
		if err == nil || !strings.Contains(out, "Greeting reads the environment (os.Getenv)") {
			t.Errorf("%s: err %v, output %q; want a failure naming Greeting's environment read", strings.Join(args[1:], " "), err, out)
		}
	}
	write(strings.Replace(src, "//cache:task", "//cache:task allow=env", 1))
	if out, err := run(bin); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	for _, args := range [][]string{{bin, "vet", "./..."}, {"go", "vet", "-vettool=" + bin, "./..."}} {
		if out, err := run(args[0], args[1:]...); err != nil {
			t.Errorf("%s with allow=env: %v\n%s", strings.Join(args[1:], " "), err, out)
		}
	}

	// Edit the body without regenerating: both report the stale wrapper,
	// naming the function; after go generate both are clean again.
	write(strings.Replace(strings.Replace(src, "//cache:task", "//cache:task allow=env", 1), `+ name`, `+ "!" + name`, 1))
	for _, args := range [][]string{{bin, "vet", "./..."}, {"go", "vet", "-vettool=" + bin, "./..."}} {
		out, err := run(args[0], args[1:]...)
		if err == nil || !strings.Contains(out, "Greeting: the generated wrapper is stale") {
			t.Errorf("%s after an edit: err %v, output %q; want the stale wrapper reported", strings.Join(args[1:], " "), err, out)
		}
	}
	if out, err := run(bin); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	for _, args := range [][]string{{bin, "vet", "./..."}, {"go", "vet", "-vettool=" + bin, "./..."}} {
		if out, err := run(args[0], args[1:]...); err != nil {
			t.Errorf("%s after go generate: %v\n%s", strings.Join(args[1:], " "), err, out)
		}
	}

	// A helper in another package of the module is followed through its
	// facts, also when only the task's package is named.
	if err := os.MkdirAll(filepath.Join(dir, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := "package conf\n\nimport \"os\"\n\n// Region reads the environment.\nfunc Region() string { return os.Getenv(\"REGION\") }\n"
	if err := os.WriteFile(filepath.Join(dir, "conf", "conf.go"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	write(`package lib

import "example.com/lib/conf"

// Zone reads the environment through conf.Region.
//
//cache:task
func Zone(name string) string { return conf.Region() + name }
`)
	if out, err := run(bin); err != nil {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	for _, args := range [][]string{{bin, "vet", "."}, {"go", "vet", "-vettool=" + bin, "."}} {
		out, err := run(args[0], args[1:]...)
		if err == nil || !strings.Contains(out, "Zone reads the environment (os.Getenv, via example.com/lib/conf.Region)") {
			t.Errorf("%s: err %v, output %q; want Zone's read through conf.Region", strings.Join(args[1:], " "), err, out)
		}
	}

	// A helper chosen by a build tag: generated with -tags special, vet
	// with the same tag (cachegen vet -tags, go vet -tags -vettool) is
	// clean; an edit of the file the tag chose is reported, an edit of the
	// file it left out is not.
	tagged := map[string]string{
		"special.go": "//go:build special\n\npackage lib\n\nfunc scale() int { return 3 }\n",
		"plain.go":   "//go:build !special\n\npackage lib\n\nfunc scale() int { return 2 }\n",
	}
	for name, content := range tagged {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("package lib\n\n// Scaled uses the helper the build tags choose.\n//\n//cache:task\nfunc Scaled(n int) int { return n * scale() }\n")
	if out, err := run(bin, "-tags", "special", "./..."); err != nil {
		t.Fatalf("generate -tags special: %v\n%s", err, out)
	}
	vets := [][]string{{bin, "vet", "-tags", "special", "./..."}, {"go", "vet", "-tags", "special", "-vettool=" + bin, "./..."}}
	for _, args := range vets {
		if out, err := run(args[0], args[1:]...); err != nil {
			t.Errorf("%s: %v\n%s", strings.Join(args[1:], " "), err, out)
		}
	}
	edit := func(name, from, to string) {
		t.Helper()
		tagged[name] = strings.Replace(tagged[name], from, to, 1)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(tagged[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("plain.go", "return 2", "return 5")
	for _, args := range vets {
		if out, err := run(args[0], args[1:]...); err != nil {
			t.Errorf("%s after an edit of the file the tag leaves out: %v\n%s", strings.Join(args[1:], " "), err, out)
		}
	}
	edit("special.go", "return 3", "return 4")
	for _, args := range vets {
		out, err := run(args[0], args[1:]...)
		if err == nil || !strings.Contains(out, "Scaled: the generated wrapper is stale (lib.scale in special.go changed since go generate)") {
			t.Errorf("%s after an edit of the tagged helper: err %v, output %q; want the stale wrapper reported", strings.Join(args[1:], " "), err, out)
		}
	}
}
