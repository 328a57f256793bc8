package testmod

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/txtar"
)

// ModulePath is this repository's module path.
const ModulePath = "github.com/cachegen/cachegen"

// UseRepo makes the module in dir require this repository, replaced by the
// checkout at root, and gives it root's go.sum so nothing is downloaded.
func UseRepo(dir, root string) error {
	mod := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(mod)
	if err != nil {
		return fmt.Errorf("testmod: %w", err)
	}
	data = append(data, []byte("\nrequire "+ModulePath+" v0.0.0\n\nreplace "+ModulePath+" => "+root+"\n")...)
	if err := os.WriteFile(mod, data, 0o644); err != nil {
		return fmt.Errorf("testmod: %w", err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return fmt.Errorf("testmod: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		return fmt.Errorf("testmod: %w", err)
	}
	return nil
}

// Root returns the repository's root: the nearest directory above the
// current one (a test's package directory) that holds go.mod.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("testmod: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("testmod: no go.mod above the working directory")
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
