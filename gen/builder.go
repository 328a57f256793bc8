package gen

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/tools/go/packages"

	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/fingerprint"
	"github.com/cachegen/cachegen/gen/internal/jsonkey"
	"github.com/cachegen/cachegen/gen/internal/keygen"
	"github.com/cachegen/cachegen/gen/internal/typecode"
	"github.com/cachegen/cachegen/gen/internal/valcheck"
	"github.com/cachegen/cachegen/gen/taskname"
	"github.com/cachegen/cachegen/runtime"
)

// typed is what the builder knows of a task beyond its model: the go/types
// and go/ast values the model is derived from. It never leaves the builder.
type typed struct {
	*Task
	decl    *ast.FuncDecl
	recv    types.Type   // the receiver's type, nil for a function
	params  []types.Type // parallel to Task.Params
	keyExpr ast.Expr     // key=, parsed
	keyType types.Type   // its type
	keyInfo *types.Info  // type information of keyExpr
}

// builder turns the directives of one package into Tasks, collecting errors.
type builder struct {
	prog *fingerprint.Program
	pkg  *packages.Package
	keys *keygen.Emitter
	errs []*Error
	seen map[string]token.Position // wrapper names already generated
}

func (b *builder) errorf(pos token.Position, format string, args ...any) {
	b.errs = append(b.errs, errorf(pos, format, args...))
}

// tasks builds the tasks of every directive found, in source order.
func (b *builder) tasks(found []directive.Found) []*Task {
	b.keys = keygen.New(b.pkg.Types, RuntimePath)
	b.seen = make(map[string]token.Position)
	var tasks []*Task
	for _, f := range found {
		var cached, memo *Task
		for _, d := range f.Directives {
			t := b.task(f.Decl, d)
			if t == nil {
				continue
			}
			tasks = append(tasks, t)
			if t.Kind == directive.Memo {
				memo = t
			} else {
				cached = t
			}
		}
		if memo != nil && cached != nil {
			memo.Callee = cached.Wrapper // FMemo calls FCached
		}
	}
	slices.SortFunc(tasks, func(a, c *Task) int {
		if a.Pos.Filename != c.Pos.Filename {
			return strings.Compare(a.Pos.Filename, c.Pos.Filename)
		}
		return a.Pos.Offset - c.Pos.Offset
	})
	return tasks
}

// task builds one task; it returns nil after recording errors.
func (b *builder) task(decl *ast.FuncDecl, d *directive.Directive) *Task {
	fn, ok := b.pkg.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok {
		b.errorf(d.Pos, "cannot resolve function %s", decl.Name.Name)
		return nil
	}
	sig := fn.Signature()
	t := &typed{Task: &Task{Kind: d.Kind, Pos: d.Pos, Func: fn.Name(), Wrapper: taskname.Wrapper(fn.Name(), d),
		TypeParams: typeParams(sig.TypeParams()), Variadic: sig.Variadic()}, decl: decl}
	nerr := len(b.errs)
	b.options(t, d)
	b.receiver(t, fn)
	b.signature(t, sig)
	b.checkWrapperName(t, decl)
	if len(b.errs) == nerr {
		b.checkKeyOptions(t, d)
	}
	if len(b.errs) > nerr {
		return nil
	}
	t.keyFunc = taskname.KeyFunc(t.Kind, t.Name())
	t.KeyArgs, t.LeftOut = t.keyArgs(), t.leftOut()
	if err := b.keyFunc(t); err != nil {
		b.errorf(d.Pos, "%s: %v", t.Func, err)
		return nil
	}
	fp, err := b.prog.Task(b.pkg, decl, fingerprint.Options{Version: t.Version, HasVersion: t.HasVersion, Key: t.Key, Ignore: t.Ignore})
	if err != nil {
		b.errorf(d.Pos, "fingerprint %s: %v", t.Func, err)
		return nil
	}
	t.Fingerprint = fp
	if t.HasVersion && t.Kind == directive.Cache {
		code, err := b.prog.Task(b.pkg, decl, fingerprint.Options{Key: t.Key, Ignore: t.Ignore, Code: true})
		if err != nil {
			b.errorf(d.Pos, "fingerprint %s: %v", t.Func, err)
			return nil
		}
		t.Code, t.VersionCode = code.Digest, code.Digest
		t.codeSources = code.Sources
	}
	if t.Kind == directive.Memo {
		t.Signature = memoSignature(fp)
	}
	return t.Task
}

