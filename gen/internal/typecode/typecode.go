package typecode

import (
	"go/types"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// Renderer spells types for a generated file. The zero value spells every
// type, resolving aliases, and refuses type parameters.
type Renderer struct {
	// Pkg is the generated file's package. When set, a type the package
	// cannot name (an unexported or function-local type of another
	// package, or a struct or interface with unexported names of another
	// package) is not spelled.
	Pkg *types.Package
	// KeepAliases spells an alias by its own name, as the user wrote it,
	// instead of the type it stands for.
	KeepAliases bool
	// TypeParams spells type parameters by name (in generic generated
	// code); otherwise a type that mentions one is not spelled.
	TypeParams bool
}

// Code returns the code that spells t, or false when the renderer cannot
// spell it.
func (r Renderer) Code(t types.Type) (jen.Code, bool) {
	switch t := t.(type) {
	case *types.Alias:
		if !r.KeepAliases {
			return r.Code(types.Unalias(t))
		}
		return r.name(t.Obj(), t.TypeArgs())
	case *types.Basic:
		switch {
		case t.Kind() == types.UnsafePointer:
			return jen.Qual("unsafe", "Pointer"), true
		case t.Kind() == types.Invalid || t.Info()&types.IsUntyped != 0:
			return nil, false
		}
		return jen.Id(t.Name()), true
	case *types.Named:
		return r.name(t.Obj(), t.TypeArgs())
	case *types.TypeParam:
		if !r.TypeParams {
			return nil, false
		}
		return jen.Id(t.Obj().Name()), true
	case *types.Pointer:
		return r.wrap(t.Elem(), func(c jen.Code) jen.Code { return jen.Op("*").Add(c) })
	case *types.Slice:
		return r.wrap(t.Elem(), func(c jen.Code) jen.Code { return jen.Index().Add(c) })
	case *types.Array:
		return r.wrap(t.Elem(), func(c jen.Code) jen.Code { return jen.Index(jen.Lit(int(t.Len()))).Add(c) })
	case *types.Map:
		key, ok := r.Code(t.Key())
		if !ok {
			return nil, false
		}
		return r.wrap(t.Elem(), func(c jen.Code) jen.Code { return jen.Map(key).Add(c) })
	case *types.Chan:
		return r.wrap(t.Elem(), func(c jen.Code) jen.Code {
			switch t.Dir() {
			case types.SendOnly:
				return jen.Chan().Op("<-").Add(c)
			case types.RecvOnly:
				return jen.Op("<-").Chan().Add(c)
			}
			return jen.Chan().Add(c)
		})
	case *types.Struct:
		return r.structCode(t)
	case *types.Interface:
		return r.interfaceCode(t)
	case *types.Signature:
		return r.Signature(jen.Func(), t)
	case *types.Union:
		var c jen.Statement
		for i := range t.Len() {
			if i > 0 {
				c.Op("|")
			}
			term := t.Term(i)
			if term.Tilde() {
				c.Op("~")
			}
			tc, ok := r.Code(term.Type())
			if !ok {
				return nil, false
			}
			c.Add(tc)
		}
		return &c, true
	}
	return nil, false
}

// wrap spells elem and hands it to f.
func (r Renderer) wrap(elem types.Type, f func(jen.Code) jen.Code) (jen.Code, bool) {
	c, ok := r.Code(elem)
	if !ok {
		return nil, false
	}
	return f(c), true
}

// visible reports whether the generated package may name obj.
func (r Renderer) visible(obj types.Object) bool {
	return r.Pkg == nil || obj.Pkg() == nil || obj.Exported() || obj.Pkg().Path() == r.Pkg.Path()
}

// name spells a named type or alias with its type arguments.
func (r Renderer) name(obj *types.TypeName, args *types.TypeList) (jen.Code, bool) {
	if obj.Pkg() == nil { // error, comparable, any
		return jen.Id(obj.Name()), true
	}
	if !r.visible(obj) {
		return nil, false
	}
	if r.Pkg != nil && obj.Parent() != nil && obj.Parent() != obj.Pkg().Scope() {
		return nil, false // declared inside a function
	}
	code := jen.Qual(obj.Pkg().Path(), obj.Name())
	if args.Len() == 0 {
		return code, true
	}
	var codes []jen.Code
	for a := range args.Types() {
		c, ok := r.Code(a)
		if !ok {
			return nil, false
		}
		codes = append(codes, c)
	}
	return code.Types(codes...), true
}

func (r Renderer) structCode(t *types.Struct) (jen.Code, bool) {
	var fields []jen.Code
	for i := range t.NumFields() {
		f := t.Field(i)
		if !r.visible(f) {
			return nil, false
		}
		c, ok := r.Code(f.Type())
		if !ok {
			return nil, false
		}
		field := jen.Add(c)
		if !f.Embedded() {
			field = jen.Id(f.Name()).Add(c)
		}
		if tag := t.Tag(i); tag != "" {
			// Spelled as written (jen's Tag would re-order keys and so
			// change the type's identity).
			field.Id(strconv.Quote(tag))
		}
		fields = append(fields, field)
	}
	return jen.Struct(fields...), true
}

func (r Renderer) interfaceCode(t *types.Interface) (jen.Code, bool) {
	var elems []jen.Code
	for i := range t.NumEmbeddeds() {
		c, ok := r.Code(t.EmbeddedType(i))
		if !ok {
			return nil, false
		}
		elems = append(elems, c)
	}
	for i := range t.NumExplicitMethods() {
		m := t.ExplicitMethod(i)
		if !r.visible(m) {
			return nil, false
		}
		c, ok := r.Signature(jen.Id(m.Name()), m.Signature())
		if !ok {
			return nil, false
		}
		elems = append(elems, c)
	}
	return jen.Interface(elems...), true
}

// Signature spells sig's parameters and results after head (func, or a
// method name).
func (r Renderer) Signature(head *jen.Statement, sig *types.Signature) (*jen.Statement, bool) {
	tuple := func(tu *types.Tuple, variadic bool) ([]jen.Code, bool) {
		var out []jen.Code
		for i := range tu.Len() {
			t := tu.At(i).Type()
			if variadic && i == tu.Len()-1 {
				c, ok := r.Code(t.(*types.Slice).Elem())
				if !ok {
					return nil, false
				}
				out = append(out, jen.Op("...").Add(c))
				continue
			}
			c, ok := r.Code(t)
			if !ok {
				return nil, false
			}
			out = append(out, c)
		}
		return out, true
	}
	params, ok := tuple(sig.Params(), sig.Variadic())
	if !ok {
		return nil, false
	}
	results, ok := tuple(sig.Results(), false)
	if !ok {
		return nil, false
	}
	head = head.Params(params...)
	switch len(results) {
	case 0:
	case 1:
		head.Add(results[0])
	default:
		head.Params(results...)
	}
	return head, true
}

// IsNamed reports whether t (or the type an alias of it names) is the
// named type path.name, such as time.Time or context.Context.
func IsNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == path && obj.Name() == name
}
