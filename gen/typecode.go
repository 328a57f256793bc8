package gen

import (
	"go/types"

	"github.com/dave/jennifer/jen"

	"github.com/cachegen/cachegen/gen/internal/typecode"
)

// wrapperTypes spells the types of wrapper signatures and result tuples:
// as the user wrote them (aliases by name, type parameters by name).
var wrapperTypes = typecode.Renderer{KeepAliases: true, TypeParams: true}

// typeCode renders t as jennifer code, naming every package through Qual so
// the generated file's imports are managed for it. Aliases keep their own
// name, as the user wrote them.
func typeCode(t types.Type) jen.Code {
	if c, ok := wrapperTypes.Code(t); ok {
		return c
	}
	// Only an invalid type gets here, and a package with one does not
	// reach the emitter; spell it as go/types does.
	return jen.Id(t.String())
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
