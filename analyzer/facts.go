package analyzer

import (
	"cmp"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cachegen/cachegen/gen/directive"
)

// readsFact is exported on a function or method (with an exported name) of
// a package outside the standard library when it reads hidden inputs,
// directly or through the functions it calls; and on an exported
// package-level variable that its package assigns outside its
// declaration. A task in another package of the same module that calls
// the function, or reads the variable, reads what the fact lists.
type readsFact struct {
	// Module is the path of the module of the fact's package ("" when the
	// driver did not say), so that a package of another module nested
	// under the same path prefix is not taken for the task's own.
	Module string
	// Reads holds the first read found of each kind, in the order of
	// directive.AllowChecks.
	Reads []hiddenRead
}

// AFact marks readsFact as an analysis fact.
func (*readsFact) AFact() {}

// String describes the fact for analysistest's fact expectations:
// "reads env (os.Getenv), clock (time.Now, via example.com/m/conf.Stamp)".
func (f *readsFact) String() string {
	parts := make([]string, len(f.Reads))
	for i, r := range f.Reads {
		parts[i] = r.Check + " (" + r.Use + r.via(", via ") + ")"
	}
	return "reads " + strings.Join(parts, ", ")
}

// exportFacts exports a readsFact for each exported function, method and
// mutable variable of the package that reads hidden inputs. Packages of
// the standard library export none: go vet runs the analyzer on every
// dependency, and sourceOf already knows the library's hidden inputs.
func exportFacts(pass *analysis.Pass, st *state) {
	if isStandard(pass) {
		return
	}
	module := modulePath(pass)
	sums := summarize(pass, st)
	for _, fd := range sortedDecls(st) {
		fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if ok && fn.Exported() && len(sums[fd]) > 0 {
			pass.ExportObjectFact(fn, &readsFact{Module: module, Reads: sums[fd]})
		}
	}
	vars := make([]*types.Var, 0, len(st.mutated))
	for v := range st.mutated {
		if v.Exported() && v.Pkg() == pass.Pkg { // facts only on the package's own objects
			vars = append(vars, v)
		}
	}
	slices.SortFunc(vars, func(a, b *types.Var) int { return cmp.Compare(a.Pos(), b.Pos()) })
	for _, v := range vars {
		pass.ExportObjectFact(v, &readsFact{Module: module, Reads: []hiddenRead{globalRead(v, false)}})
	}
}

// isStandard reports whether the package being analysed belongs to the
// standard library: it has no module (drivers give std packages none) and
// the first element of its import path has no dot. In GOPATH mode a
// package whose path has no dot (such as analysistest's) counts as
// standard too, and exports no facts.
func isStandard(pass *analysis.Pass) bool {
	if modulePath(pass) != "" {
		return false
	}
	first, _, _ := strings.Cut(pass.Pkg.Path(), "/")
	return !strings.Contains(first, ".")
}

// modulePath returns the path of the module of the package being
// analysed, or "" (GOPATH mode, the standard library, a driver that does
// not say).
func modulePath(pass *analysis.Pass) string {
	if pass.Module == nil {
		return ""
	}
	return pass.Module.Path
}

// sameModule reports whether the facts of pkg, recorded under module
// factModule, may be followed from the package being analysed: pkg's path
// is the module path or under it, and the fact (when it says) was
// recorded in that very module, not in one nested under its path. With no
// module (GOPATH mode), the facts of every package are followed; only
// packages outside the standard library have any.
func sameModule(pass *analysis.Pass, pkg *types.Package, factModule string) bool {
	m := modulePath(pass)
	if m == "" {
		return true
	}
	if p := pkg.Path(); p != m && !strings.HasPrefix(p, m+"/") {
		return false
	}
	return factModule == "" || factModule == m
}

// importedReads returns what obj, a function or variable of another
// package, reads according to its facts, if its package is of the same
// module as the package being analysed.
func importedReads(pass *analysis.Pass, obj types.Object) []hiddenRead {
	if obj.Pkg() == nil || obj.Pkg() == pass.Pkg {
		return nil
	}
	var f readsFact
	if !pass.ImportObjectFact(obj, &f) || !sameModule(pass, obj.Pkg(), f.Module) {
		return nil
	}
	return f.Reads
}

