package keygen

import (
	"go/types"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// maxDepth is keyenc.MaxDepth (runtime/internal/keyenc cannot be imported
// from here): the deepest nesting of pointers, slices and maps allowed.
const maxDepth = 1000

// expr is an addressable Go expression of the value being encoded. Each
// call returns fresh code: jennifer statements grow in place when extended.
type expr struct {
	val func() *jen.Statement
	// ptr, when set, is a pointer expression and val is *ptr: fields are
	// then selected and addresses taken through ptr directly, and other
	// selectors parenthesize val.
	ptr func() *jen.Statement
}

func varExpr(name string) expr {
	return expr{val: func() *jen.Statement { return jen.Id(name) }}
}

func derefExpr(p expr) expr {
	return expr{
		val: func() *jen.Statement { return jen.Op("*").Add(p.val()) },
		ptr: p.val,
	}
}

func (x expr) field(name string) expr {
	sel := x.val
	if x.ptr != nil {
		sel = x.ptr
	}
	return expr{val: func() *jen.Statement { return sel().Dot(name) }}
}

// operand returns val, parenthesized when it is *ptr, for a selector or an
// index to follow.
func (x expr) operand() *jen.Statement {
	if x.ptr != nil {
		return jen.Parens(x.val())
	}
	return x.val()
}

func (x expr) index(i string) expr {
	return expr{val: func() *jen.Statement { return x.operand().Index(jen.Id(i)) }}
}

func (x expr) addr() *jen.Statement {
	if x.ptr != nil {
		return x.ptr()
	}
	return jen.Op("&").Add(x.val())
}

// buf is the byte slice being appended to: b, or a map's scratch m1.Buf.
type buf func() *jen.Statement

func bufVar(name string) buf { return func() *jen.Statement { return jen.Id(name) } }

func mapBuf(m string) buf { return func() *jen.Statement { return jen.Id(m).Dot("Buf") } }

// fnGen emits the body of one key function or helper.
type fnGen struct {
	e *Emitter
	// inHelper reports that the function has a depth parameter (a helper of
	// a recursive type); in a key function depth is 0 at each parameter.
	inHelper bool
	// locals counts the local variables declared, to name them uniquely.
	locals int
	// usesErr reports that the body assigns to err, declared by finish.
	usesErr bool
}

// local returns a fresh local variable name with the given prefix. Key
// function parameters are p0, p1…, so prefixes never start with p.
func (g *fnGen) local(prefix string) string {
	g.locals++
	return prefix + strconv.Itoa(g.locals)
}

// finish completes a body: it declares err if used and returns b.
func (g *fnGen) finish(body []jen.Code) []jen.Code {
	var out []jen.Code
	if g.usesErr {
		out = append(out, jen.Var().Id("err").Error())
	}
	out = append(out, body...)
	return append(out, jen.Return(jen.Id("b"), jen.Nil()))
}

func (g *fnGen) rt(name string) *jen.Statement { return jen.Qual(g.e.rt, name) }

// call emits bf = rt.name(bf, args...).
func (g *fnGen) call(bf buf, name string, args ...jen.Code) jen.Code {
	return bf().Op("=").Add(g.rt(name)).Call(append([]jen.Code{bf()}, args...)...)
}

// callErr emits if bf, err = fn(bf, args...); err != nil { return nil, err }.
func (g *fnGen) callErr(bf buf, fn *jen.Statement, args ...jen.Code) jen.Code {
	g.usesErr = true
	return jen.If(bf().Op(",").Id("err").Op("=").Add(fn).Call(append([]jen.Code{bf()}, args...)...),
		jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err")))
}

// depth returns the code of the depth d levels below the function's own.
func (g *fnGen) depth(d int) jen.Code {
	if !g.inHelper {
		return jen.Lit(d)
	}
	if d == 0 {
		return jen.Id("depth")
	}
	return jen.Id("depth").Op("+").Lit(d)
}

// checkDepth emits the depth check on entering a pointer, slice or map at
// depth d, where it can fail.
func (g *fnGen) checkDepth(d int) []jen.Code {
	if !g.inHelper && d <= maxDepth {
		return nil
	}
	g.usesErr = true
	return []jen.Code{jen.If(jen.Err().Op("=").Add(g.rt("CheckDepth")).Call(g.depth(d)),
		jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Err()))}
}

// appendAny emits the reflective encoding of x at depth d.
func (g *fnGen) appendAny(bf buf, x expr, d int) []jen.Code {
	return []jen.Code{g.callErr(bf, g.rt("AppendAnyDepth"), x.val(), g.depth(d))}
}

// enc emits code appending the encoding of x, of type t, to bf; x is d
// pointers, slices and maps below the function's own depth.
func (g *fnGen) enc(bf buf, x expr, t types.Type, d int) []jen.Code {
	t = types.Unalias(t)
	switch {
	case hasTypeParam(t):
		return g.appendAny(bf, x, d)
	case g.e.isKeyer(t):
		return g.keyer(bf, x, t)
	case isTime(t):
		return []jen.Code{g.call(bf, "AppendTime", x.val())}
	}
	if n, ok := t.(*types.Named); ok && g.e.isRecursive(n) {
		typ, ok := g.e.typeCode(n)
		if !ok {
			return g.appendAny(bf, x, d)
		}
		return []jen.Code{g.callErr(bf, jen.Id(g.e.helperName(n, typ)), x.addr(), g.depth(d))}
	}
	return g.encUnder(bf, x, t, d)
}

// keyer emits the length-prefixed AppendCacheKey call of a Keyer.
func (g *fnGen) keyer(bf buf, x expr, t types.Type) []jen.Code {
	start := g.local("n")
	call := bf().Op("=").Add(x.operand()).Dot("AppendCacheKey").Call(bf())
	if types.IsInterface(t) {
		call = jen.If(x.val().Op("!=").Nil()).Block(call)
	}
	return []jen.Code{
		jen.Id(start).Op(":=").Len(bf()),
		g.call(bf, "BeginKeyer"),
		call,
		g.call(bf, "EndKeyer", jen.Id(start)),
	}
}

// encUnder emits the encoding of x by the kind of t's underlying type,
// without the Keyer, time.Time and helper rules (a helper's own body).
func (g *fnGen) encUnder(bf buf, x expr, t types.Type, d int) []jen.Code {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return []jen.Code{g.basic(bf, x, t, u)}
	case *types.Pointer:
		return append(g.checkDepth(d+1), jen.If(x.val().Op("==").Nil()).
			Block(g.call(bf, "AppendNil")).
			Else().Block(append([]jen.Code{g.call(bf, "AppendNonNil")},
			g.enc(bf, derefExpr(x), u.Elem(), d+1)...)...))
	case *types.Slice:
		return append(g.checkDepth(d+1), jen.If(x.val().Op("==").Nil()).
			Block(g.call(bf, "AppendNil")).
			Else().Block(append([]jen.Code{g.call(bf, "AppendNonNil")}, g.slice(bf, x, u, d+1)...)...))
	case *types.Array:
		return g.array(bf, x, u, d)
	case *types.Map:
		return append(g.checkDepth(d+1), jen.If(x.val().Op("==").Nil()).
			Block(g.call(bf, "AppendNil")).
			Else().Block(g.mapBody(bf, x, u, d+1)...))
	case *types.Struct:
		var out []jen.Code
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" {
				out = append(out, g.enc(bf, x.field(f.Name()), f.Type(), d)...)
			}
		}
		return out
	}
	panic("keygen: encUnder of unchecked type " + t.String()) // Check rejects the rest
}

