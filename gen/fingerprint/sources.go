package fingerprint

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"slices"

	"github.com/cachegen/cachegen/internal/srchash"
)

// Sources: besides its parts, a fingerprint lists the declarations of the
// task's module it covers, each with a hash of its syntax (package
// srchash), so that a program run from its source, and the analyzer, can
// tell that the code changed since go generate without type-checking. The
// list holds the task's own declaration and every same-module object the
// fingerprint hashed, plus what the declarations of types and constants
// name (an array length, another constant): their parts hash values and
// structure, which can change while their text stays the same.

// taskSource adds the source of the task's own declaration: with its
// directives (srchash.TaskDecl) and, for the code of a versioned task, as
// plain declaration with its body as well.
func (t *taskState) taskSource(pkg *pkgIndex, decl *ast.FuncDecl, code bool) {
	f := pkg.fileOf(t.p.fset, decl.Pos())
	if f == nil {
		return
	}
	s := srchash.Source{
		Pkg: pkg.pkg.PkgPath, File: baseName(t.p.fset, decl.Pos()), Name: srchash.FuncName(decl),
		Hash: srchash.TaskDecl(f, decl), Task: true,
	}
	t.addSource(s)
	if code {
		s.Task, s.Hash = false, t.p.fileDecls(pkg, f)[s.Name]
		t.addSource(s)
	}
}

// addSource records a source once.
func (t *taskState) addSource(s srchash.Source) {
	t.sources[s.Key()] = s
}

// objectSource adds the source of a same-module object the fingerprint
// hashed and, for types and constants, the sources of what their
// declarations name.
func (t *taskState) objectSource(obj types.Object) {
	queue := []types.Object{obj}
	for len(queue) > 0 {
		o := queue[0]
		queue = queue[1:]
		s, names, ok := t.p.source(o)
		if !ok {
			continue
		}
		if _, seen := t.sources[s.Key()]; seen && o != obj {
			continue
		}
		t.addSource(s)
		for _, n := range names {
			if t.sameModule(n.Pkg().Path(), t.p.moduleOf(n.Pkg().Path())) && !t.p.isGenerated(n) {
				queue = append(queue, n)
			}
		}
	}
}

// source returns the source of a package-level object or method declared
// in a package loaded with syntax and, for a type or constant, the
// package-level objects its declaration names.
func (p *Program) source(obj types.Object) (srchash.Source, []types.Object, bool) {
	ix := p.index(obj.Pkg().Path())
	if ix == nil || !obj.Pos().IsValid() {
		return srchash.Source{}, nil, false
	}
	f := ix.fileOf(p.fset, obj.Pos())
	if f == nil {
		return srchash.Source{}, nil, false
	}
	name := obj.Name()
	var named []types.Object
	switch obj.(type) {
	case *types.Func:
		decl := ix.funcs[objectKey(obj)]
		if decl == nil {
			return srchash.Source{}, nil, false
		}
		name = srchash.FuncName(decl)
	case *types.TypeName, *types.Const:
		if n := declNode(f, obj.Pos()); n != nil {
			named = namedObjects(ix.pkg.TypesInfo, n)
		}
	}
	h, ok := p.fileDecls(ix, f)[name]
	if !ok {
		return srchash.Source{}, nil, false
	}
	return srchash.Source{Pkg: obj.Pkg().Path(), File: baseName(p.fset, obj.Pos()), Name: name, Hash: h}, named, true
}

// fileDecls returns the (cached) srchash.Decls of a file of ix.
func (p *Program) fileDecls(ix *pkgIndex, f *ast.File) map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ix.decls == nil {
		ix.decls = make(map[*ast.File]map[string]string)
	}
	d, ok := ix.decls[f]
	if !ok {
		d = srchash.Decls(f)
		ix.decls[f] = d
	}
	return d
}

// fileOf returns the file of the package that contains pos.
func (ix *pkgIndex) fileOf(fset *token.FileSet, pos token.Pos) *ast.File {
	tf := fset.File(pos)
	for _, f := range ix.pkg.Syntax {
		if fset.File(f.Pos()) == tf {
			return f
		}
	}
	return nil
}

// declNode returns the type spec, or the const declaration, that declares
// the name at pos.
func declNode(f *ast.File, pos token.Pos) ast.Node {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || pos < gd.Pos() || pos >= gd.End() {
			continue
		}
		if gd.Tok == token.CONST {
			return gd
		}
		for _, s := range gd.Specs {
			if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.Pos() == pos {
				return ts
			}
		}
	}
	return nil
}

// namedObjects returns the package-level objects that identifiers in n
// denote, sorted by key.
func namedObjects(info *types.Info, n ast.Node) []types.Object {
	if info == nil {
		return nil
	}
	objs := make(map[string]types.Object)
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := info.Uses[id]; obj != nil && isPackageLevel(obj) {
				switch obj.(type) {
				case *types.Const, *types.TypeName, *types.Var, *types.Func:
					objs[objectKey(obj)] = obj
				}
			}
		}
		return true
	})
	out := make([]types.Object, 0, len(objs))
	for _, k := range slices.Sorted(maps.Keys(objs)) {
		out = append(out, objs[k])
	}
	return out
}

// MergeSources returns the sources of every list, each once (the first
// list's wins), sorted as a Fingerprint's.
func MergeSources(lists ...[]srchash.Source) []srchash.Source {
	m := make(map[string]srchash.Source)
	for i := len(lists) - 1; i >= 0; i-- {
		for _, s := range lists[i] {
			m[s.Key()] = s
		}
	}
	return sortedSources(m)
}

// sortedSources returns the sources sorted by package, name and kind.
func sortedSources(m map[string]srchash.Source) []srchash.Source {
	out := slices.Collect(maps.Values(m))
	slices.SortFunc(out, func(a, b srchash.Source) int {
		return cmp.Or(cmp.Compare(a.Pkg, b.Pkg), cmp.Compare(a.Name, b.Name), compareBool(a.Task, b.Task))
	})
	return out
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// baseName is the base name of the file of pos.
func baseName(fset *token.FileSet, pos token.Pos) string {
	return filepath.Base(fset.Position(pos).Filename)
}
