package fingerprint

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/cachegen/cachegen/runtime"
)

// TestLoadImports checks that Load returns only the roots, and loads the
// module's packages they import with syntax and the standard library
// without.
func TestLoadImports(t *testing.T) {
	dir := writeModule(t, "1.26", map[string]string{
		"p/p.go": "package p\n\nimport \"MOD/q\"\n\nfunc Task() int { return q.Q() }\n",
		"q/q.go": "package q\n\nimport (\n\t\"strings\"\n\n\t\"MOD/r\"\n)\n\nfunc Q() int { return r.R() + len(strings.Fields(\"a b\")) }\n",
		"r/r.go": "package r\n\nfunc R() int { return 1 }\n",
		"s/s.go": "package s\n\nfunc S() int { return 2 }\n",
	})
	prog, roots := loadModule(t, dir, LoadConfig{Patterns: []string{"./p"}})
	if len(roots) != 1 || roots[0].PkgPath != testModule+"/p" {
		t.Fatalf("roots = %v, want [%s/p]", roots, testModule)
	}
	for _, path := range []string{"p", "q", "r"} {
		ix := prog.pkgs[testModule+"/"+path]
		if ix == nil || len(ix.pkg.Syntax) == 0 || ix.pkg.TypesInfo == nil {
			t.Errorf("package %s not loaded with syntax and types", path)
		}
	}
	if ix := prog.pkgs[testModule+"/s"]; ix != nil {
		t.Errorf("unimported package s was loaded")
	}
	if ix := prog.pkgs["strings"]; ix != nil && len(ix.pkg.Syntax) > 0 {
		t.Errorf("standard library package strings was loaded with syntax")
	}
	fp := fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{})
	for _, name := range []string{"q.Q", "r.R"} {
		if !hasPart(fp, "func", testModule+"/"+name) {
			t.Errorf("parts %v lack func %s", fp.Parts, name)
		}
	}
	// The helper's object seen from the root is the one its package defines.
	q := prog.pkgs[testModule+"/q"].pkg.Types.Scope().Lookup("Q")
	used := roots[0].Types.Imports()[0].Scope().Lookup("Q")
	if q != used {
		t.Errorf("object identity differs between the root's import and the loaded package")
	}
}

// TestLoadTypeError checks that a package with a type error still comes
// back with syntax and types, the error in its Errors, and can be hashed.
func TestLoadTypeError(t *testing.T) {
	dir := writeModule(t, "1.26", map[string]string{
		"p/a.go": "package p\n\nimport \"fmt\"\n\nvar bad int = \"s\"\n\nfunc Task() int { return helper() + missing(fmt.Sprint(nope{})) }\n\nfunc helper() int { return 1 }\n",
		"p/b.go": "package p\n\nfunc broken( {\n",
	})
	prog, roots, err := Load(context.Background(), LoadConfig{Dir: dir, Patterns: []string{"./p"}, Env: testEnv()})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(roots) != 1 {
		t.Fatalf("roots = %v", roots)
	}
	pkg := roots[0]
	if !slices.ContainsFunc(pkg.Errors, func(e packages.Error) bool { return e.Kind == packages.TypeError }) {
		t.Errorf("Errors = %v, want a type error", pkg.Errors)
	}
	if len(pkg.Syntax) == 0 || pkg.Types == nil || pkg.TypesInfo == nil {
		t.Fatalf("package without syntax or types")
	}
	fp, err := prog.Task(pkg, findDecl(t, pkg, "Task"), Options{})
	if err != nil {
		t.Fatalf("Task: %v", err)
	}
	if !hasPart(fp, "func", testModule+"/p.helper") {
		t.Errorf("parts %v lack the helper", fp.Parts)
	}
}

// TestLoadOverlay checks that the overlay replaces file contents.
func TestLoadOverlay(t *testing.T) {
	changed := replace(helperSrc, "deeper(x) * 2", "deeper(x) * 3")
	dir := writeModule(t, "1.26", map[string]string{"p/a.go": helperSrc})
	prog, roots := loadModule(t, dir, LoadConfig{Overlay: map[string][]byte{filepath.Join(dir, "p", "a.go"): []byte(changed)}})
	withOverlay := fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{})
	prog, roots = loadModule(t, writeModule(t, "1.26", map[string]string{"p/a.go": changed}), LoadConfig{})
	onDisk := fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{})
	if withOverlay.Digest != onDisk.Digest {
		t.Errorf("overlay digest %s, on-disk digest %s", withOverlay.Digest, onDisk.Digest)
	}
}

