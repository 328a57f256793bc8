package testmod

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/txtar"
)

// ModulePath is this repository's module path.
const ModulePath = "github.com/cachegen/cachegen"

// UseRepo makes the module in dir require this repository, replaced by the
// checkout at root, and gives it root's go.sum so nothing is downloaded.
// Each of nested (a module directory under root, such as "backends/s3") is
// required and replaced the same way, and its go.sum added.
func UseRepo(dir, root string, nested ...string) error {
	mod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(mod)
	if err != nil {
		return fmt.Errorf("testmod: %w", err)
	}
	var sum []byte
	seen := map[string]bool{}
	for _, sub := range append([]string{""}, nested...) {
		path, modDir := ModulePath, root
		if sub != "" {
			path, modDir = ModulePath+"/"+sub, filepath.Join(root, filepath.FromSlash(sub))
		}
		data = append(data, []byte("\nrequire "+path+" v0.0.0\n\nreplace "+path+" => "+modDir+"\n")...)
		s, err := os.ReadFile(filepath.Join(modDir, "go.sum"))
		if err != nil {
			return fmt.Errorf("testmod: %w", err)
		}
		for line := range strings.Lines(string(s)) {
			if !seen[line] {
				seen[line] = true
				sum = append(sum, line...)
			}
		}
	}
	if err := os.WriteFile(mod, data, 0o644); err != nil {
		return fmt.Errorf("testmod: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		return fmt.Errorf("testmod: %w", err)
	}
	return nil
}

// Root returns the repository's root: the nearest directory above the
// current one (a test's package directory) whose go.mod declares
// [ModulePath]. From a nested module (a store module, cloud) it is the
// repository around it.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("testmod: %w", err)
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && modfile.ModulePath(data) == ModulePath {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("testmod: no go.mod of %s above the working directory", ModulePath)
		}
		dir = parent
	}
}

// Extract writes the files of the archive whose names start with prefix
// into dir, with the prefix removed; it returns how many it wrote.
func Extract(ar *txtar.Archive, prefix, dir string) (int, error) {
	n := 0
	for _, f := range ar.Files {
		name, ok := strings.CutPrefix(f.Name, prefix)
		if !ok {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return n, fmt.Errorf("testmod: %w", err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return n, fmt.Errorf("testmod: %w", err)
		}
		n++
	}
	return n, nil
}
