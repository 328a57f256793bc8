package analyzer

import (
	_ "embed"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/taskname"
)

//go:embed doc.go
var doc string

// Analyzer reports cachegen directives that are malformed, directives and
// generated wrappers that no longer match, and tasks that read hidden
// inputs their cache key cannot see. See the package documentation.
var Analyzer = &analysis.Analyzer{
	Name:      "cachegen",
	Doc:       analysisDoc(doc),
	URL:       "https://pkg.go.dev/github.com/cachegen/cachegen/analyzer",
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	Run:       run,
	FactTypes: []analysis.Fact{new(readsFact), new(sourcesFact)},
}

// task is one directive on one function of the package being analysed.
type task struct {
	decl *ast.FuncDecl
	dir  *directive.Directive
	bad  bool // the directive's line has errors: its options may be incomplete
}

// state is what one run learns about the package before checking it; it
// lives for one pass, so the analyzer keeps no state between packages.
type state struct {
	tasks    []task
	wrappers []*ast.FuncDecl               // exported funcs and methods of cachegen_gen.go
	funcs    map[*types.Func]*ast.FuncDecl // declarations of the package's own functions
	mutated  map[*types.Var]bool           // package-level variables (of any package) this package assigns outside their declaration
	genFuncs map[*ast.FuncDecl]bool        // declarations in cachegen_gen.go
	genFile  *ast.File                     // cachegen_gen.go, if the package has one
}

func run(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	st := &state{
		funcs:    make(map[*types.Func]*ast.FuncDecl),
		mutated:  make(map[*types.Var]bool),
		genFuncs: make(map[*ast.FuncDecl]bool),
	}
	filter := []ast.Node{
		(*ast.File)(nil),
		(*ast.FuncDecl)(nil),
		(*ast.AssignStmt)(nil),
		(*ast.IncDecStmt)(nil),
		(*ast.UnaryExpr)(nil),
		(*ast.RangeStmt)(nil),
	}
	var inGen bool // the file being walked is cachegen_gen.go
	ins.Preorder(filter, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.File:
			inGen = isGenerated(pass, n)
			if inGen {
				st.genFile = n
			} else {
				checkDirectives(pass, n, st)
			}
		case *ast.FuncDecl:
			noteFunc(pass, n, inGen, st)
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, lhs := range n.Lhs {
					noteWrite(pass, lhs, st)
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.ASSIGN {
				noteWrite(pass, n.Key, st)
				noteWrite(pass, n.Value, st)
			}
		case *ast.IncDecStmt:
			noteWrite(pass, n.X, st)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				noteWrite(pass, n.X, st) // its address may be written through
			}
		}
	})
	checkWrappers(pass, st)
	checkStale(pass, st)
	for _, t := range st.tasks {
		checkHiddenInputs(pass, t, st)
	}
	exportFacts(pass, st)
	return nil, nil
}

// isGenerated reports whether f is the file cachegen writes.
func isGenerated(pass *analysis.Pass, f *ast.File) bool {
	return filepath.Base(pass.Fset.Position(f.Package).Filename) == gen.FileName
}

// checkDirectives reports every directive mistake in f (check 1) and
// records the file's directives for the other checks.
func checkDirectives(pass *analysis.Pass, f *ast.File, st *state) {
	found, errs := directive.File(pass.Fset, f)
	tf := pass.Fset.File(f.Pos())
	badLines := make(map[int]bool)
	for _, e := range errs {
		badLines[e.Pos.Line] = true
		d := analysis.Diagnostic{Pos: position(tf, e.Pos), Message: e.Msg}
		if e.Fix != nil && d.Pos.IsValid() {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "write " + e.Fix.Text,
				TextEdits: []analysis.TextEdit{{Pos: d.Pos, End: d.Pos + token.Pos(e.Fix.Len), NewText: []byte(e.Fix.Text)}},
			}}
		}
		pass.Report(d)
	}
	for _, fd := range found {
		for _, d := range fd.Directives {
			st.tasks = append(st.tasks, task{decl: fd.Decl, dir: d, bad: badLines[d.Pos.Line]})
		}
	}
}

// position turns a directive position back into a token.Pos of tf.
func position(tf *token.File, p token.Position) token.Pos {
	if tf == nil || p.Offset < 0 || p.Offset > tf.Size() {
		return token.NoPos
	}
	return tf.Pos(p.Offset)
}

// noteFunc records a function declaration: the package's own functions for
// following calls, and the exported ones of cachegen_gen.go as wrappers.
func noteFunc(pass *analysis.Pass, fd *ast.FuncDecl, inGen bool, st *state) {
	if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
		st.funcs[fn] = fd
	}
	if inGen {
		st.genFuncs[fd] = true
		if fd.Name.IsExported() {
			st.wrappers = append(st.wrappers, fd)
		}
	}
}

// noteWrite marks the package-level variable at the root of the written
// expression e (v, v.f, v[i], *v) as mutable.
func noteWrite(pass *analysis.Pass, e ast.Expr, st *state) {
	for e != nil {
		switch x := e.(type) {
		case *ast.Ident:
			if v := packageVar(pass, x); v != nil {
				st.mutated[v] = true
			}
			return
		case *ast.ParenExpr:
			e = x.X
		case *ast.SelectorExpr:
			if _, ok := pass.TypesInfo.Selections[x]; !ok {
				e = x.Sel // a qualified identifier: pkg.V
				continue
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return
		}
	}
}

// packageVar returns the package-level variable id refers to, of this
// package or another (conf.Scale = 3 makes conf.Scale mutable for the
// tasks of this package), or nil.
func packageVar(pass *analysis.Pass, id *ast.Ident) *types.Var {
	v, ok := pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil
	}
	return v
}

// wrapperName returns the name of the wrapper t's directive asks for, with
// the receiver's base type for a method: "FCached", "T.MMemo" or the name=
// value (see package taskname).
func wrapperName(pass *analysis.Pass, t task) string {
	return taskname.Join(recvType(pass, t.decl), taskname.Wrapper(t.decl.Name.Name, t.dir))
}

// funcName names a declared function or method as users write a task:
// "F", or "T.M" with T the receiver's base type (see recvType).
func funcName(pass *analysis.Pass, fd *ast.FuncDecl) string {
	return taskname.Join(recvType(pass, fd), fd.Name.Name)
}

// recvType names the base type of fd's receiver from its type
// information, aliases resolved (taskname.RecvType), or "" for a function.
// Without type information (the receiver's type does not type-check) it
// falls back to the name written in the source.
func recvType(pass *analysis.Pass, fd *ast.FuncDecl) string {
	if fd.Recv == nil {
		return ""
	}
	if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
		if r := taskname.RecvType(fn); r != "" {
			return r
		}
	}
	recv, _, ok := strings.Cut(directive.FuncName(fd), ".")
	if !ok {
		return "" // the syntax names no receiver type either
	}
	return recv
}

// analysisDoc trims the embedded doc.go down to its comment text, which is
// the package documentation.
func analysisDoc(src string) string {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", src, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil || f.Doc == nil {
		return "cachegen: check cachegen directives, wrappers and hidden inputs"
	}
	return f.Doc.Text()
}