// basic emits the primitive call for a value of basic underlying type u.
func (g *fnGen) basic(bf buf, x expr, t types.Type, u *types.Basic) jen.Code {
	conv := func(to types.BasicKind, name string) jen.Code {
		if types.Identical(t, types.Typ[to]) {
			return x.val()
		}
		return jen.Id(name).Call(x.val())
	}
	info := u.Info()
	switch {
	case info&types.IsBoolean != 0:
		return g.call(bf, "AppendBool", conv(types.Bool, "bool"))
	case info&types.IsUnsigned != 0:
		return g.call(bf, "AppendUint", conv(types.Uint64, "uint64"))
	case info&types.IsInteger != 0:
		return g.call(bf, "AppendInt", conv(types.Int64, "int64"))
	case info&types.IsFloat != 0:
		return g.call(bf, "AppendFloat", conv(types.Float64, "float64"))
	case info&types.IsComplex != 0:
		return g.call(bf, "AppendComplex", conv(types.Complex128, "complex128"))
	case info&types.IsString != 0:
		return g.call(bf, "AppendString", conv(types.String, "string"))
	}
	panic("keygen: basic of unchecked type " + t.String())
}

// isByte reports whether t is exactly byte (uint8), so a slice of it
// converts to []byte.
func isByte(t types.Type) bool { return types.Identical(t, types.Typ[types.Uint8]) }

