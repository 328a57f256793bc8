package keygen

import (
	"go/types"

	"github.com/dave/jennifer/jen"

	"github.com/cachegen/cachegen/gen/internal/typecode"
)

// typeCode returns the code that spells t in the generated package, with
// every foreign name qualified and aliases resolved, or false when the
// package cannot spell it: type parameters, unexported or function-local
// types of other packages, unnamed structs or interfaces with unexported
// names of another package.
func (e *Emitter) typeCode(t types.Type) (jen.Code, bool) {
	return typecode.Renderer{Pkg: e.pkg}.Code(t)
}
