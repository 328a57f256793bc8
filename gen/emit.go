package gen

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"
	"golang.org/x/tools/go/packages"

	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/fingerprint"
	"github.com/cachegen/cachegen/gen/internal/keygen"
	"github.com/cachegen/cachegen/gen/taskname"
	"github.com/cachegen/cachegen/internal/srchash"
)

// Generated local names carry a cachegen prefix so they never collide with
// the user's parameter names.
const (
	localBuf  = "cachegenBuf"
	localArgs = "cachegenArgs"
	localErr  = "cachegenErr"
	localRes  = "cachegenRes"
	localCtx  = "cachegenCtx"
)

// emit renders the generated file of one package.
func emit(pkg *packages.Package, keys *keygen.Emitter, tasks []*Task) ([]byte, error) {
	f := jen.NewFilePathName(pkg.PkgPath, pkg.Name)
	f.HeaderComment(Header)
	f.ImportAlias(RuntimePath, "cgrt")
	f.Comment("The runtime API this file was generated for: a mismatched runtime fails to compile here.")
	f.Const().Id("_").Op("=").Qual(RuntimePath, "APIv1")
	for _, t := range tasks {
		emitTask(f, t)
	}
	for _, d := range keys.Decls() {
		f.Add(d)
		f.Line()
	}
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// taskVar names t's descriptor variable and resultsType its result tuple
// type (see package taskname).
func taskVar(t *Task) string     { return taskname.Descriptor(t.Kind, t.Name()) }
func resultsType(t *Task) string { return taskname.Results(t.Kind, t.Name()) }

// emitTask emits the task descriptor, the result tuple (for several
// results) and the wrapper; the key encoders come from the key emitter.
func emitTask(f *jen.File, t *Task) {
	comment(f, "%s describes %s to the cache runtime; Fingerprint is the code fingerprint cachegen computed from the source.", taskVar(t), t.Name())
	fields := jen.Dict{
		jen.Id("ID"):          jen.Lit(t.ID),
		jen.Id("Fingerprint"): jen.Lit(t.Fingerprint.Digest),
	}
	if t.Kind == directive.Memo {
		fields[jen.Id("Signature")] = jen.Lit(t.Signature)
	} else {
		fields[jen.Id("Parts")] = partsCode(t.Fingerprint.Parts)
	}
	if t.HasVersion {
		fields[jen.Id("Version")] = jen.Lit(t.Version)
	}
	if t.VersionCode != "" {
		fields[jen.Id("VersionCode")] = jen.Lit(t.VersionCode)
		fields[jen.Id("Code")] = jen.Lit(t.Code)
	}
	if t.TTL > 0 {
		fields[jen.Id("TTL")] = durationCode(t.TTL)
	}
	if t.Lock {
		fields[jen.Id("Lock")] = jen.True()
	}
	if t.LockTimeout > 0 {
		fields[jen.Id("LockTimeout")] = durationCode(t.LockTimeout)
	}
	if srcs := t.Sources(); len(srcs) > 0 {
		fields[jen.Id("Sources")] = sourcesCode(srcs)
	}
	if nf := t.Fingerprint.NotFollowed; len(nf) > 0 {
		lits := make([]jen.Code, len(nf))
		for i, n := range nf {
			lits[i] = jen.Lit(n)
		}
		fields[jen.Id("NotFollowed")] = jen.Index().String().ValuesFunc(func(g *jen.Group) {
			for _, l := range lits {
				g.Line().Add(l)
			}
			g.Line()
		})
	}
	f.Var().Id(taskVar(t)).Op("=").Qual(RuntimePath, "Task").Values(fields)
	f.Line()
	if len(t.Results) > 1 {
		fields := make([]jen.Code, len(t.Results))
		for i, r := range t.Results {
			fields[i] = jen.Id(fmt.Sprintf("R%d", i)).Add(r)
		}
		comment(f, "%s carries the results of %s as one cached value.", resultsType(t), t.Name())
		f.Type().Id(resultsType(t)).Types(allTypeParams(t)...).Struct(fields...)
		f.Line()
	}
	emitWrapper(f, t)
}

// allTypeParams are the declarations of the receiver's and the function's
// type parameters, for generated generic helpers.
func allTypeParams(t *Task) []jen.Code {
	return append(typeParamsCode(t.RecvTypeParams), typeParamsCode(t.TypeParams)...)
}

// typeArgNames are the names of allTypeParams, to instantiate helpers.
func typeArgNames(t *Task) []jen.Code {
	return append(typeArgNamesOf(t.RecvTypeParams), typeArgNamesOf(t.TypeParams)...)
}

// typeParamsCode renders a type parameter list with constraints ([T any, K comparable]).
func typeParamsCode(tps []TypeParam) []jen.Code {
	codes := make([]jen.Code, len(tps))
	for i, tp := range tps {
		codes[i] = jen.Id(tp.Name).Add(tp.Constraint)
	}
	return codes
}

// emitWrapper emits the wrapper function or method.
func emitWrapper(f *jen.File, t *Task) {
	if t.Kind == directive.Memo {
		comment(f, "%s calls %s at most once per key in a run (cachegen memo task %s): later calls with the same key, concurrent ones included, return that execution's result. A durable run (runtime.RunID, CACHEGEN_RUN) keeps it across processes. Errors and panics are not memoised.",
			t.Wrapper, t.Func, t.ID)
	} else {
		comment(f, "%s calls %s and caches its results (cachegen task %s, fingerprint %s): a call with the same arguments, in this process or a later one that shares the store, returns the stored result instead of running %s again. Errors and panics are never cached.",
			t.Wrapper, t.Func, t.ID, t.Fingerprint.Digest, t.Func)
	}
	if out := t.LeftOut; len(out) > 0 {
		how := "ignore=" + strings.Join(t.Ignore, ",")
		if t.KeyCode != nil {
			how = "key=" + t.Key
		}
		f.Comment("")
		comment(f, "The key leaves out %s (%s): calls that differ only there share one result.", strings.Join(out, ", "), how)
	}
	decl := f.Func()
	if t.Recv != nil {
		recvType := jen.Id(t.RecvType).Types(typeArgNamesOf(t.RecvTypeParams)...)
		if t.RecvPointer {
			recvType = jen.Op("*").Add(recvType)
		}
		decl.Params(jen.Id(t.Recv.Name).Add(recvType))
	}
	decl.Id(t.Wrapper).Types(typeParamsCode(t.TypeParams)...).Params(wrapperParams(t)...).Add(resultList(t)).Block(wrapperBody(t)...)
	f.Line()
}

func typeArgNamesOf(tps []TypeParam) []jen.Code {
	ids := make([]jen.Code, len(tps))
	for i, tp := range tps {
		ids[i] = jen.Id(tp.Name)
	}
	return ids
}

func wrapperParams(t *Task) []jen.Code {
	ps := make([]jen.Code, len(t.Params))
	for i, p := range t.Params {
		if t.Variadic && i == len(t.Params)-1 {
			ps[i] = jen.Id(p.Name).Op("...").Add(p.Type)
			continue
		}
		ps[i] = jen.Id(p.Name).Add(p.Type)
	}
	return ps
}

func resultList(t *Task) jen.Code {
	rs := make([]jen.Code, 0, len(t.Results)+1)
	rs = append(rs, t.Results...)
	if t.HasError {
		rs = append(rs, jen.Error())
	}
	if len(rs) == 1 {
		return rs[0]
	}
	return jen.Params(rs...)
}

// cachedType is the type the runtime stores: the one result, the tuple, or
// struct{} for a memo task that returns at most an error.
func cachedType(t *Task) jen.Code {
	if len(t.Results) == 0 {
		return jen.Struct()
	}
	if len(t.Results) == 1 {
		return t.Results[0]
	}
	return jen.Id(resultsType(t)).Types(typeArgNames(t)...)
}

func wrapperBody(t *Task) []jen.Code {
	var keyArgs []jen.Code
	keyArgs = append(keyArgs, jen.Id(localBuf).Index(jen.Empty(), jen.Lit(0)))
	if t.KeyCode != nil {
		keyArgs = append(keyArgs, t.KeyCode)
	} else {
		for _, name := range t.KeyArgs {
			keyArgs = append(keyArgs, jen.Id(name))
		}
	}
	keyFn := jen.Id(t.keyFunc)
	task := jen.Op("&").Id(taskVar(t))
	if t.Generic() {
		var names []jen.Code
		for _, id := range typeArgNames(t) {
			names = append(names, jen.Qual(RuntimePath, "TypeName").Types(id).Call())
		}
		task = jen.Id(taskVar(t)).Dot("Instantiate").Call(names...)
	}
	ctx := jen.Qual("context", "Background").Call()
	if t.CtxParam != "" {
		ctx = jen.Id(t.CtxParam)
	}
	path := "Cached"
	if t.Kind == directive.Memo {
		path = "Memo"
	}
	cached := jen.Qual(RuntimePath, path).Call(ctx, task, jen.Id(localArgs), jen.Id(localErr),
		jen.Func().Params(jen.Id(localCtx).Qual("context", "Context")).Params(cachedType(t), jen.Error()).Block(closureBody(t)...))
	body := []jen.Code{
		jen.Comment("Keys up to 128 bytes are encoded on the stack, without allocating."),
		jen.Var().Id(localBuf).Index(jen.Lit(128)).Byte(),
		jen.List(jen.Id(localArgs), jen.Id(localErr)).Op(":=").Add(keyFn).Call(keyArgs...),
	}
	switch {
	case len(t.Results) == 0 && t.HasError:
		return append(body, jen.List(jen.Id("_"), jen.Id(localErr)).Op("=").Add(cached), jen.Return(jen.Id(localErr)))
	case len(t.Results) == 0:
		return append(body, jen.Add(cached))
	case len(t.Results) == 1 && t.HasError:
		return append(body, jen.Return(cached))
	case len(t.Results) == 1:
		return append(body, jen.List(jen.Id(localRes), jen.Id("_")).Op(":=").Add(cached), jen.Return(jen.Id(localRes)))
	}
	rets := make([]jen.Code, 0, len(t.Results)+1)
	for i := range t.Results {
		rets = append(rets, jen.Id(localRes).Dot(fmt.Sprintf("R%d", i)))
	}
	errName := "_"
	if t.HasError {
		errName = localErr
		rets = append(rets, jen.Id(localErr))
	}
	return append(body, jen.List(jen.Id(localRes), jen.Id(errName)).Op(":=").Add(cached), jen.Return(rets...))
}

// closureBody calls the function and returns what the runtime stores.
func closureBody(t *Task) []jen.Code {
	var args []jen.Code
	for i, p := range t.Params {
		switch {
		case i == 0 && t.CtxParam != "":
			args = append(args, jen.Id(localCtx))
		case t.Variadic && i == len(t.Params)-1:
			args = append(args, jen.Id(p.Name).Op("..."))
		default:
			args = append(args, jen.Id(p.Name))
		}
	}
	callee := t.Func
	if t.Callee != "" {
		callee = t.Callee // FMemo calls FCached
	}
	var call *jen.Statement
	if t.Recv != nil {
		call = jen.Id(t.Recv.Name).Dot(callee).Call(args...)
	} else {
		call = jen.Id(callee).Types(typeArgNamesOf(t.TypeParams)...).Call(args...)
	}
	switch {
	case len(t.Results) == 0 && t.HasError:
		return []jen.Code{jen.Return(jen.Struct().Values(), call)}
	case len(t.Results) == 0:
		return []jen.Code{call, jen.Return(jen.Struct().Values(), jen.Nil())}
	}
	if len(t.Results) == 1 {
		if t.HasError {
			return []jen.Code{jen.Return(call)}
		}
		return []jen.Code{jen.Return(call, jen.Nil())}
	}
	names := make([]jen.Code, 0, len(t.Results)+1)
	fields := jen.Dict{}
	for i := range t.Results {
		n := fmt.Sprintf("r%d", i)
		names = append(names, jen.Id(n))
		fields[jen.Id(fmt.Sprintf("R%d", i))] = jen.Id(n)
	}
	errv := jen.Nil()
	if t.HasError {
		names = append(names, jen.Err())
		errv = jen.Err()
	}
	return []jen.Code{
		jen.List(names...).Op(":=").Add(call),
		jen.Return(jen.Id(resultsType(t)).Types(typeArgNames(t)...).Values(fields), errv),
	}
}

// partsCode renders fingerprint parts, one per line. A part's position is
// kept to its file name: a line number would change the generated file on
// every edit that moves code, although the fingerprint does not change.
func partsCode(parts []fingerprint.Part) jen.Code {
	return jen.Index().Qual(RuntimePath, "Part").ValuesFunc(func(g *jen.Group) {
		for _, p := range parts {
			items := []jen.Code{
				jen.Id("Kind").Op(":").Lit(string(p.Kind)),
				jen.Id("Name").Op(":").Lit(p.Name),
				jen.Id("Hash").Op(":").Lit(p.Hash),
			}
			if p.Pos != "" {
				items = append(items, jen.Id("Pos").Op(":").Lit(fileOf(p.Pos)))
			}
			g.Line().Values(items...)
		}
		g.Line()
	})
}

// sourcesCode renders a task's sources, one per line.
func sourcesCode(srcs []srchash.Source) jen.Code {
	return jen.Index().Qual(RuntimePath, "Source").ValuesFunc(func(g *jen.Group) {
		for _, s := range srcs {
			items := []jen.Code{
				jen.Id("Pkg").Op(":").Lit(s.Pkg),
				jen.Id("File").Op(":").Lit(s.File),
				jen.Id("Name").Op(":").Lit(s.Name),
				jen.Id("Hash").Op(":").Lit(s.Hash),
			}
			if s.Task {
				items = append(items, jen.Id("Task").Op(":").True())
			}
			if s.Code {
				items = append(items, jen.Id("Code").Op(":").True())
			}
			g.Line().Values(items...)
		}
		g.Line()
	})
}

// comment adds a doc comment to f, wrapped at about 76 columns as
// hand-written Go is; a word longer than that (a task identity) keeps its
// own line.
func comment(f *jen.File, format string, args ...any) {
	const width = 76
	line := ""
	for _, w := range strings.Fields(fmt.Sprintf(format, args...)) {
		if line != "" && len(line)+1+len(w) > width {
			f.Comment(line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		f.Comment(line)
	}
}

// durationCode renders d in the largest unit that divides it (90 *
// time.Minute), for a readable generated file.
func durationCode(d time.Duration) jen.Code {
	units := []struct {
		name string
		d    time.Duration
	}{{"Hour", time.Hour}, {"Minute", time.Minute}, {"Second", time.Second}, {"Millisecond", time.Millisecond}, {"Microsecond", time.Microsecond}}
	for _, u := range units {
		if d%u.d == 0 {
			return jen.Lit(int(d/u.d)).Op("*").Qual("time", u.name)
		}
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int64(d)))
}

// fileOf is the file name of a "file.go:LINE" position.
func fileOf(pos string) string {
	file, _, _ := strings.Cut(pos, ":")
	return file
}
