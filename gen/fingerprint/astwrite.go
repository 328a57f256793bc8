package fingerprint

import (
	"go/ast"
	"go/types"

	"github.com/cachegen/cachegen/internal/astcanon"
)

// writeAST returns the canonical text of n (package astcanon): layout and
// comments do not count. When info is not nil, identifiers that denote
// package-level objects or imported packages are qualified with their
// package path, so that the same text in a different import context reads
// differently.
func writeAST(info *types.Info, n ast.Node) []byte {
	if info == nil {
		return astcanon.Write(nil, n)
	}
	return astcanon.Write(func(id *ast.Ident) string {
		switch obj := info.Uses[id].(type) {
		case nil:
		case *types.PkgName:
			return " @import:" + obj.Imported().Path()
		default:
			if isPackageLevel(obj) {
				return " @" + obj.Pkg().Path()
			}
		}
		return ""
	}, n)
}

// isPackageLevel reports whether obj is declared at package level of some
// package (not in the universe, a function, or a type).
func isPackageLevel(obj types.Object) bool {
	return obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope()
}
