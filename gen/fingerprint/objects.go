package fingerprint

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"maps"
	"slices"

	"github.com/cespare/xxhash/v2"

	"github.com/cachegen/cachegen/runtime"
)

// objectEntry is the cached hash of one package-level object of a module
// being fingerprinted, with what it refers to.
type objectEntry struct {
	part Part
	// text is the canonical text hashed (kept only when debugging).
	text []byte
	// refs are the package-level objects the object refers to.
	refs []types.Object
	// notFollowed describes the dynamic dependencies of the object.
	notFollowed []string
}

// object returns the (cached) entry of a package-level object or concrete
// method.
func (p *Program) object(obj types.Object) *objectEntry {
	key := objectKey(obj)
	p.mu.Lock()
	e := p.objects[key]
	p.mu.Unlock()
	if e != nil {
		return e
	}
	e = p.hashObject(obj, key)
	p.mu.Lock()
	defer p.mu.Unlock()
	if old := p.objects[key]; old != nil {
		return old // another goroutine won the race; both are equal
	}
	p.objects[key] = e
	return e
}

// hashObject computes the entry of obj, whose key is key.
func (p *Program) hashObject(obj types.Object, key string) *objectEntry {
	ix := p.index(obj.Pkg().Path())
	var info *types.Info
	if ix != nil {
		info = ix.pkg.TypesInfo
	}
	r := newRefs()
	c := &collector{p: p, fset: p.fset, info: info, r: r}
	var buf bytes.Buffer
	var kind runtime.PartKind
	switch o := obj.(type) {
	case *types.Func:
		kind = runtime.PartFunc
		if o.Signature().Recv() != nil {
			kind = runtime.PartMethod
		}
		decl := lookup(ix, func(ix *pkgIndex) *ast.FuncDecl { return ix.funcs[key] })
		if decl == nil {
			return p.noSource(obj, kind, key)
		}
		d := *decl
		d.Doc = nil
		buf.Write(writeAST(info, &d))
		c.collect(&d)
	case *types.Var:
		kind = runtime.PartVar
		spec := lookup(ix, func(ix *pkgIndex) *ast.ValueSpec { return ix.specs[key] })
		if spec == nil {
			return p.noSource(obj, kind, key)
		}
		buf.WriteString("var " + typeText(o.Type(), c.useType) + "\n")
		buf.Write(writeAST(info, spec))
		c.collect(spec)
		if ix.embed[key] {
			r.notFollowed[fmt.Sprintf("embedded files of var %s (%s)", key, shortPos(p.fset, obj.Pos()))] = true
		}
	case *types.Const:
		kind = runtime.PartConst
		fmt.Fprintf(&buf, "const %s = %s %s", typeText(o.Type(), c.useType), o.Val().Kind(), o.Val().ExactString())
		if o.Val().Kind() == constant.Unknown {
			buf.WriteString(" (invalid)")
		}
	case *types.TypeName:
		kind = runtime.PartType
		typeDecl(&buf, o, c.useType)
	default:
		panic(fmt.Sprintf("fingerprint: unexpected object %T %s", obj, key))
	}
	return p.entry(Part{Kind: kind, Name: key, Pos: shortPos(p.fset, obj.Pos())}, buf.Bytes(), r)
}

// lookup finds a declaration in an index that may be missing.
func lookup[T any](ix *pkgIndex, find func(*pkgIndex) *T) *T {
	if ix == nil {
		return nil
	}
	return find(ix)
}

// typeDecl writes a named type's type parameters and underlying structure,
// or an alias's type parameters and right-hand side; named types inside are
// written by name and reported to visit.
func typeDecl(buf *bytes.Buffer, tn *types.TypeName, visit func(*types.TypeName)) {
	w := typeWriter{buf: buf, visit: visit}
	switch t := tn.Type().(type) {
	case *types.Alias:
		buf.WriteString("alias")
		w.typeParams(t.TypeParams())
		buf.WriteString(" = ")
		w.write(t.Rhs())
	case *types.Named:
		buf.WriteString("type")
		w.typeParams(t.TypeParams())
		buf.WriteByte(' ')
		w.write(t.Underlying())
	default:
		buf.WriteString("type ")
		w.write(t)
	}
}

// noSource is the entry of an object of the module whose package was not
// loaded with syntax: only its type counts, and the gap is reported.
func (p *Program) noSource(obj types.Object, kind runtime.PartKind, key string) *objectEntry {
	r := newRefs()
	text := []byte("nosource " + typeText(obj.Type(), func(tn *types.TypeName) { r.objs[objectKey(tn)] = tn }))
	r.notFollowed[fmt.Sprintf("source of %s %s not loaded", kind, key)] = true
	return p.entry(Part{Kind: kind, Name: key, Pos: shortPos(p.fset, obj.Pos())}, text, r)
}

// entry finishes an entry: the hash of text, the refs in a stable order.
func (p *Program) entry(part Part, text []byte, r *refs) *objectEntry {
	part.Hash = hashText(text)
	e := &objectEntry{part: part, notFollowed: slices.Sorted(maps.Keys(r.notFollowed))}
	for _, k := range slices.Sorted(maps.Keys(r.objs)) {
		e.refs = append(e.refs, r.objs[k])
	}
	if p.debug != nil {
		e.text = text
	}
	return e
}

// hashText returns xxhash64 of text as 16 lowercase hex digits.
func hashText(text []byte) string {
	return fmt.Sprintf("%016x", xxhash.Sum64(text))
}
