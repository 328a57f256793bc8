package gen

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/fingerprint"
)

// linkWrapperCalls adds to each task's fingerprint the fingerprints of the
// tasks whose wrappers it calls (directly, or from a helper it reaches).
//
// The generator loads packages with their generated file blanked, so a call
// to AlignCached in the same package does not type-check and the
// fingerprint cannot follow it into Align. Without this step, a change to
// Align would leave a caller of AlignCached with its old fingerprint: a
// stale hit. Unresolved identifiers and selectors named like a wrapper of
// this run are matched to their tasks (all candidates, when the receiver's
// type is unknown: one extra invalidation is safe, a missed one is not).
func linkWrapperCalls(built []*builtPackage) {
	l := &linker{
		funcs:   make(map[string]map[string][]*Task),
		methods: make(map[string][]*Task),
		decls:   make(map[string]declIn),
		final:   make(map[*Task]fingerprint.Fingerprint),
		active:  make(map[*Task]bool),
	}
	for _, bp := range built {
		l.index(bp)
	}
	for _, bp := range built {
		for _, t := range bp.tasks {
			l.resolve(t)
		}
	}
	for t, fp := range l.final {
		t.Fingerprint = fp
	}
}

// declIn is a function declaration and the package it is in.
type declIn struct {
	decl *ast.FuncDecl
	bp   *builtPackage
}

type linker struct {
	funcs   map[string]map[string][]*Task // package path → wrapper name → tasks
	methods map[string][]*Task            // method wrapper name → tasks
	decls   map[string]declIn             // fingerprint part name → declaration
	final   map[*Task]fingerprint.Fingerprint
	active  map[*Task]bool // on the resolution stack, to cut cycles
}

func (l *linker) index(bp *builtPackage) {
	path := bp.pkg.PkgPath
	for _, t := range bp.tasks {
		if t.Recv != nil {
			l.methods[t.Wrapper] = append(l.methods[t.Wrapper], t)
			continue
		}
		if l.funcs[path] == nil {
			l.funcs[path] = make(map[string][]*Task)
		}
		l.funcs[path][t.Wrapper] = append(l.funcs[path][t.Wrapper], t)
	}
	for _, f := range bp.pkg.Syntax {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				l.decls[path+"."+directive.FuncName(fd)] = declIn{fd, bp}
			}
		}
	}
}

// resolve returns t's fingerprint with the tasks it calls through wrappers.
func (l *linker) resolve(t *Task) fingerprint.Fingerprint {
	if fp, ok := l.final[t]; ok {
		return fp
	}
	if l.active[t] {
		return t.Fingerprint // a cycle of wrapper calls: its own code suffices here
	}
	l.active[t] = true
	defer delete(l.active, t)
	var parts []fingerprint.Part
	for _, dep := range l.calls(t) {
		if dep != t {
			parts = append(parts, fingerprint.Part{Kind: "task", Name: dep.ID, Hash: l.resolve(dep).Digest})
		}
	}
	fp := t.Fingerprint
	if len(parts) > 0 {
		fp = fp.With(parts...)
	}
	l.final[t] = fp
	return fp
}

// calls lists the tasks whose wrappers t's declaration, or a function its
// fingerprint reached, refers to without the type checker resolving them.
func (l *linker) calls(t *Task) []*Task {
	scan := []declIn{{t.decl, t.bp}}
	for _, p := range t.Fingerprint.Parts {
		if p.Kind == "func" || p.Kind == "method" {
			if d, ok := l.decls[p.Name]; ok {
				scan = append(scan, d)
			}
		}
	}
	var deps []*Task
	for _, d := range scan {
		deps = append(deps, l.unresolved(d)...)
	}
	slices.SortFunc(deps, func(a, b *Task) int { return strings.Compare(a.ID, b.ID) })
	return slices.Compact(deps)
}

// unresolved finds wrapper references in one declaration.
func (l *linker) unresolved(d declIn) []*Task {
	info := d.bp.pkg.TypesInfo
	path := d.bp.pkg.PkgPath
	var deps []*Task
	ast.Inspect(d.decl, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if info.Uses[n.Sel] != nil || info.Selections[n] != nil {
				return true
			}
			if id, ok := n.X.(*ast.Ident); ok {
				if pn, ok := info.Uses[id].(*types.PkgName); ok {
					deps = append(deps, l.funcs[pn.Imported().Path()][n.Sel.Name]...)
					return false
				}
			}
			deps = append(deps, l.methodsOf(info.TypeOf(n.X), n.Sel.Name)...)
		case *ast.Ident:
			if info.Uses[n] == nil && info.Defs[n] == nil {
				deps = append(deps, l.funcs[path][n.Name]...)
			}
		}
		return true
	})
	return deps
}

// methodsOf returns the method tasks with the wrapper name on type t, or on
// any type when t is unknown.
func (l *linker) methodsOf(t types.Type, wrapper string) []*Task {
	cands := l.methods[wrapper]
	if t == nil {
		return cands
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return cands
	}
	var out []*Task
	for _, c := range cands {
		if c.RecvType == named.Obj().Name() && c.bp.pkg.PkgPath == named.Obj().Pkg().Path() {
			out = append(out, c)
		}
	}
	return out
}
