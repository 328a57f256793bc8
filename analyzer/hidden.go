package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/taskname"
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
	recv := "" // the receiver's base type of a method
	if isFunc {
		recv = taskname.RecvType(fn)
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

// A hiddenRead is one hidden input a function reads, and how: the first
// of its kind found in a task, or recorded in a readsFact.
type hiddenRead struct {
	Check string   // the allow= name that silences it
	What  string   // how a message describes the input: "the environment"
	Use   string   // the function or variable read: "os.Getenv", "example.com/m/conf.hits"
	Via   []string // functions of other packages it is reached through, outermost first
}

// via returns the read's path after prefix ("" if it is read directly):
// ", via example.com/m/util.Zone -> example.com/m/conf.Region".
func (r hiddenRead) via(prefix string) string {
	if len(r.Via) == 0 {
		return ""
	}
	return prefix + strings.Join(r.Via, " -> ")
}

// message is the diagnostic for task reading r. Same-package reads keep
// the form without a path.
func (r hiddenRead) message(task string) string {
	const tail = "which the cache key cannot see; add it to the key or allow="
	if r.Check == directive.CheckGlobals {
		where := r.Use
		if path := r.via("via "); path != "" {
			where += " (" + path + ")"
		}
		return fmt.Sprintf("%s reads %s %s %s%s", task, r.What, where, tail, r.Check)
	}
	return fmt.Sprintf("%s reads %s (%s%s) %s%s", task, r.What, r.Use, r.via(", via "), tail, r.Check)
}

// globalRead is the read of v, a mutable package-level variable, named
// bare for a task's own package (local) or with its package path for a fact.
func globalRead(v *types.Var, local bool) hiddenRead {
	use := v.Name()
	if !local {
		use = v.Pkg().Path() + "." + use
	}
	return hiddenRead{Check: directive.CheckGlobals, What: "the mutable package-level variable", Use: use}
}

// usedReads returns the hidden inputs that using obj in the package's code
// reads: a known source, a package-level variable this package assigns
// (its own or another package's), or a variable of another package of the
// module whose fact says that package assigns it.
func usedReads(pass *analysis.Pass, st *state, obj types.Object, local bool) []hiddenRead {
	if s, ok := sourceOf(obj); ok {
		return []hiddenRead{{Check: s.check, What: s.what, Use: qualified(obj)}}
	}
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil
	}
	if st.mutated[v] {
		return []hiddenRead{globalRead(v, local && v.Pkg() == pass.Pkg)}
	}
	if v.Pkg() != pass.Pkg {
		return importedReads(pass, v)
	}
	return nil
}

// checkHiddenInputs reports the hidden inputs t's function reads, directly,
// through functions of the same package it calls, or through functions of
// other packages of the module, known by their facts (check 3).
func checkHiddenInputs(pass *analysis.Pass, t task, st *state) {
	name := funcName(pass, t.decl)
	var found []hiddenRead
	add := func(reads []hiddenRead) {
		for _, r := range reads {
			if !t.dir.Allows(r.Check) && !slices.ContainsFunc(found, func(f hiddenRead) bool { return f.Check == r.Check }) {
				found = append(found, r)
			}
		}
	}
	visited := make(map[*ast.FuncDecl]bool) // declarations already walked; cuts cycles
	var walk func(fd *ast.FuncDecl)
	walk = func(fd *ast.FuncDecl) {
		// Not into cachegen_gen.go: a wrapper's task is checked under its
		// own directive.
		if fd == nil || fd.Body == nil || visited[fd] || st.genFuncs[fd] {
			return
		}
		visited[fd] = true
		scanBody(pass, fd, func(obj types.Object) {
			add(usedReads(pass, st, obj, true))
		}, func(fn *types.Func) {
			if fn.Pkg() == pass.Pkg {
				walk(st.funcs[fn.Origin()])
			} else {
				add(callReads(pass, fn))
			}
		})
	}
	walk(t.decl)
	pos := position(pass.Fset.File(t.decl.Pos()), t.dir.Pos)
	for _, r := range found {
		pass.Report(analysis.Diagnostic{Pos: pos, Message: r.message(name)})
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

// scanBody calls use for each object fd's body refers to and call for
// each function it calls statically, in source order (a call before the
// identifiers inside it).
func scanBody(pass *analysis.Pass, fd *ast.FuncDecl, use func(types.Object), call func(*types.Func)) {
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if fn, ok := typeutil.Callee(pass.TypesInfo, n).(*types.Func); ok && fn.Pkg() != nil {
				call(fn)
			}
		case *ast.Ident:
			if obj := pass.TypesInfo.Uses[n]; obj != nil {
				use(obj)
			}
		}
		return true
	})
}
