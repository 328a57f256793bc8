package keygen

import (
	"go/types"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// typeCode returns the code that spells t in the generated package, with
// every foreign name qualified, or false when the package cannot spell it:
// type parameters, unexported or function-local types of other packages,
// unnamed structs or interfaces with unexported names of another package.
func (e *Emitter) typeCode(t types.Type) (jen.Code, bool) {
	switch t := t.(type) {
	case *types.Alias:
		return e.typeCode(types.Unalias(t))
	case *types.Basic:
		switch {
		case t.Kind() == types.UnsafePointer:
			return jen.Qual("unsafe", "Pointer"), true
		case t.Kind() == types.Invalid || t.Info()&types.IsUntyped != 0:
			return nil, false
		}
		return jen.Id(t.Name()), true
	case *types.Named:
		return e.namedCode(t)
	case *types.Pointer:
		return e.wrap(t.Elem(), func(c jen.Code) jen.Code { return jen.Op("*").Add(c) })
	case *types.Slice:
		return e.wrap(t.Elem(), func(c jen.Code) jen.Code { return jen.Index().Add(c) })
	case *types.Array:
		return e.wrap(t.Elem(), func(c jen.Code) jen.Code { return jen.Index(jen.Lit(int(t.Len()))).Add(c) })
	case *types.Map:
		key, ok := e.typeCode(t.Key())
		if !ok {
			return nil, false
		}
		return e.wrap(t.Elem(), func(c jen.Code) jen.Code { return jen.Map(key).Add(c) })
	case *types.Chan:
		return e.wrap(t.Elem(), func(c jen.Code) jen.Code {
			switch t.Dir() {
			case types.SendOnly:
				return jen.Chan().Op("<-").Add(c)
			case types.RecvOnly:
				return jen.Op("<-").Chan().Add(c)
			}
			return jen.Chan().Add(c)
		})
	case *types.Struct:
		return e.structCode(t)
	case *types.Interface:
		return e.interfaceCode(t)
	case *types.Signature:
		return e.signatureCode(jen.Func(), t)
	}
	return nil, false
}

// wrap spells elem and hands it to f.
func (e *Emitter) wrap(elem types.Type, f func(jen.Code) jen.Code) (jen.Code, bool) {
	c, ok := e.typeCode(elem)
	if !ok {
		return nil, false
	}
	return f(c), true
}

// visible reports whether the generated package may name obj.
func (e *Emitter) visible(obj types.Object) bool {
	return obj.Pkg() == nil || obj.Exported() || obj.Pkg().Path() == e.pkg.Path()
}

func (e *Emitter) namedCode(t *types.Named) (jen.Code, bool) {
	obj := t.Obj()
	if !e.visible(obj) {
		return nil, false
	}
	if obj.Pkg() == nil { // error, comparable
		return jen.Id(obj.Name()), true
	}
	if obj.Parent() != nil && obj.Parent() != obj.Pkg().Scope() {
		return nil, false // declared inside a function
	}
	code := jen.Qual(obj.Pkg().Path(), obj.Name())
	if t.TypeArgs().Len() == 0 {
		return code, true
	}
	var args []jen.Code
	for a := range t.TypeArgs().Types() {
		c, ok := e.typeCode(a)
		if !ok {
			return nil, false
		}
		args = append(args, c)
	}
	return code.Types(args...), true
}

func (e *Emitter) structCode(t *types.Struct) (jen.Code, bool) {
	var fields []jen.Code
	for i := range t.NumFields() {
		f := t.Field(i)
		if !e.visible(f) {
			return nil, false
		}
		c, ok := e.typeCode(f.Type())
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

func (e *Emitter) interfaceCode(t *types.Interface) (jen.Code, bool) {
	var elems []jen.Code
	for i := range t.NumEmbeddeds() {
		c, ok := e.typeCode(t.EmbeddedType(i))
		if !ok {
			return nil, false
		}
		elems = append(elems, c)
	}
	for i := range t.NumExplicitMethods() {
		m := t.ExplicitMethod(i)
		if !e.visible(m) {
			return nil, false
		}
		c, ok := e.signatureCode(jen.Id(m.Name()), m.Type().(*types.Signature))
		if !ok {
			return nil, false
		}
		elems = append(elems, c)
	}
	return jen.Interface(elems...), true
}

// signatureCode spells sig's parameters and results after head (func, or a
// method name).
func (e *Emitter) signatureCode(head *jen.Statement, sig *types.Signature) (jen.Code, bool) {
	tuple := func(tu *types.Tuple, variadic bool) ([]jen.Code, bool) {
		var out []jen.Code
		for i := range tu.Len() {
			t := tu.At(i).Type()
			if variadic && i == tu.Len()-1 {
				c, ok := e.typeCode(t.(*types.Slice).Elem())
				if !ok {
					return nil, false
				}
				out = append(out, jen.Op("...").Add(c))
				continue
			}
			c, ok := e.typeCode(t)
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
	return head.Params(params...).Params(results...), true
}
