package fingerprint

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/tools/go/packages"

	"github.com/cachegen/cachegen/runtime"
)

// modulePart returns the part of a module other than the task's own: its
// version from the build list; "path@version" when it is replaced by
// another module; a hash of its Go files when it has no version (replaced
// by a local directory, or another module of a workspace).
func (p *Program) modulePart(m *packages.Module) (Part, error) {
	part := Part{Kind: runtime.PartModule, Name: m.Path}
	switch r := m.Replace; {
	case r != nil && r.Version != "":
		part.Hash = r.Path + "@" + r.Version
	case r != nil:
		h, err := p.dirHash(r.Dir)
		if err != nil {
			return part, fmt.Errorf("hash module %s (replaced by %s): %w", m.Path, r.Dir, err)
		}
		part.Hash = h
	case m.Version != "":
		part.Hash = m.Version
	case m.Dir != "":
		h, err := p.dirHash(m.Dir)
		if err != nil {
			return part, fmt.Errorf("hash module %s: %w", m.Path, err)
		}
		part.Hash = h
	default:
		part.Hash = "unknown"
	}
	return part, nil
}

// dirHash returns the (cached) hash of a module directory's Go files.
func (p *Program) dirHash(dir string) (string, error) {
	p.mu.Lock()
	h, ok := p.dirs[dir]
	p.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := hashModuleDir(dir)
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	p.dirs[dir] = h
	p.mu.Unlock()
	return h, nil
}

// hashModuleDir hashes the non-test .go files of the module rooted at dir:
// their slash-separated relative paths and contents, sorted by path. It
// skips what the go command skips: testdata, vendor, directories starting
// with "." or "_", and nested modules.
func hashModuleDir(dir string) (string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path == dir {
				return nil
			}
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	slices.Sort(files)
	h := xxhash.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(dir, f)
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return fmt.Sprintf("%016x", h.Sum64()), nil
}
