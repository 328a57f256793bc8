package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/taskname"
	"github.com/cachegen/cachegen/internal/srchash"
)

// sourcesFact carries the declarations of a package of the module being
// analysed, each with the hash of its syntax (srchash.Index), to the
// packages that import it: the stale check compares a task's recorded
// sources in other packages with them. Packages of other modules (from the
// module cache) and the standard library export none, since a task's
// sources are in its own module.
type sourcesFact struct {
	// Decls are sorted by name, so the fact encodes deterministically.
	Decls []namedDecls
}

// namedDecls are the declarations of one name.
type namedDecls struct {
	Name  string
	Decls []srchash.Decl
}

// AFact marks sourcesFact as an analysis fact.
func (*sourcesFact) AFact() {}

func (f *sourcesFact) String() string { return fmt.Sprintf("sources(%d declarations)", len(f.Decls)) }

// index returns the fact's declarations by name.
func (f *sourcesFact) index() map[string][]srchash.Decl {
	ix := make(map[string][]srchash.Decl, len(f.Decls))
	for _, d := range f.Decls {
		ix[d.Name] = d.Decls
	}
	return ix
}

// ownSources indexes the package's own non-test, non-generated files and
// exports them as a fact when the package can hold sources of a task (it
// belongs to a module being developed, not the module cache or the
// standard library). It hashes nothing when neither the fact nor the
// package's own check (need) wants the index.
func ownSources(pass *analysis.Pass, need bool) map[string][]srchash.Decl {
	m := pass.Module
	export := m != nil && m.Path != "" && m.Path != "std" && m.Version == ""
	if !export && !need {
		return nil
	}
	files := make(map[string]*ast.File)
	for _, f := range pass.Files {
		name := filepath.Base(pass.Fset.Position(f.Package).Filename)
		if name == gen.FileName || strings.HasSuffix(name, "_test.go") {
			continue
		}
		files[name] = f
	}
	ix := srchash.Index(files)
	if export {
		f := &sourcesFact{}
		for _, name := range slices.Sorted(maps.Keys(ix)) {
			f.Decls = append(f.Decls, namedDecls{name, ix[name]})
		}
		pass.ExportPackageFact(f)
	}
	return ix
}

// checkStale compares the sources a generated file records for each task
// with the package's files and, for other packages of the module, their
// facts. A task whose key's sources changed has a stale wrapper: run go
// generate. A versioned task whose code changed since its version was
// first generated (recorded Code differs from VersionCode, or one of its
// code's sources changed since) is a forgotten bump. Only syntax is
// compared, the way the runtime guard does it, so the check sees the files
// the driver's build flags chose, and needs nothing loaded. If the package
// has directive errors, other checks speak.
func checkStale(pass *analysis.Pass, st *state) {
	// A dependency from the module cache: go vet analyses it for its facts
	// only, and its generated files are its authors' business.
	cached := pass.Module != nil && pass.Module.Version != ""
	need := st.genFile != nil && len(st.tasks) > 0 && !cached
	own := ownSources(pass, need)
	if !need {
		return
	}
	recorded := gen.ReadRecorded(st.genFile)
	if len(recorded) == 0 {
		return
	}
	index := packageIndexes(pass, own)
	for _, t := range st.tasks {
		if t.bad {
			continue
		}
		rec, ok := recorded[gen.RecordKey{ID: taskID(pass, t.decl), Memo: t.dir.Kind == directive.Memo}]
		if !ok || len(rec.Sources) == 0 {
			continue
		}
		var key, code []srchash.Source
		for _, s := range rec.Sources {
			if s.Code {
				code = append(code, s)
			} else {
				key = append(key, s)
			}
		}
		pos := position(pass.Fset.File(t.decl.Pos()), t.dir.Pos)
		name := funcName(pass, t.decl)
		if changes := srchash.Compare(key, index); len(changes) > 0 {
			pass.Report(analysis.Diagnostic{
				Pos:     pos,
				Message: fmt.Sprintf("%s: the generated wrapper is stale (%s since go generate); run go generate", name, srchash.Describe(changes)),
			})
			continue
		}
		if rec.Version == "" {
			continue
		}
		why := ""
		if rec.VersionCode != "" && rec.Code != "" && rec.Code != rec.VersionCode {
			why = fmt.Sprintf("code fingerprint %s then, %s now", rec.VersionCode, rec.Code)
		} else if changes := srchash.Compare(code, index); len(changes) > 0 {
			why = srchash.Describe(changes)
		}
		if why != "" {
			pass.Report(analysis.Diagnostic{
				Pos: pos,
				Message: fmt.Sprintf("%s: code changed since version=%s was first generated (%s), so results of the old code are still served; "+
					"bump version=, or run cachegen -accept=%s to keep them", name, rec.Version, why, name),
				SuggestedFixes: bumpFix(pass, t),
			})
		}
	}
}

// packageIndexes returns the index of a package: the pass's own, or the
// fact of an imported package of the module; nil (not checked) for a
// package the pass cannot see.
func packageIndexes(pass *analysis.Pass, own map[string][]srchash.Decl) func(string) map[string][]srchash.Decl {
	var byPath map[string]*types.Package
	return func(path string) map[string][]srchash.Decl {
		if path == pass.Pkg.Path() {
			return own
		}
		if byPath == nil {
			byPath = make(map[string]*types.Package)
			var visit func(p *types.Package)
			visit = func(p *types.Package) {
				for _, imp := range p.Imports() {
					if _, seen := byPath[imp.Path()]; !seen {
						byPath[imp.Path()] = imp
						visit(imp)
					}
				}
			}
			visit(pass.Pkg)
		}
		p := byPath[path]
		if p == nil {
			return nil
		}
		var f sourcesFact
		if !pass.ImportPackageFact(p, &f) {
			return nil
		}
		return f.index()
	}
}

// taskID is the identity of the task declared by decl (see package
// taskname).
func taskID(pass *analysis.Pass, decl *ast.FuncDecl) string {
	if fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func); ok {
		return taskname.ID(fn)
	}
	return pass.Pkg.Path() + "." + funcName(pass, decl)
}

// bumpFix offers to bump an integer version=N to N+1 (the mechanical fix
// of a forgotten bump); other versions have no obvious successor.
func bumpFix(pass *analysis.Pass, t task) []analysis.SuggestedFix {
	o, ok := t.dir.Option("version")
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(o.Value)
	rel := o.Pos.Offset - t.dir.Pos.Offset
	if err != nil || n < 0 || rel < 0 || !strings.HasPrefix(t.dir.Text[rel:], "version="+o.Value) {
		return nil // a quoted or unusual spelling: leave it to the user
	}
	start := position(pass.Fset.File(t.decl.Pos()), o.Pos) + token.Pos(len("version="))
	next := strconv.Itoa(n + 1)
	return []analysis.SuggestedFix{{
		Message:   "bump to version=" + next,
		TextEdits: []analysis.TextEdit{{Pos: start, End: start + token.Pos(len(o.Value)), NewText: []byte(next)}},
	}}
}
