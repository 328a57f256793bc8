package keygen

import (
	"bytes"
	"fmt"
	"go/format"
	"go/token"
	"go/types"
	"strconv"
	"strings"

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
	used := make(map[string]bool)
	for i, p := range params {
		id := paramName(i, p, used)
		x := varExpr(id)
		typ, ok := e.typeCode(p.Type)
		if !ok || hasTypeParam(p.Type) {
			sig = append(sig, jen.Id(id).Any())
			body = append(body, g.appendAny(bufVar("b"), x, 0)...)
		} else {
			sig = append(sig, jen.Id(id).Add(typ))
			body = append(body, g.enc(bufVar("b"), x, p.Type, 0)...)
		}
		if id != p.Name {
			doc = append(doc, fmt.Sprintf("%s is parameter %s (renamed: the encoder uses that name itself).", id, p.Name))
		}
	}
	e.funcs = append(e.funcs, comment(doc...).Func().Id(name).Params(sig...).
		Params(jen.Index().Byte(), jen.Error()).Block(g.finish(body)...))
	return nil
}

// paramName names parameter i of a key function: the user's own name,
// unless the function's code needs that name for something else (the
// buffer b, err, a generated local such as i1, the runtime's package cgrt,
// a predeclared identifier, or a package the parameter's type is spelt
// with), or it is blank; then p<i>.
func paramName(i int, p Param, used map[string]bool) string {
	name := p.Name
	if !token.IsIdentifier(name) || name == "_" || used[name] || reserved(name) || typePackage(p.Type, name) {
		name = "p" + strconv.Itoa(i)
	}
	used[name] = true
	return name
}

// reserved reports whether a key function's code may use name itself.
func reserved(name string) bool {
	switch name {
	case "b", "err", "cgrt":
		return true
	}
	if types.Universe.Lookup(name) != nil {
		return true
	}
	// Generated locals are a letter and a number (fnGen.local), and p<i>
	// names renamed parameters.
	return len(name) > 1 && strings.ContainsRune("eikmnpv", rune(name[0])) && strings.Trim(name[1:], "0123456789") == ""
}

// typePackage reports whether name is the name of a package that t's
// spelling uses (a parameter named time of type time.Time would hide it).
func typePackage(t types.Type, name string) bool {
	found := false
	var visit func(t types.Type, depth int)
	visit = func(t types.Type, depth int) {
		if found || depth > 8 {
			return
		}
		switch t := t.(type) {
		case *types.Named:
			if t.Obj().Pkg() != nil && t.Obj().Pkg().Name() == name {
				found = true
			}
			for a := range t.TypeArgs().Types() {
				visit(a, depth+1)
			}
		case *types.Alias:
			if t.Obj().Pkg() != nil && t.Obj().Pkg().Name() == name {
				found = true
			}
			visit(types.Unalias(t), depth+1)
		case *types.Pointer:
			visit(t.Elem(), depth+1)
		case *types.Slice:
			visit(t.Elem(), depth+1)
		case *types.Array:
			visit(t.Elem(), depth+1)
		case *types.Map:
			visit(t.Key(), depth+1)
			visit(t.Elem(), depth+1)
		case *types.Chan:
			visit(t.Elem(), depth+1)
		case *types.Struct:
			for i := range t.NumFields() {
				visit(t.Field(i).Type(), depth+1)
			}
		case *types.Basic:
			if t.Kind() == types.UnsafePointer && name == "unsafe" {
				found = true
			}
		}
	}
	visit(t, 0)
	return found
}

// Decls returns the emitted key functions, then the helpers they need, in a
// deterministic order, for the caller to add to its *jen.File, one
// declaration (doc comment and function) per element: f.Add(d); f.Line().
func (e *Emitter) Decls() []jen.Code {
	out := make([]jen.Code, 0, len(e.funcs)+len(e.helpers))
	out = append(out, e.funcs...)
	return append(out, e.helpers...)
}

// File renders the declarations alone as a gofmt-clean file of the
// package path (called name), the runtime imported as cgrt as generated
// files import it, with header as its first comment ("" for none): for the
// key encoders' own tests and golden file.
func (e *Emitter) File(path, name, header string) ([]byte, error) {
	f := jen.NewFilePathName(path, name)
	if header != "" {
		f.HeaderComment(header)
	}
	f.ImportAlias(e.rt, "cgrt")
	for _, d := range e.Decls() {
		f.Add(d)
		f.Line()
	}
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, err
	}
	out, err := format.Source(buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gofmt: %w\n%s", err, buf.Bytes())
	}
	return out, nil
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