// callReads returns what a static call to fn, a function of another
// package, reads, each read's path starting with fn.
func callReads(pass *analysis.Pass, fn *types.Func) []hiddenRead {
	fn = fn.Origin()
	reads := importedReads(pass, fn)
	out := make([]hiddenRead, len(reads))
	for i, r := range reads {
		r.Via = append([]string{fn.FullName()}, r.Via...)
		out[i] = r
	}
	return out
}

// event is one step of a function body, in source order: hidden inputs it
// reads, or a call to another function of the package.
type event struct {
	reads  []hiddenRead
	callee *ast.FuncDecl
}

// summarize returns, for each function of the package (not of
// cachegen_gen.go), the first read of each kind it makes directly or
// through the functions it calls, in the order of directive.AllowChecks.
// Instead of walking from every function, which is quadratic in a large
// package, it propagates reads along the package's call graph, callees
// before callers, until nothing changes; a kind once found for a function
// is kept, so the result is the same on every run.
func summarize(pass *analysis.Pass, st *state) map[*ast.FuncDecl][]hiddenRead {
	decls := sortedDecls(st)
	events := make(map[*ast.FuncDecl][]event, len(decls))
	for _, fd := range decls {
		events[fd] = bodyEvents(pass, st, fd)
	}
	var order []*ast.FuncDecl // callees before callers
	seen := make(map[*ast.FuncDecl]bool)
	var visit func(fd *ast.FuncDecl)
	visit = func(fd *ast.FuncDecl) {
		if seen[fd] {
			return
		}
		seen[fd] = true
		for _, e := range events[fd] {
			if e.callee != nil {
				visit(e.callee)
			}
		}
		order = append(order, fd)
	}
	for _, fd := range decls {
		visit(fd)
	}
	sums := make(map[*ast.FuncDecl][]hiddenRead)
	for changed := true; changed; {
		changed = false
		for _, fd := range order {
			for _, e := range events[fd] {
				reads := e.reads
				if e.callee != nil {
					reads = sums[e.callee]
				}
				for _, r := range reads {
					if !slices.ContainsFunc(sums[fd], func(s hiddenRead) bool { return s.Check == r.Check }) {
						sums[fd] = append(sums[fd], r)
						changed = true
					}
				}
			}
		}
	}
	for _, s := range sums {
		slices.SortStableFunc(s, func(a, b hiddenRead) int { return cmp.Compare(checkRank(a.Check), checkRank(b.Check)) })
	}
	return sums
}

// bodyEvents lists what fd's body reads and which functions of the
// package it calls, in source order.
func bodyEvents(pass *analysis.Pass, st *state, fd *ast.FuncDecl) []event {
	var evs []event
	scanBody(pass, fd, func(obj types.Object) {
		if reads := usedReads(pass, st, obj, false); len(reads) > 0 {
			evs = append(evs, event{reads: reads})
		}
	}, func(fn *types.Func) {
		if fn.Pkg() != pass.Pkg {
			if reads := callReads(pass, fn); len(reads) > 0 {
				evs = append(evs, event{reads: reads})
			}
		} else if callee := st.funcs[fn.Origin()]; callee != nil && callee.Body != nil && !st.genFuncs[callee] {
			evs = append(evs, event{callee: callee})
		}
	})
	return evs
}

// sortedDecls returns the package's function declarations outside
// cachegen_gen.go, in source order.
func sortedDecls(st *state) []*ast.FuncDecl {
	decls := make([]*ast.FuncDecl, 0, len(st.funcs))
	for _, fd := range st.funcs {
		if fd.Body != nil && !st.genFuncs[fd] {
			decls = append(decls, fd)
		}
	}
	slices.SortFunc(decls, func(a, b *ast.FuncDecl) int { return cmp.Compare(a.Pos(), b.Pos()) })
	return decls
}

// checkRank orders checks as directive.AllowChecks does.
func checkRank(check string) int {
	return slices.Index(directive.AllowChecks(), check)
}
