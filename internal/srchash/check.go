package srchash

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Decl is one top-level declaration found in a package.
type Decl struct {
	// File is the base name of the file that declares it.
	File string
	// Hash is its [Decls] hash.
	Hash string
	// TaskHash is its [TaskDecl] hash, for a function with directives.
	TaskHash string `json:",omitempty"`
}

// Index returns the declarations of a package's files (by base name), by
// name. A name declared in several files (chosen by build constraints)
// has one Decl per file, sorted by file.
func Index(files map[string]*ast.File) map[string][]Decl {
	out := make(map[string][]Decl)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f := files[name]
		for n, h := range Decls(f) {
			out[n] = append(out[n], Decl{File: name, Hash: h})
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !hasDirective(fd) {
				continue
			}
			ds := out[FuncName(fd)]
			for i := range ds {
				if ds[i].File == name {
					ds[i].TaskHash = TaskDecl(f, fd)
				}
			}
		}
	}
	return out
}

// Change is a source that is not as the generator saw it.
type Change struct {
	Source Source
	// Removed says no file of the package declares it any more.
	Removed bool
}

// String says what changed: "helper (util.go) changed".
func (c Change) String() string {
	what := "changed"
	if c.Removed {
		what = "removed"
	}
	name := c.Source.Name
	if c.Source.Task {
		name = c.Source.Name + " (its declaration or directive)"
	}
	return fmt.Sprintf("%s.%s in %s %s", lastElem(c.Source.Pkg), name, c.Source.File, what)
}

// Compare checks srcs against the declarations of their packages, which
// index returns (nil for a package it cannot see: its sources are not
// checked). A declaration still in its recorded file must have its
// recorded hash; one that moved must have it in some file of its package.
func Compare(srcs []Source, index func(pkg string) map[string][]Decl) []Change {
	var changes []Change
	for _, s := range srcs {
		ix := index(s.Pkg)
		if ix == nil {
			continue
		}
		ds := ix[s.Name]
		hashOf := func(d Decl) string {
			if s.Task {
				return d.TaskHash
			}
			return d.Hash
		}
		if len(ds) == 0 {
			changes = append(changes, Change{Source: s, Removed: true})
			continue
		}
		if i := slices.IndexFunc(ds, func(d Decl) bool { return d.File == s.File }); i >= 0 {
			if hashOf(ds[i]) != s.Hash {
				changes = append(changes, Change{Source: s})
			}
			continue
		}
		if !slices.ContainsFunc(ds, func(d Decl) bool { return hashOf(d) == s.Hash }) {
			changes = append(changes, Change{Source: s})
		}
	}
	return changes
}

// Describe lists changes for a message, the first three and how many
// more: "util.Off in util.go changed, p.T in t.go removed".
func Describe(changes []Change) string {
	parts := make([]string, 0, min(len(changes), 4))
	for i, c := range changes {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(changes)-i))
			break
		}
		parts = append(parts, c.String())
	}
	return strings.Join(parts, ", ")
}

// PackageDir returns the directory of package pkg, given that package base
// is in directory dir and both belong to one module (whose directories
// mirror import paths).
func PackageDir(dir, base, pkg string) string {
	b, p := strings.Split(base, "/"), strings.Split(pkg, "/")
	n := 0
	for n < len(b) && n < len(p) && b[n] == p[n] {
		n++
	}
	parts := []string{dir}
	for range len(b) - n {
		parts = append(parts, "..")
	}
	parts = append(parts, p[n:]...)
	return filepath.Join(parts...)
}

// Disk indexes packages from the files on disk, each once; it is safe for
// concurrent use.
type Disk struct {
	mu   sync.Mutex         // guards dirs
	dirs map[string]*dirIdx // by directory
}

type dirIdx struct {
	once sync.Once
	ix   map[string][]Decl // nil when the directory cannot be read
}

// Index returns the index of the package in dir: its non-test .go files
// that parse (whatever their build constraints), or nil when the
// directory has none.
func (d *Disk) Index(dir string) map[string][]Decl {
	d.mu.Lock()
	if d.dirs == nil {
		d.dirs = make(map[string]*dirIdx)
	}
	e := d.dirs[dir]
	if e == nil {
		e = &dirIdx{}
		d.dirs[dir] = e
	}
	d.mu.Unlock()
	e.once.Do(func() { e.ix = indexDir(dir) })
	return e.ix
}

// indexDir parses a directory's Go files.
func indexDir(dir string) map[string][]Decl {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	fset := token.NewFileSet()
	files := make(map[string]*ast.File)
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		files[name] = f
	}
	if len(files) == 0 {
		return nil
	}
	return Index(files)
}

// hasDirective reports whether fd's doc comment has a cachegen directive.
func hasDirective(fd *ast.FuncDecl) bool {
	if fd.Doc == nil {
		return false
	}
	for _, c := range fd.Doc.List {
		if strings.HasPrefix(c.Text, "//cache:") || strings.HasPrefix(c.Text, "//memo:") {
			return true
		}
	}
	return false
}

func lastElem(pkg string) string {
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		return pkg[i+1:]
	}
	return pkg
}
