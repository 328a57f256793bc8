package fingerprint

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// Interface conversions.
//
// A value converted to an interface can have its methods called by code we
// do not follow: sort.Sort calls Less, fmt calls String, encoding/json calls
// MarshalJSON. So wherever reached code converts a value of a concrete type
// to an interface (explicitly, or implicitly in a call argument, an
// assignment, a variable declaration, a return, a composite literal
// element, a send, or panic and append), every method of the type (value
// and pointer receivers, promoted ones included) and of the named types
// nested in its fields and elements is followed as if called.
// This over-approximates: a change to any method of such a type changes
// the fingerprint.

// conversions notes the interface conversions that n makes itself. enclosing
// returns the signature of the innermost function around n.
func (c *collector) conversions(n ast.Node, enclosing func() *types.Signature) {
	switch n := n.(type) {
	case *ast.CallExpr:
		c.callConversions(n)
	case *ast.AssignStmt:
		if n.Tok == token.ASSIGN {
			c.assign(c.types(n.Lhs), n.Rhs)
		}
	case *ast.ValueSpec:
		if n.Type != nil {
			t := c.info.TypeOf(n.Type)
			to := make([]types.Type, len(n.Names))
			for i := range to {
				to[i] = t
			}
			c.assign(to, n.Values)
		}
	case *ast.ReturnStmt:
		if sig := enclosing(); sig != nil {
			c.assign(tupleTypes(sig.Results()), n.Results)
		}
	case *ast.SendStmt:
		if ch, ok := c.under(n.Chan).(*types.Chan); ok {
			c.convert(c.info.TypeOf(n.Value), ch.Elem())
		}
	case *ast.CompositeLit:
		c.literalConversions(n)
	}
}

// assign notes the conversions of values to the types of their targets,
// including a single multi-valued expression (a, b = f()).
func (c *collector) assign(to []types.Type, values []ast.Expr) {
	from := c.types(values)
	if len(values) == 1 && len(to) > 1 {
		if tuple, ok := c.info.TypeOf(values[0]).(*types.Tuple); ok {
			from = tupleTypes(tuple)
		}
	}
	for i := range min(len(to), len(from)) {
		c.convert(from[i], to[i])
	}
}

// callConversions notes the conversions of a call's arguments to its
// parameters, and of an explicit conversion's operand.
func (c *collector) callConversions(call *ast.CallExpr) {
	tv := c.info.Types[call.Fun]
	switch {
	case tv.IsType():
		if len(call.Args) == 1 {
			c.convert(c.info.TypeOf(call.Args[0]), tv.Type)
		}
		return
	case tv.IsBuiltin():
		c.builtinConversions(call)
		return
	}
	sig, ok := c.under(call.Fun).(*types.Signature)
	if !ok {
		return
	}
	params := tupleTypes(sig.Params())
	if sig.Variadic() && !call.Ellipsis.IsValid() && len(params) > 0 {
		if last, ok := params[len(params)-1].Underlying().(*types.Slice); ok {
			params = params[:len(params)-1]
			for len(params) < len(call.Args) {
				params = append(params, last.Elem())
			}
		}
	}
	c.assign(params, call.Args)
}

// builtinConversions handles the builtins that convert: panic's operand to
// any, append's elements to the slice's element type.
func (c *collector) builtinConversions(call *ast.CallExpr) {
	id, _ := ast.Unparen(call.Fun).(*ast.Ident)
	if id == nil || len(call.Args) == 0 {
		return
	}
	switch id.Name {
	case "panic":
		c.convert(c.info.TypeOf(call.Args[0]), types.Universe.Lookup("any").Type())
	case "append":
		if s, ok := c.under(call.Args[0]).(*types.Slice); ok && !call.Ellipsis.IsValid() {
			for _, a := range call.Args[1:] {
				c.convert(c.info.TypeOf(a), s.Elem())
			}
		}
	}
}

