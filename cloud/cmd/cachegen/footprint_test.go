package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/cachegen/cachegen/internal/testmod"
)

// cloudModules are module path prefixes of the cloud SDKs and what they
// bring (gRPC, protobuf, OpenTelemetry's contrib instrumentation).
var cloudModules = []string{"github.com/aws/", "cloud.google.com/", "google.golang.org/", "github.com/googleapis/", "go.opentelemetry.io/contrib/"}

// TestFootprint measures what a user's go.mod lists, besides cachegen's own
// modules, once it depends on
// cachegen in each of the documented ways, by writing the user's module
// into a temporary directory and running go mod tidy with this checkout
// replaced in (as go get -tool and go mod tidy leave it). The README's
// figures are the ones it logs (cd cloud && go test ./cmd/cachegen -run
// TestFootprint -v). The command without cloud stores, and a program on
// the file store, must list no cloud SDK.
func TestFootprint(t *testing.T) {
	root, err := testmod.Root()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		tool   string // a tool directive
		use    string // a package the program imports
		nested []string
		cloud  bool // may list the cloud SDKs
	}{
		{name: "tool cmd/cachegen (file, mem, redis)", tool: "github.com/cachegen/cachegen/cmd/cachegen"},
		{name: "program on runtime (file, mem)", use: "github.com/cachegen/cachegen/runtime"},
		{name: "program on runtime + redis", use: "github.com/cachegen/cachegen/backends/redis"},
		{name: "program on runtime + s3", use: "github.com/cachegen/cachegen/backends/s3", nested: []string{"backends/s3"}, cloud: true},
		{name: "tool cloud/cmd/cachegen (every store)", tool: "github.com/cachegen/cachegen/cloud/cmd/cachegen", nested: []string{"cloud", "backends/s3", "backends/gcs"}, cloud: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			mod := "module example.com/user\n\ngo 1.26\n"
			if c.tool != "" {
				mod += "\ntool " + c.tool + "\n"
			}
			write(t, filepath.Join(dir, "go.mod"), mod)
			main := "package main\n\nfunc main() {}\n"
			if c.use != "" {
				main = "package main\n\nimport _ \"" + c.use + "\"\n\nfunc main() {}\n"
			}
			write(t, filepath.Join(dir, "main.go"), main)
			if err := testmod.UseRepo(dir, root, c.nested...); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("go", "mod", "tidy")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go mod tidy: %v\n%s", err, out)
			}
			data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			f, err := modfile.Parse("go.mod", data, nil)
			if err != nil {
				t.Fatal(err)
			}
			var indirect, cloud []string
			for _, r := range f.Require {
				if !r.Indirect || strings.HasPrefix(r.Mod.Path, testmod.ModulePath) {
					continue // cachegen's own modules are not counted
				}
				indirect = append(indirect, r.Mod.Path)
				for _, p := range cloudModules {
					if strings.HasPrefix(r.Mod.Path, p) {
						cloud = append(cloud, r.Mod.Path)
					}
				}
			}
			t.Logf("%d indirect requirements, %d of the cloud SDKs: %s", len(indirect), len(cloud), strings.Join(indirect, " "))
			if !c.cloud && len(cloud) > 0 {
				t.Errorf("lists cloud SDK modules: %s", strings.Join(cloud, " "))
			}
			if c.cloud && len(cloud) == 0 {
				t.Errorf("lists no cloud SDK module: the measurement does not see the stores' dependencies")
			}
		})
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
