package keygen

import (
	"fmt"
	"go/token"
	"go/types"
	"strconv"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/go/types/typeutil"
)

// Param is one key parameter of a task: its name (for error messages and the
// key function's doc comment) and its type.
type Param struct {
	Name string
	Type types.Type
}

// Emitter emits the key encoders of one generated file. It is not safe for
// concurrent use.
type Emitter struct {
	pkg   *types.Package
	rt    string
	keyer *types.Interface

	// funcs holds the emitted key functions, in the order KeyFunc made them.
	funcs []jen.Code
	// helpers holds the helper functions, in the order they were first
	// needed; a slot is reserved before the body is emitted.
	helpers []jen.Code
	// helperNames maps a recursive named type to its helper's name.
	helperNames typeutil.Map
	// recursive memoises isRecursive: *types.Named → bool.
	recursive typeutil.Map
	// taken holds every name emitted so far.
	taken map[string]bool
}

// New returns an Emitter for a file generated into package pkg. rt is the
// import path whose exported primitives the generated code calls
// ("github.com/cachegen/cachegen/runtime" in production).
func New(pkg *types.Package, rt string) *Emitter {
	return &Emitter{pkg: pkg, rt: rt, keyer: keyerInterface(), taken: map[string]bool{}}
}

// keyerInterface builds interface{ AppendCacheKey([]byte) []byte }.
func keyerInterface() *types.Interface {
	bytes := types.NewSlice(types.Typ[types.Byte])
	sig := types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "b", bytes)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "", bytes)), false)
	m := types.NewFunc(token.NoPos, nil, "AppendCacheKey", sig)
	return types.NewInterfaceType([]*types.Func{m}, nil).Complete()
}

// KeyFunc emits func name(b []byte, p0 T0, ...) ([]byte, error), which
// appends the encoding of every param in order. It returns Check's error
// for the first parameter that cannot be encoded, naming it, and emits
// nothing in that case.
func (e *Emitter) KeyFunc(name string, params []Param) error {
	if !token.IsIdentifier(name) {
		return fmt.Errorf("key function name %q is not an identifier", name)
	}
	if e.taken[name] {
		return fmt.Errorf("key function %s emitted twice", name)
	}
	for _, p := range params {
		if err := e.Check(p.Type); err != nil {
			return fmt.Errorf("parameter %s: %w", p.Name, err)
		}
	}
	e.taken[name] = true
	g := &fnGen{e: e}
	sig := []jen.Code{jen.Id("b").Index().Byte()}
	var body []jen.Code
	doc := []string{name + " appends the key encoding of its arguments to b."}
	for i, p := range params {
		id := "p" + strconv.Itoa(i)
		x := varExpr(id)
		typ, ok := e.typeCode(p.Type)
		if !ok || hasTypeParam(p.Type) {
			sig = append(sig, jen.Id(id).Any())
			body = append(body, g.appendAny(bufVar("b"), x, 0)...)
		} else {
			sig = append(sig, jen.Id(id).Add(typ))
			body = append(body, g.enc(bufVar("b"), x, p.Type, 0)...)
		}
		doc = append(doc, fmt.Sprintf("%s is parameter %s.", id, p.Name))
	}
	e.funcs = append(e.funcs, comment(doc...).Func().Id(name).Params(sig...).
		Params(jen.Index().Byte(), jen.Error()).Block(g.finish(body)...))
	return nil
}

// Decls returns the emitted key functions, then the helpers they need, in a
// deterministic order, for the caller to add to its *jen.File, one
// declaration (doc comment and function) per element: f.Add(d); f.Line().
func (e *Emitter) Decls() []jen.Code {
	out := make([]jen.Code, 0, len(e.funcs)+len(e.helpers))
	out = append(out, e.funcs...)
	return append(out, e.helpers...)
}

// helperName returns the helper function of recursive named type n,
// emitting it on first use.
func (e *Emitter) helperName(n *types.Named, typ jen.Code) string {
	if name, ok := e.helperNames.At(n).(string); ok {
		return name
	}
	name := e.freshName("cachegenKey" + n.Obj().Name())
	e.helperNames.Set(n, name)
	slot := len(e.helpers)
	e.helpers = append(e.helpers, nil)
	g := &fnGen{e: e, inHelper: true}
	body := g.encUnder(bufVar("b"), derefExpr(varExpr("v")), n, 0)
	e.helpers[slot] = comment(name+" appends the key encoding of *v, which is depth pointers,",
		"slices and maps deep in an argument, to b.").Func().Id(name).Params(jen.Id("b").Index().Byte(), jen.Id("v").Op("*").Add(typ), jen.Id("depth").Int()).
		Params(jen.Index().Byte(), jen.Error()).Block(g.finish(body)...)
	return name
}

// freshName returns base, or base with a number, so that it is declared
// neither in the package nor by this Emitter, and takes it.
func (e *Emitter) freshName(base string) string {
	name := base
	for i := 2; e.taken[name] || e.pkg.Scope().Lookup(name) != nil; i++ {
		name = base + strconv.Itoa(i)
	}
	e.taken[name] = true
	return name
}

// comment returns // comment lines, one per element, each ending a line.
func comment(lines ...string) *jen.Statement {
	s := jen.Null()
	for _, l := range lines {
		s.Comment(l).Line()
	}
	return s
}