// literalConversions notes the conversions of a composite literal's
// elements to its field, element and key types.
func (c *collector) literalConversions(lit *ast.CompositeLit) {
	t := c.under(lit)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem().Underlying()
	}
	for i, e := range lit.Elts {
		key, value := ast.Expr(nil), e
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			key, value = kv.Key, kv.Value
		}
		switch t := t.(type) {
		case *types.Struct:
			if id, ok := key.(*ast.Ident); ok {
				for f := range t.Fields() {
					if f.Name() == id.Name {
						c.convert(c.info.TypeOf(value), f.Type())
					}
				}
			} else if key == nil && i < t.NumFields() {
				c.convert(c.info.TypeOf(value), t.Field(i).Type())
			}
		case *types.Slice:
			c.convert(c.info.TypeOf(value), t.Elem())
		case *types.Array:
			c.convert(c.info.TypeOf(value), t.Elem())
		case *types.Map:
			if key != nil {
				c.convert(c.info.TypeOf(key), t.Key())
			}
			c.convert(c.info.TypeOf(value), t.Elem())
		}
	}
}

// convert follows the methods of from, and of every named type inside it
// (fields, elements), when a from value becomes a to interface: reflective
// code such as encoding/json and fmt calls the methods of nested values
// too. Standard-library types are not looked into.
func (c *collector) convert(from, to types.Type) {
	if from == nil || to == nil || !types.IsInterface(to) || types.IsInterface(from) {
		return
	}
	if _, tuple := from.(*types.Tuple); tuple || c.converted[from] {
		return
	}
	if c.converted == nil {
		c.converted = make(map[types.Type]bool)
	}
	c.converted[from] = true
	c.methods(from)
	c.nested(from, make(map[*types.Named]bool))
}

// methods follows the methods of t and *t, promoted ones included.
func (c *collector) methods(t types.Type) {
	for _, sel := range typeutil.IntuitiveMethodSet(t, nil) {
		c.use(sel.Obj())
	}
}

// nested follows the methods of the named types inside t's structure.
func (c *collector) nested(t types.Type, seen map[*types.Named]bool) {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		if seen[t] {
			return
		}
		seen[t] = true
		c.methods(t)
		if obj := t.Obj(); obj.Pkg() == nil || c.p.moduleOf(obj.Pkg().Path()) == nil {
			return // predeclared or standard library
		}
		c.nested(t.Underlying(), seen)
	case *types.Pointer:
		c.nested(t.Elem(), seen)
	case *types.Slice:
		c.nested(t.Elem(), seen)
	case *types.Array:
		c.nested(t.Elem(), seen)
	case *types.Map:
		c.nested(t.Key(), seen)
		c.nested(t.Elem(), seen)
	case *types.Struct:
		for f := range t.Fields() {
			c.nested(f.Type(), seen)
		}
	}
	// Basic, Chan, Signature, Interface, TypeParam, Tuple, Union: no
	// values whose methods reflective code would call.
}

// types returns the types of expressions (nil where unknown).
func (c *collector) types(es []ast.Expr) []types.Type {
	ts := make([]types.Type, len(es))
	for i, e := range es {
		ts[i] = c.info.TypeOf(e)
	}
	return ts
}

// under returns the underlying type of an expression's type, or nil.
func (c *collector) under(e ast.Expr) types.Type {
	if t := c.info.TypeOf(e); t != nil {
		return t.Underlying()
	}
	return nil
}

// tupleTypes returns the types of a tuple's variables.
func tupleTypes(t *types.Tuple) []types.Type {
	ts := make([]types.Type, t.Len())
	for i := range ts {
		ts[i] = t.At(i).Type()
	}
	return ts
}

// enclosingSignature returns the signature of the innermost function
// literal or declaration on a stack of nodes.
func enclosingSignature(info *types.Info, stack []ast.Node) *types.Signature {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FuncLit:
			sig, _ := info.TypeOf(n).(*types.Signature)
			return sig
		case *ast.FuncDecl:
			if f, ok := info.Defs[n.Name].(*types.Func); ok {
				return f.Signature()
			}
			return nil
		}
	}
	return nil
}
