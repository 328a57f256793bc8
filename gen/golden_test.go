package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"go/format"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/gen")

// TestGolden generates every case of ../testdata/gen: <Case>/in is a
// package of this module; <Case>/want/cachegen_gen.go is the file it must
// generate, or <Case>/want/errors.txt the errors it must report. Every case
// also checks that generating twice gives identical bytes, and that the
// generated file builds with its package.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("../testdata/gen/*/in")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, in := range cases {
		dir := filepath.Dir(in)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			in, _ := filepath.Abs(in)
			res := generate(t, in)
			want := filepath.Join(dir, "want")
			if len(res.Errors) > 0 {
				Relative(res.Errors, in)
				var b strings.Builder
				for _, e := range res.Errors {
					b.WriteString(e.Error() + "\n")
				}
				golden(t, filepath.Join(want, "errors.txt"), []byte(b.String()))
				return
			}
			if len(res.Files) != 1 {
				t.Fatalf("got %d files, want 1", len(res.Files))
			}
			got := res.Files[0].Content
			if formatted, err := format.Source(got); err != nil || !bytes.Equal(formatted, got) {
				t.Errorf("generated code is not gofmt-clean (err %v)", err)
			}
			golden(t, filepath.Join(want, FileName), got)
			if again := generate(t, in); len(again.Files) != 1 || !bytes.Equal(again.Files[0].Content, got) {
				t.Errorf("generating twice gave different output")
			}
			buildWithOverlay(t, in, res.Files[0])
		})
	}
}

func generate(t *testing.T, dir string) *Result {
	t.Helper()
	res, err := Generate(context.Background(), Config{Dir: dir})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return res
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./gen -update to create it)\ngot:\n%s", err, got)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./gen -update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// buildWithOverlay vets the package with the generated file laid over it, so
// nothing is written into testdata.
func buildWithOverlay(t *testing.T, dir string, out Output) {
	t.Helper()
	tmp := t.TempDir()
	gen := filepath.Join(tmp, FileName)
	if err := os.WriteFile(gen, out.Content, 0o644); err != nil {
		t.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{out.Path: gen}})
	ov := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", "-overlay="+ov, ".")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("generated code does not build: %v\n%s", err, b)
	}
}

// TestQuickstartUpToDate regenerates the committed example: go generate
// must reproduce it byte for byte.
func TestQuickstartUpToDate(t *testing.T) {
	dir, _ := filepath.Abs("../examples/quickstart")
	res := generate(t, dir)
	if len(res.Errors) > 0 || len(res.Files) != 1 {
		t.Fatalf("errors %v, files %d", res.Errors, len(res.Files))
	}
	want, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Files[0].Content, want) {
		t.Errorf("examples/quickstart/%s is out of date: run go generate ./examples/quickstart", FileName)
	}
}
