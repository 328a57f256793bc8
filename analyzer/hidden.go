package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/cachegen/cachegen/gen/directive"
)

// A source is a function or variable of another package that reads a
// hidden input.
type source struct {
	check string // the allow= name that silences it
	what  string // how the message describes the input
}

// sourceOf classifies the object a task's code uses: a hidden input, or
// ok=false. The rules are a function, not a table held in a variable, so
// the analyzer keeps no package-level state.
func sourceOf(obj types.Object) (source, bool) {
	if obj == nil || obj.Pkg() == nil {
		return source{}, false
	}
	path, name := obj.Pkg().Path(), obj.Name()
	fn, isFunc := obj.(*types.Func)
	recv := ""
	if isFunc {
		if r := fn.Signature().Recv(); r != nil {
			recv = typeName(r.Type())
		}
	}
	switch path {
	case "os":
		switch name {
		case "Getenv", "LookupEnv", "Environ", "ExpandEnv":
			return source{directive.CheckEnv, "the environment"}, isFunc && recv == ""
		case "ReadFile", "Open", "OpenFile", "ReadDir", "Stat", "Lstat":
			return source{directive.CheckFS, "files"}, isFunc && recv == ""
		}
	case "time":
		switch name {
		case "Now", "Since", "Until":
			return source{directive.CheckClock, "the clock"}, isFunc && recv == ""
		}
	case "math/rand", "math/rand/v2":
		// Constructors are deterministic given their seed; a seed from the
		// clock is reported as the clock.
		return source{directive.CheckRand, "randomness"}, isFunc && recv == "" && !strings.HasPrefix(name, "New")
	case "crypto/rand":
		return source{directive.CheckRand, "randomness"}, isFunc || name == "Reader"
	case "net":
		return source{directive.CheckNet, "the network"}, isFunc && strings.HasPrefix(name, "Dial") &&
			(recv == "" || recv == "Dialer")
	case "net/http":
		switch name {
		case "Get", "Post", "PostForm", "Head", "Do":
			return source{directive.CheckNet, "the network"}, isFunc && (recv == "" || recv == "Client")
		}
	}
	return source{}, false
}

// typeName names a receiver type without its pointer.
func typeName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// finding is the first hidden input of one kind a task reads.
type finding struct {
	check string
	msg   string
}

// checkHiddenInputs reports the hidden inputs t's function reads, directly
// or through functions of the same package it calls (check 3).
func checkHiddenInputs(pass *analysis.Pass, t task, st *state) {
	name := directive.FuncName(t.decl)
	var found []finding
	seen := make(map[string]bool) // checks already found
	add := func(check, msg string) {
		if !seen[check] && !t.dir.Allows(check) {
			seen[check] = true
			found = append(found, finding{check, msg})
		}
	}
	w := walker{pass: pass, st: st, visited: make(map[*ast.FuncDecl]bool)}
	w.walk(t.decl, func(id *ast.Ident, obj types.Object) {
		if s, ok := sourceOf(obj); ok {
			add(s.check, fmt.Sprintf("%s reads %s (%s) which the cache key cannot see; add it to the key or allow=%s",
				name, s.what, qualified(obj), s.check))
			return
		}
		if v, ok := obj.(*types.Var); ok && st.mutated[v] {
			add(directive.CheckGlobals, fmt.Sprintf(
				"%s reads the mutable package-level variable %s which the cache key cannot see; add it to the key or allow=%s",
				name, v.Name(), directive.CheckGlobals))
		}
	})
	pos := position(pass.Fset.File(t.decl.Pos()), t.dir.Pos)
	for _, f := range found {
		pass.Report(analysis.Diagnostic{Pos: pos, Message: f.msg})
	}
}

// qualified names obj for a message: "os.Getenv", "math/rand.Intn",
// "(*net/http.Client).Do".
func qualified(obj types.Object) string {
	if fn, ok := obj.(*types.Func); ok {
		return fn.FullName()
	}
	return obj.Pkg().Path() + "." + obj.Name()
}

// walker visits the identifiers a function uses, following static calls
// to functions of the same package (not into cachegen_gen.go: a wrapper's
// task is checked under its own directive).
type walker struct {
	pass    *analysis.Pass
	st      *state
	visited map[*ast.FuncDecl]bool // declarations already walked; cuts cycles
}

func (w *walker) walk(fd *ast.FuncDecl, visit func(*ast.Ident, types.Object)) {
	if fd == nil || fd.Body == nil || w.visited[fd] || w.st.genFuncs[fd] {
		return
	}
	w.visited[fd] = true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(w.pass.TypesInfo, n).(*types.Func); ok && fn.Pkg() == w.pass.Pkg {
				w.walk(w.st.funcs[fn.Origin()], visit)
			}
		case *ast.Ident:
			if obj := w.pass.TypesInfo.Uses[n]; obj != nil {
				visit(n, obj)
			}
		}
		return true
	})
}
