package fingerprint

import (
	"context"
	"go/ast"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// testModule is the path of the modules the tests write.
const testModule = "example.com/m"

// writeModule writes a module into a new temporary directory: go.mod with
// the given go version and files by slash-separated relative path. In file
// contents, MOD stands for the module path.
func writeModule(t testing.TB, goVersion string, files map[string]string) string {
	t.Helper()
	all := map[string]string{"go.mod": "module " + testModule + "\n\ngo " + goVersion + "\n"}
	maps.Copy(all, files)
	dir := t.TempDir()
	writeTree(t, dir, all)
	return dir
}

// writeTree writes files by slash-separated path relative to dir; MOD in
// their contents stands for the test module's path.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.ReplaceAll(src, "MOD", testModule)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// testEnv is the environment of the go command in tests: no workspace, no
// network.
func testEnv() []string {
	return append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod")
}

// loadModule loads ./... of a module written by writeModule.
func loadModule(t testing.TB, dir string, cfg LoadConfig) (*Program, []*packages.Package) {
	t.Helper()
	cfg.Dir = dir
	if cfg.Patterns == nil {
		cfg.Patterns = []string{"./..."}
	}
	cfg.Env = testEnv()
	prog, roots, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return prog, roots
}

// findPackage returns the root with the given import path.
func findPackage(t testing.TB, roots []*packages.Package, path string) *packages.Package {
	t.Helper()
	for _, r := range roots {
		if r.PkgPath == path {
			return r
		}
	}
	t.Fatalf("package %s not loaded", path)
	return nil
}

// findDecl returns the declaration of "F" or "T.M" in pkg.
func findDecl(t testing.TB, pkg *packages.Package, name string) *ast.FuncDecl {
	t.Helper()
	recv, fn, isMethod := strings.Cut(name, ".")
	if !isMethod {
		recv, fn = "", name
	}
	for _, f := range pkg.Syntax {
		for _, d := range f.Decls {
			d, ok := d.(*ast.FuncDecl)
			if !ok || d.Name.Name != fn || (d.Recv != nil) != isMethod {
				continue
			}
			if !isMethod || recvBase(d.Recv.List[0].Type) == recv {
				return d
			}
		}
	}
	t.Fatalf("no declaration %s in %s", name, pkg.PkgPath)
	return nil
}

// recvBase returns the base type name of a receiver type expression.
func recvBase(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return recvBase(e.X)
	case *ast.IndexExpr:
		return recvBase(e.X)
	case *ast.IndexListExpr:
		return recvBase(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// fingerprintOf loads nothing: it fingerprints task in the package at path.
func fingerprintOf(t testing.TB, prog *Program, roots []*packages.Package, path, task string, opts Options) Fingerprint {
	t.Helper()
	pkg := findPackage(t, roots, path)
	for _, e := range pkg.Errors {
		t.Errorf("package %s: %v", path, e)
	}
	fp, err := prog.Task(pkg, findDecl(t, pkg, task), opts)
	if err != nil {
		t.Fatalf("Task(%s): %v", task, err)
	}
	return fp
}

// hasPart reports whether fp has a part of that kind and name.
func hasPart(fp Fingerprint, kind, name string) bool {
	for _, p := range fp.Parts {
		if string(p.Kind) == kind && p.Name == name {
			return true
		}
	}
	return false
}