// memoSignature is the digest of the fingerprint's signature and options
// parts: what a durable memo entry is keyed by. The body does not count, so
// a run can be repeated after a fix elsewhere; the signature and result
// types do, so a stored value can always be decoded.
func memoSignature(fp fingerprint.Fingerprint) string {
	h := xxhash.New()
	for _, p := range fp.Parts {
		if p.Kind == runtime.PartSignature || p.Kind == runtime.PartOptions {
			fmt.Fprintf(h, "%s\x00%s\n", p.Kind, p.Hash)
		}
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// options applies the directive's options; the parser has validated their
// syntax and values already.
func (b *builder) options(t *typed, d *directive.Directive) {
	for _, o := range d.Options {
		switch o.Name {
		case "version":
			t.Version, t.HasVersion = o.Value, true
		case "name": // taskname.Wrapper has it
		case "key":
			t.Key = o.Value
		case "ignore":
			t.Ignore = o.List()
		case "ttl":
			t.TTL, _ = o.Duration()
		case "lock":
			t.Lock = true
			t.LockTimeout, _ = o.Duration()
		case "allow":
			t.Allow = o.List()
		default:
			b.errorf(o.Pos, "unknown option %q", o.Name)
		}
	}
}

// receiver fills the receiver fields of a method task and its identity.
func (b *builder) receiver(t *typed, fn *types.Func) {
	t.ID = taskname.ID(fn)
	sig := fn.Signature()
	recv := sig.Recv()
	if recv == nil {
		return
	}
	if _, ok := types.Unalias(recv.Type()).(*types.Pointer); ok {
		t.RecvPointer = true
	}
	t.RecvType = taskname.RecvType(fn)
	if t.RecvType == "" {
		b.errorf(t.Pos, "method %s: receiver type %s is not a named type", t.Func, recv.Type())
		return
	}
	t.RecvTypeParams = typeParams(sig.RecvTypeParams())
	for i, tp := range t.RecvTypeParams {
		if tp.Name == "_" {
			b.errorf(t.Pos, "method %s: name the receiver's type parameter %d (not _) so the wrapper can use it", t.Func, i)
		}
	}
	name := recv.Name()
	if name == "" || name == "_" {
		name = "recv"
	}
	t.Recv, t.recv = &Param{Name: name, Type: typeCode(recv.Type())}, recv.Type()
}

// signature checks the parameters and results of a task.
func (b *builder) signature(t *typed, sig *types.Signature) {
	params := sig.Params()
	for i := range params.Len() {
		p := params.At(i)
		if i == 0 && isContext(p.Type()) {
			t.CtxParam = p.Name()
			if t.CtxParam == "" || t.CtxParam == "_" {
				t.CtxParam = "ctx"
			}
			t.Params = append(t.Params, Param{Name: t.CtxParam, Type: typeCode(p.Type())})
			t.params = append(t.params, p.Type())
			continue
		}
		name, blank := p.Name(), p.Name() == "" || p.Name() == "_"
		if blank {
			name = "p" + itoa(i)
		}
		typ := p.Type()
		if t.Variadic && i == params.Len()-1 {
			typ = typ.(*types.Slice).Elem()
		}
		t.Params = append(t.Params, Param{Name: name, Type: typeCode(typ), Blank: blank})
		t.params = append(t.params, p.Type())
	}
	res := sig.Results()
	n := res.Len()
	if n > 0 && isError(res.At(n-1).Type()) {
		t.HasError, n = true, n-1
	}
	if n == 0 && t.Kind != directive.Memo {
		b.errorf(t.Pos, "%s has no result to cache; a task returns (R1, ..., Rn) or (R1, ..., Rn, error) with n >= 1", t.Func)
		return
	}
	for i := range n {
		rt := res.At(i).Type()
		if isError(rt) {
			b.errorf(t.Pos, "%s: only the last result may be an error", t.Func)
			return
		}
		// A memo result that cannot be encoded stays in-process (the runtime says so once).
		if err := valcheck.Check(rt); err != nil && t.Kind != directive.Memo {
			b.errorf(t.Pos, "%s: cannot cache its result: %v", t.Func, err)
		}
		t.Results = append(t.Results, typeCode(rt))
	}
}

// keyParams are the values that form the argument part of a task's key, in
// order, for the key emitter and KeyFromJSON: the key expression's value
// (one parameter named "key") when key= is set, else the KeyArgs.
func (t *typed) keyParams() []keygen.Param {
	if t.keyExpr != nil {
		return []keygen.Param{{Name: "key", Type: t.keyType}}
	}
	var ps []keygen.Param
	for _, name := range t.KeyArgs {
		ps = append(ps, keygen.Param{Name: name, Type: t.paramType(name)})
	}
	return ps
}

// paramType is the type of the receiver or parameter called name.
func (t *typed) paramType(name string) types.Type {
	if t.Recv != nil && t.Recv.Name == name {
		return t.recv
	}
	for i, p := range t.Params {
		if p.Name == name {
			return t.params[i]
		}
	}
	return nil
}

// keyArgs lists the parameters that form the key without key=, receiver
// first.
func (t *typed) keyArgs() []string {
	var names []string
	if t.Recv != nil {
		names = append(names, t.Recv.Name)
	}
	for i, p := range t.Params {
		if !isContext(t.params[i]) && !p.Blank {
			names = append(names, p.Name)
		}
	}
	return slices.DeleteFunc(names, func(n string) bool { return slices.Contains(t.Ignore, n) })
}

// checkWrapperName rejects a wrapper name that user code already declares
// or another directive generates, and a task whose generated declarations
// would be named like another's (T.M and TM, see taskname.Descriptor).
func (b *builder) checkWrapperName(t *typed, decl *ast.FuncDecl) {
	scopeKey := t.RecvType + "." + t.Wrapper // always holds a dot, unlike a declaration name
	if pos, dup := b.seen[scopeKey]; dup {
		b.errorf(t.Pos, "wrapper %s is also generated for the directive at %s:%d; use name= to choose another",
			t.Wrapper, filepath.Base(pos.Filename), pos.Line)
		return
	}
	b.seen[scopeKey] = t.Pos
	desc := taskname.Descriptor(t.Kind, t.Name())
	if pos, dup := b.seen[desc]; dup {
		b.errorf(t.Pos, "%s would generate %s, as the directive at %s:%d does; rename one of the two",
			t.Name(), desc, filepath.Base(pos.Filename), pos.Line)
		return
	}
	b.seen[desc] = t.Pos
	var obj types.Object
	if t.Recv == nil {
		obj = b.pkg.Types.Scope().Lookup(t.Wrapper)
	} else {
		obj, _, _ = types.LookupFieldOrMethod(t.recv, true, b.pkg.Types, t.Wrapper)
	}
	// The stub generated file declares the wrapper while loading (see
	// stubs.go): only a declaration elsewhere is a clash.
	if obj != nil && filepath.Base(b.pkg.Fset.Position(obj.Pos()).Filename) != FileName {
		b.errorf(t.Pos, "%s is already declared at %s; use name= to choose another wrapper name",
			t.Wrapper, b.pkg.Fset.Position(obj.Pos()))
	}
}

func isContext(t types.Type) bool { return typecode.IsNamed(t, "context", "Context") }

func isError(t types.Type) bool { return types.Identical(t, types.Universe.Lookup("error").Type()) }

func itoa(i int) string { return strconv.Itoa(i) }

// keyFunc has the key emitter write the task's key encoder. Values whose
// types mention a type parameter are encoded by the runtime's reflective
// encoder, which writes the same bytes generated code would.
func (b *builder) keyFunc(t *typed) error {
	ps := t.keyParams()
	names := make([]string, len(ps))
	ts := make([]types.Type, len(ps))
	for i, p := range ps {
		names[i], ts[i] = p.Name, p.Type
	}
	t.keyFromJSON = func(args json.RawMessage) ([]byte, error) { return jsonkey.EncodeArgs(nil, names, ts, args) }
	return b.keys.KeyFunc(t.keyFunc, ps)
}

// typeParams lists a type parameter list's names and constraints.
func typeParams(l *types.TypeParamList) []TypeParam {
	out := make([]TypeParam, l.Len())
	for i := range l.Len() {
		out[i] = TypeParam{Name: l.At(i).Obj().Name(), Constraint: constraintCode(l.At(i).Constraint())}
	}
	return out
}