// byteLoop emits the append of every element of x converted to byte.
func (g *fnGen) byteLoop(bf buf, x expr) jen.Code {
	e := g.local("e")
	return jen.For(jen.List(jen.Id("_"), jen.Id(e)).Op(":=").Range().Add(x.val())).
		Block(bf().Op("=").Append(bf(), jen.Byte().Call(jen.Id(e))))
}

// slice emits the length and elements of non-nil slice x, at depth d.
func (g *fnGen) slice(bf buf, x expr, u *types.Slice, d int) []jen.Code {
	elem := u.Elem()
	switch {
	case g.e.rawBytes(elem) && isByte(elem):
		return []jen.Code{g.call(bf, "AppendBytes", x.val())}
	case g.e.rawBytes(elem):
		return []jen.Code{g.call(bf, "AppendLen", jen.Len(x.val())), g.byteLoop(bf, x)}
	}
	out := []jen.Code{g.call(bf, "AppendLen", jen.Len(x.val()))}
	if g.e.isEmpty(elem) {
		return out
	}
	i := g.local("i")
	return append(out, jen.For(jen.Id(i).Op(":=").Range().Add(x.val())).
		Block(g.enc(bf, x.index(i), elem, d)...))
}

// array emits the elements of array x, at depth d.
func (g *fnGen) array(bf buf, x expr, u *types.Array, d int) []jen.Code {
	elem := u.Elem()
	switch {
	case u.Len() == 0:
		return nil
	case g.e.rawBytes(elem) && isByte(elem):
		return []jen.Code{bf().Op("=").Append(bf(), x.operand().Index(jen.Op(":")).Op("..."))}
	case g.e.rawBytes(elem):
		return []jen.Code{g.byteLoop(bf, x)}
	case g.e.isEmpty(elem):
		return nil
	}
	i := g.local("i")
	return []jen.Code{jen.For(jen.Id(i).Op(":=").Range().Add(x.val())).
		Block(g.enc(bf, x.index(i), elem, d)...)}
}

// mapBody emits the marker, length and sorted entries of non-nil map x,
// whose entries are at depth d.
func (g *fnGen) mapBody(bf buf, x expr, u *types.Map, d int) []jen.Code {
	m := g.local("m")
	k, v := "_", "_"
	var loop []jen.Code
	if !g.e.isEmpty(u.Key()) {
		k = g.local("k")
		loop = append(loop, g.enc(mapBuf(m), varExpr(k), u.Key(), d)...)
	}
	loop = append(loop, jen.Id(m).Dot("EndKey").Call())
	if !g.e.isEmpty(u.Elem()) {
		v = g.local("v")
		loop = append(loop, g.enc(mapBuf(m), varExpr(v), u.Elem(), d)...)
	}
	loop = append(loop, jen.Id(m).Dot("EndValue").Call())
	vars := jen.Range().Add(x.val())
	switch {
	case v != "_":
		vars = jen.List(jen.Id(k), jen.Id(v)).Op(":=").Add(vars)
	case k != "_":
		vars = jen.Id(k).Op(":=").Add(vars)
	}
	return []jen.Code{
		g.call(bf, "AppendNonNil"),
		g.call(bf, "AppendLen", jen.Len(x.val())),
		jen.Var().Id(m).Add(g.rt("MapEntries")),
		jen.For(vars).Block(loop...),
		bf().Op("=").Add(jen.Id(m).Dot("AppendSorted").Call(bf())),
	}
}
