package gen

import (
	"go/types"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// typeCode renders t as jennifer code, naming every package through Qual so
// the generated file's imports are managed for it. Aliases keep their own
// name, as the user wrote them.
func typeCode(t types.Type) jen.Code {
	switch t := t.(type) {
	case *types.Alias:
		obj := t.Obj()
		if obj.Pkg() == nil {
			return jen.Id(obj.Name())
		}
		return withTypeArgs(jen.Qual(obj.Pkg().Path(), obj.Name()), t.TypeArgs())
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() == nil { // error, comparable
			return jen.Id(obj.Name())
		}
		return withTypeArgs(jen.Qual(obj.Pkg().Path(), obj.Name()), t.TypeArgs())
	case *types.Basic:
		return jen.Id(t.Name())
	case *types.TypeParam:
		return jen.Id(t.Obj().Name())
	case *types.Pointer:
		return jen.Op("*").Add(typeCode(t.Elem()))
	case *types.Slice:
		return jen.Index().Add(typeCode(t.Elem()))
	case *types.Array:
		return jen.Index(jen.Lit(int(t.Len()))).Add(typeCode(t.Elem()))
	case *types.Map:
		return jen.Map(typeCode(t.Key())).Add(typeCode(t.Elem()))
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			return jen.Chan().Op("<-").Add(typeCode(t.Elem()))
		case types.RecvOnly:
			return jen.Op("<-").Chan().Add(typeCode(t.Elem()))
		}
		return jen.Chan().Add(typeCode(t.Elem()))
	case *types.Struct:
		fields := make([]jen.Code, t.NumFields())
		for i := range t.NumFields() {
			f := t.Field(i)
			var c *jen.Statement
			if f.Embedded() {
				c = jen.Add(typeCode(f.Type()))
			} else {
				c = jen.Id(f.Name()).Add(typeCode(f.Type()))
			}
			if tag := t.Tag(i); tag != "" {
				c = c.Op(strconv.Quote(tag))
			}
			fields[i] = c
		}
		return jen.Struct(fields...)
	case *types.Signature:
		return jen.Func().Add(signatureCode(t))
	case *types.Interface:
		var methods []jen.Code
		for i := range t.NumEmbeddeds() {
			methods = append(methods, typeCode(t.EmbeddedType(i)))
		}
		for i := range t.NumExplicitMethods() {
			m := t.ExplicitMethod(i)
			methods = append(methods, jen.Id(m.Name()).Add(signatureCode(m.Signature())))
		}
		return jen.Interface(methods...)
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
			c.Add(typeCode(term.Type()))
		}
		return &c
	}
	return jen.Id(t.String())
}

func withTypeArgs(s *jen.Statement, args *types.TypeList) jen.Code {
	if args.Len() == 0 {
		return s
	}
	codes := make([]jen.Code, args.Len())
	for i := range args.Len() {
		codes[i] = typeCode(args.At(i))
	}
	return s.Types(codes...)
}

// signatureCode renders a func type's parameters and results (without "func").
func signatureCode(sig *types.Signature) *jen.Statement {
	var params, results []jen.Code
	for i := range sig.Params().Len() {
		p := sig.Params().At(i)
		if sig.Variadic() && i == sig.Params().Len()-1 {
			params = append(params, jen.Op("...").Add(typeCode(p.Type().(*types.Slice).Elem())))
			continue
		}
		params = append(params, typeCode(p.Type()))
	}
	for i := range sig.Results().Len() {
		results = append(results, typeCode(sig.Results().At(i).Type()))
	}
	s := jen.Params(params...)
	switch len(results) {
	case 0:
	case 1:
		s.Add(results[0])
	default:
		s.Params(results...)
	}
	return s
}

// typeParamsCode renders a type parameter list with constraints ([T any, K comparable]).
func typeParamsCode(tps *types.TypeParamList) []jen.Code {
	codes := make([]jen.Code, tps.Len())
	for i := range tps.Len() {
		tp := tps.At(i)
		codes[i] = jen.Id(tp.Obj().Name()).Add(constraintCode(tp.Constraint()))
	}
	return codes
}

// constraintCode renders a constraint, writing an implicit interface
// (~int | ~string) without its interface{} wrapper.
func constraintCode(t types.Type) jen.Code {
	if it, ok := t.(*types.Interface); ok && it.IsImplicit() && it.NumEmbeddeds() == 1 {
		return typeCode(it.EmbeddedType(0))
	}
	if it, ok := t.(*types.Interface); ok && it.Empty() {
		return jen.Any()
	}
	return typeCode(t)
}
