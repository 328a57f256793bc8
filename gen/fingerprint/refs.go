package fingerprint

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
)

// refs is what a piece of code refers to statically.
type refs struct {
	// objs holds the package-level objects of any package referred to,
	// by object key; instantiated generics appear as their origin.
	objs map[string]types.Object
	// notFollowed holds descriptions of dependencies that cannot be seen
	// statically.
	notFollowed map[string]bool
}

func newRefs() *refs {
	return &refs{objs: make(map[string]types.Object), notFollowed: make(map[string]bool)}
}

// collector gathers the refs of syntax trees of one package.
type collector struct {
	p    *Program
	fset *token.FileSet
	info *types.Info
	r    *refs
	// converted holds the types whose conversion to an interface was
	// already handled.
	converted map[types.Type]bool
}

// collect adds to c.r everything n refers to: identifier uses, selections
// (methods called or used as values, promoted ones included), the named
// types of every expression's type, the methods of values converted to
// interfaces (see conversions.go), and the dynamic calls it makes.
func (c *collector) collect(n ast.Node) {
	if c.info == nil {
		return
	}
	var stack []ast.Node // the nodes from the root to the current one
	enclosing := func() *types.Signature { return enclosingSignature(c.info, stack) }
	ast.Inspect(n, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		c.conversions(n, enclosing)
		switch n := n.(type) {
		case *ast.Ident:
			c.use(c.info.Uses[n])
		case *ast.SelectorExpr:
			c.selection(n)
		case *ast.CallExpr:
			c.call(n)
		}
		if e, ok := n.(ast.Expr); ok {
			if tv, ok := c.info.Types[e]; ok && tv.Type != nil {
				if _, basic := tv.Type.(*types.Basic); !basic {
					c.typ(tv.Type)
				}
			}
		}
		return true
	})
}

// typ adds the named types (and aliases) that occur in t, without looking
// inside named types.
func (c *collector) typ(t types.Type) {
	typeText(t, c.useType)
}

// useType adds a named type or alias met inside a type.
func (c *collector) useType(tn *types.TypeName) { c.use(tn) }

// use adds obj when it is a package-level object or a concrete method.
func (c *collector) use(obj types.Object) {
	switch o := obj.(type) {
	case *types.Func:
		o = o.Origin()
		if isAbstract(o) {
			return // reported by selection as a dynamic call
		}
		if o.Signature().Recv() != nil || isPackageLevel(o) {
			c.r.objs[objectKey(o)] = o
		}
	case *types.Var:
		o = o.Origin()
		if isPackageLevel(o) {
			c.r.objs[objectKey(o)] = o
		}
	case *types.Const, *types.TypeName:
		if isPackageLevel(o) {
			c.r.objs[objectKey(o)] = o
		}
	}
	// nil, *types.PkgName, *types.Builtin, *types.Nil, *types.Label: nothing
	// to follow (the members used of an imported package are uses of their
	// own).
}

// selection notes a method selected through an interface or a type
// parameter: a dynamic call whose target cannot be known statically.
func (c *collector) selection(sel *ast.SelectorExpr) {
	s := c.info.Selections[sel]
	if s == nil {
		return
	}
	f, ok := s.Obj().(*types.Func)
	if !ok || !isAbstract(f) {
		return
	}
	recv := s.Recv()
	if p, ok := recv.(*types.Pointer); ok {
		recv = p.Elem()
	}
	var what string
	if tp, ok := types.Unalias(recv).(*types.TypeParam); ok {
		what = fmt.Sprintf("dynamic call through type parameter %s method %s", tp.Obj().Name(), f.Name())
	} else {
		what = fmt.Sprintf("dynamic call through interface %s.%s",
			types.TypeString(f.Signature().Recv().Type(), nil), f.Name())
	}
	c.r.notFollowed[fmt.Sprintf("%s (%s)", what, c.pos(sel.Sel.Pos()))] = true
}

// call notes a call through a function value: the callee is neither a
// declared function or method, a function literal, a conversion nor a
// builtin.
func (c *collector) call(call *ast.CallExpr) {
	tv := c.info.Types[call.Fun]
	if tv.IsType() || tv.IsBuiltin() {
		return
	}
	fun := ast.Unparen(call.Fun)
	if _, lit := fun.(*ast.FuncLit); lit {
		return
	}
	if id := calleeIdent(fun); id != nil {
		if _, static := c.info.Uses[id].(*types.Func); static {
			return
		}
	}
	what := fmt.Sprintf("dynamic call through function value %s", types.ExprString(call.Fun))
	if tv.Type != nil {
		what += " of type " + types.TypeString(tv.Type, nil)
	}
	c.r.notFollowed[fmt.Sprintf("%s (%s)", what, c.pos(call.Lparen))] = true
}

// calleeIdent returns the identifier naming a callee: f, pkg.f, x.m, f[T].
func calleeIdent(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	case *ast.IndexExpr:
		return calleeIdent(e.X)
	case *ast.IndexListExpr:
		return calleeIdent(e.X)
	}
	return nil
}

// pos formats a position as file.go:LINE (base name only).
func (c *collector) pos(pos token.Pos) string {
	return shortPos(c.fset, pos)
}

func shortPos(fset *token.FileSet, pos token.Pos) string {
	if !pos.IsValid() {
		return ""
	}
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// isAbstract reports whether f is an interface method (it has no body).
func isAbstract(f *types.Func) bool {
	recv := f.Signature().Recv()
	return recv != nil && types.IsInterface(recv.Type())
}

// objectKey names a package-level object or a method: "path.Name" or
// "path.Type.Method" (the same for value and pointer receivers). Keys,
// unlike object identities, are stable across the source and export-data
// views of one package.
func objectKey(obj types.Object) string {
	path := ""
	if obj.Pkg() != nil {
		path = obj.Pkg().Path() + "."
	}
	if f, ok := obj.(*types.Func); ok {
		if recv := f.Signature().Recv(); recv != nil {
			return path + recvName(recv.Type()) + "." + f.Name()
		}
	}
	return path + obj.Name()
}

// recvName returns the name of a receiver's base type.
func recvName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		return t.Obj().Name()
	case *types.Interface:
		return "interface"
	}
	return types.TypeString(t, nil)
}
