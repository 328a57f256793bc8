package gen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/cachegen/cachegen/gen/directive"
)

// checkKeyOptions type-checks key= and resolves ignore= against the
// task's parameters, recording errors at the option's position.
func (b *builder) checkKeyOptions(t *typed, d *directive.Directive) {
	keyOpt, hasKey := d.Option("key")
	ignOpt, hasIgnore := d.Option("ignore")
	if hasKey && hasIgnore {
		b.errorf(ignOpt.Pos, "ignore= cannot be combined with key=: the key expression already chooses what counts")
		return
	}
	if hasIgnore {
		names := t.paramNames()
		for _, name := range t.Ignore {
			if slices.Contains(names, name) {
				continue
			}
			if s, ok := directive.Closest(name, names); ok {
				b.errorf(ignOpt.Pos, "ignore=: %s has no parameter %q; did you mean %q?", t.Func, name, s)
			} else {
				b.errorf(ignOpt.Pos, "ignore=: %s has no parameter %q (its parameters: %s)", t.Func, name, strings.Join(names, ", "))
			}
		}
	}
	if hasKey {
		b.checkKeyExpr(t, keyOpt)
	}
}

// paramNames are the names a key option may refer to: the receiver and
// every named parameter.
func (t *typed) paramNames() []string {
	var names []string
	if t.Recv != nil {
		names = append(names, t.Recv.Name)
	}
	for _, p := range t.Params {
		if !p.Blank {
			names = append(names, p.Name)
		}
	}
	return names
}

// checkKeyExpr parses and type-checks key= in the scope of the function's
// parameters, and checks that its value can be hashed.
func (b *builder) checkKeyExpr(t *typed, o directive.Option) {
	expr, err := parser.ParseExpr(o.Value)
	if err != nil {
		b.errorf(o.Pos, "key=: %v", err)
		return
	}
	if t.decl.Body == nil {
		b.errorf(o.Pos, "key=: %s has no body to evaluate the key in", t.Func)
		return
	}
	info := &types.Info{Types: make(map[ast.Expr]types.TypeAndValue), Uses: make(map[*ast.Ident]types.Object)}
	if err := types.CheckExpr(b.pkg.Fset, b.pkg.Types, t.decl.Body.Lbrace+1, expr, info); err != nil {
		msg := err.Error()
		if te, ok := err.(types.Error); ok {
			msg = te.Msg
		}
		b.errorf(o.Pos, "key=%s does not compile: %s", o.Value, msg)
		return
	}
	typ := types.Default(info.TypeOf(expr))
	if err := b.keys.Check(typ); err != nil {
		b.errorf(o.Pos, "key=%s: %v", o.Value, err)
		return
	}
	code, err := exprCode(expr, info)
	if err != nil {
		b.errorf(o.Pos, "key=%s: %v", o.Value, err)
		return
	}
	t.keyExpr, t.keyType, t.keyInfo, t.KeyCode = expr, typ, info, code
}

// leftOut lists the parameters that do not count in the key because of
// key= or ignore=, for the wrapper's documentation.
func (t *typed) leftOut() []string {
	if t.keyExpr == nil {
		return t.Ignore
	}
	used := make(map[string]bool)
	ast.Inspect(t.keyExpr, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := t.keyInfo.Uses[id].(*types.Var); ok && !v.IsField() {
				used[v.Name()] = true
			}
		}
		return true
	})
	var out []string
	for _, name := range t.paramNames() {
		if !used[name] && !isContext(t.paramType(name)) {
			out = append(out, name)
		}
	}
	return out
}

// exprCode renders a key expression as jennifer code, naming imported
// packages through Qual so the generated file imports them itself.
func exprCode(e ast.Expr, info *types.Info) (jen.Code, error) {
	var conv func(ast.Expr) (*jen.Statement, error)
	list := func(es []ast.Expr) ([]jen.Code, error) {
		out := make([]jen.Code, len(es))
		for i, x := range es {
			c, err := conv(x)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	conv = func(e ast.Expr) (*jen.Statement, error) {
		switch e := e.(type) {
		case *ast.Ident:
			return jen.Id(e.Name), nil
		case *ast.BasicLit:
			return jen.Op(e.Value), nil
		case *ast.ParenExpr:
			x, err := conv(e.X)
			return jen.Parens(x), err
		case *ast.SelectorExpr:
			if id, ok := e.X.(*ast.Ident); ok {
				if pn, ok := info.Uses[id].(*types.PkgName); ok {
					return jen.Qual(pn.Imported().Path(), e.Sel.Name), nil
				}
			}
			x, err := conv(e.X)
			return x.Dot(e.Sel.Name), err
		case *ast.StarExpr:
			x, err := conv(e.X)
			return jen.Op("*").Add(x), err
		case *ast.UnaryExpr:
			x, err := conv(e.X)
			return jen.Op(e.Op.String()).Add(x), err
		case *ast.BinaryExpr:
			x, err := conv(e.X)
			if err != nil {
				return nil, err
			}
			y, err := conv(e.Y)
			return x.Op(e.Op.String()).Add(y), err
		case *ast.CallExpr:
			fn, err := conv(e.Fun)
			if err != nil {
				return nil, err
			}
			args, err := list(e.Args)
			if err != nil {
				return nil, err
			}
			if e.Ellipsis != token.NoPos && len(args) > 0 {
				args[len(args)-1] = jen.Add(args[len(args)-1]).Op("...")
			}
			return fn.Call(args...), nil
		case *ast.IndexExpr:
			x, err := conv(e.X)
			if err != nil {
				return nil, err
			}
			i, err := conv(e.Index)
			return x.Index(i), err
		case *ast.SliceExpr:
			x, err := conv(e.X)
			if err != nil {
				return nil, err
			}
			parts, err := list(nonNil(e.Low, e.High, e.Max))
			if err != nil {
				return nil, err
			}
			return x.Index(sliceBounds(e, parts)...), nil
		case *ast.ArrayType:
			if e.Len != nil {
				break
			}
			elt, err := conv(e.Elt)
			return jen.Index().Add(elt), err
		case *ast.CompositeLit:
			typ, err := conv(e.Type)
			if err != nil || e.Type == nil {
				return nil, fmt.Errorf("a composite literal needs its type written out")
			}
			var elems []jen.Code
			for _, el := range e.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					k, err := conv(kv.Key)
					if err != nil {
						return nil, err
					}
					v, err := conv(kv.Value)
					if err != nil {
						return nil, err
					}
					elems = append(elems, jen.Add(k).Op(":").Add(v))
					continue
				}
				c, err := conv(el)
				if err != nil {
					return nil, err
				}
				elems = append(elems, c)
			}
			return typ.Values(elems...), nil
		}
		return nil, fmt.Errorf("%T is not supported in a key expression; call a helper function instead", e)
	}
	return conv(e)
}

func nonNil(es ...ast.Expr) []ast.Expr {
	var out []ast.Expr
	for _, e := range es {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

// sliceBounds places converted bounds back where they were (x[:h], x[l:], x[l:h:m]).
func sliceBounds(e *ast.SliceExpr, parts []jen.Code) []jen.Code {
	out := make([]jen.Code, 0, 3)
	next := func(present bool) jen.Code {
		if !present {
			return jen.Empty()
		}
		c := parts[0]
		parts = parts[1:]
		return c
	}
	out = append(out, next(e.Low != nil), next(e.High != nil))
	if e.Slice3 {
		out = append(out, next(e.Max != nil))
	}
	return out
}
