package directive

import (
	"fmt"
	"go/ast"
	"go/token"

	"github.com/cachegen/cachegen/internal/srchash"
)

// Found is a function or method carrying directives.
type Found struct {
	Decl       *ast.FuncDecl
	Directives []*Directive // in source order, at most one of each Kind
}

// File finds the directives of one file parsed with parser.ParseComments:
// every directive and near-miss in any comment of the file.
//
// Found lists the top-level functions and methods whose doc comments carry
// directives, in source order. It includes directives whose options had
// errors (with the options that parsed cleanly), so that a caller such as
// the analyzer can still match them to wrappers; a generator must stop on
// any error. A directive outside the doc comment of a top-level function
// or method, and a second directive of the same kind on one function, are
// errors and are left out of Found. The errors are sorted by position.
func File(fset *token.FileSet, f *ast.File) ([]Found, []*Error) {
	docs := make(map[*ast.CommentGroup]*ast.FuncDecl)
	for _, decl := range f.Decls {
		if fd, ok := decl.(*ast.FuncDecl); ok && fd.Doc != nil {
			docs[fd.Doc] = fd
		}
	}
	var (
		found []Found
		index = make(map[*ast.FuncDecl]int) // into found
		errs  []*Error
	)
	for _, g := range f.Comments {
		fd := docs[g]
		for _, c := range g.List {
			d, derrs := Parse(c.Text, fset.Position(c.Slash))
			errs = append(errs, derrs...)
			if d == nil {
				continue
			}
			if fd == nil {
				errs = append(errs, &Error{Pos: d.Pos, Msg: fmt.Sprintf(
					"//%s must be in the doc comment of a top-level function or method", d.Kind)})
				continue
			}
			i, ok := index[fd]
			if !ok {
				i = len(found)
				index[fd] = i
				found = append(found, Found{Decl: fd})
			}
			if prev := found[i].kind(d.Kind); prev != nil {
				errs = append(errs, &Error{Pos: d.Pos, Msg: fmt.Sprintf(
					"duplicate //%s on %s; the first is at line %d", d.Kind, FuncName(fd), prev.Pos.Line)})
				continue
			}
			found[i].Directives = append(found[i].Directives, d)
		}
	}
	Sort(errs)
	return found, errs
}

// kind returns the directive of kind k, or nil.
func (f *Found) kind(k Kind) *Directive {
	for _, d := range f.Directives {
		if d.Kind == k {
			return d
		}
	}
	return nil
}

// FuncName names a function for messages: "F" for a function, "T.M" for a
// method of T or *T (type parameters dropped), as written. It is the name
// a task's recorded sources use (internal/srchash).
func FuncName(fd *ast.FuncDecl) string { return srchash.FuncName(fd) }