// TestReplacedModule checks that a module replaced by a local directory
// counts by a hash of its Go files, and the standard library not at all.
func TestReplacedModule(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"main/go.mod": "module MOD\n\ngo 1.26\n\nrequire example.com/dep v0.0.0\n\nreplace example.com/dep => ../dep\n",
		"main/p/a.go": "package p\n\nimport (\n\t\"strings\"\n\n\t\"example.com/dep\"\n)\n\nfunc Task(s string) dep.T { return dep.T{N: dep.F() + len(strings.TrimSpace(s))} }\n",
		"dep/go.mod":  "module example.com/dep\n\ngo 1.26\n",
		"dep/dep.go":  "package dep\n\ntype T struct{ N int }\n\nfunc F() int { return 1 }\n",
		"dep/g.go":    "package dep\n\nfunc G() int { return 2 }\n",
	}
	writeTree(t, root, files)
	fingerprint := func() Fingerprint {
		prog, roots := loadModule(t, filepath.Join(root, "main"), LoadConfig{})
		return fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{})
	}
	before := fingerprint()
	var mod *Part
	for i, p := range before.Parts {
		if p.Kind == runtime.PartModule {
			mod = &before.Parts[i]
		}
		if p.Kind == runtime.PartFunc || p.Kind == runtime.PartType {
			t.Errorf("part %v of another module hashed as an object", p)
		}
	}
	if mod == nil || mod.Name != "example.com/dep" || !isHex16(mod.Hash) {
		t.Fatalf("module part = %v, want example.com/dep with a directory hash", mod)
	}
	if !hasPart(before, "go", "go") {
		t.Errorf("no go part")
	}
	writeTree(t, root, map[string]string{"dep/g.go": "package dep\n\nfunc G() int { return 3 }\n"})
	after := fingerprint()
	if before.Digest == after.Digest {
		t.Errorf("editing the replaced module kept the digest")
	}
	if d := Diff(before, after); len(d) != 1 || d[0].New.Kind != runtime.PartModule {
		t.Errorf("Diff = %+v, want the module part only", d)
	}
	writeTree(t, root, map[string]string{"dep/g_test.go": "package dep\n", "dep/testdata/x.go": "package x\n"})
	if again := fingerprint(); again.Digest != after.Digest {
		t.Errorf("test files or testdata changed the digest")
	}
}

// TestModulePart checks the hash of modules with versions and replacements.
func TestModulePart(t *testing.T) {
	p := newProgram(nil)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a.go": "package a\n"})
	tests := []struct {
		mod  packages.Module
		want string
	}{
		{packages.Module{Path: "example.com/a", Version: "v1.2.3"}, "v1.2.3"},
		{packages.Module{Path: "example.com/a", Version: "v1.2.3", Replace: &packages.Module{Path: "example.com/fork", Version: "v1.0.0"}}, "example.com/fork@v1.0.0"},
	}
	for _, tt := range tests {
		got, err := p.modulePart(&tt.mod)
		if err != nil || got != (Part{Kind: runtime.PartModule, Name: tt.mod.Path, Hash: tt.want}) {
			t.Errorf("modulePart(%v) = %v, %v; want hash %s", tt.mod, got, err, tt.want)
		}
	}
	local, err := p.modulePart(&packages.Module{Path: "example.com/a", Version: "v1.2.3", Replace: &packages.Module{Path: dir, Dir: dir}})
	if err != nil || !isHex16(local.Hash) {
		t.Errorf("local replacement: %v, %v", local, err)
	}
	if _, err := p.modulePart(&packages.Module{Path: "example.com/b", Replace: &packages.Module{Dir: filepath.Join(dir, "missing")}}); err == nil {
		t.Errorf("a missing replacement directory gave no error")
	}
}
