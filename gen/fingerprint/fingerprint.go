package fingerprint

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"go/ast"
	"go/types"
	"go/version"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
	"golang.org/x/tools/go/packages"

	"github.com/cachegen/cachegen/internal/srchash"
	"github.com/cachegen/cachegen/runtime"
)

// formatVersion prefixes every digest: changing how parts are built changes
// it, so old fingerprints never match new ones by accident.
const formatVersion = "cachegen-fingerprint-v1"

// Options are the key-affecting directive options of a task.
type Options struct {
	// Version is the version= value; it counts only when HasVersion is set.
	Version string
	// HasVersion says whether the directive has version=.
	HasVersion bool
	// Key is the key= expression text ("" when absent).
	Key string
	// Ignore lists the ignore= parameter names (order does not matter).
	Ignore []string
	// Code says this is the fingerprint of a versioned task's code (its
	// directive has version=, which these options leave out): its sources
	// then include the task's declaration with its body.
	Code bool
}

// Part is one hashed ingredient of a fingerprint: the runtime's Part, so
// the generator, the key manifests and explain speak of the same thing.
// Kind is one of the runtime.Part… kinds; Name is qualified
// ("example.com/m/pkg.helper", "example.com/m/pkg.T.Method", a module path,
// or "go"); Hash is 16 lowercase hex digits (xxhash64 of the part's
// canonical text), or the version for module and go parts; Pos is
// "file.go:LINE" (base name) for source objects and does not count in the
// digest.
type Part = runtime.Part

// Fingerprint is a task's code fingerprint.
type Fingerprint struct {
	// Digest is 16 lowercase hex digits: xxhash64 of the sorted parts.
	Digest string
	// Parts are sorted by Kind, then Name.
	Parts []Part
	// NotFollowed describes dependencies that were not hashed (dynamic
	// calls, init functions, embedded files): sorted, deduplicated.
	NotFollowed []string
	// Sources are the declarations of the task's module the fingerprint
	// covers, with hashes of their syntax (see sources.go), sorted. They
	// do not count in the digest.
	Sources []srchash.Source
	// Generated lists the object keys of the functions and methods
	// declared in generated files (LoadConfig.Generated) that the task
	// reaches: the wrappers it calls. They are not hashed; the generator
	// adds the fingerprints of the tasks behind them. It does not count in
	// the digest.
	Generated []string
}

// Task computes the fingerprint of the function or method decl, declared in
// pkg, a package this Program loaded with syntax.
func (p *Program) Task(pkg *packages.Package, decl *ast.FuncDecl, opts Options) (Fingerprint, error) {
	if pkg == nil || decl == nil || decl.Name == nil {
		return Fingerprint{}, errors.New("fingerprint: task: nil package or declaration")
	}
	if pkg.TypesInfo == nil {
		return Fingerprint{}, fmt.Errorf("fingerprint: task %s.%s: package has no type information", pkg.PkgPath, decl.Name.Name)
	}
	fn, ok := pkg.TypesInfo.Defs[decl.Name].(*types.Func)
	if !ok {
		return Fingerprint{}, fmt.Errorf("fingerprint: task %s.%s: not a type-checked function of the package", pkg.PkgPath, decl.Name.Name)
	}
	name := objectKey(fn)
	t := &taskState{
		p: p, module: pkg.Module, pkgPath: pkg.PkgPath,
		parts: make(map[string]Part), texts: make(map[string][]byte),
		visited: map[string]bool{name: true}, notFollowed: make(map[string]bool),
		generated: make(map[string]bool), inits: make(map[string]bool), sources: make(map[string]srchash.Source),
	}
	t.decl(pkg, decl, name, opts)
	t.signature(fn, name)
	t.options(opts, name)
	t.goVersion()
	t.follow()
	if t.err != nil {
		return Fingerprint{}, fmt.Errorf("fingerprint: task %s: %w", name, t.err)
	}
	return t.result(), nil
}

// taskState is the work of one Task call.
type taskState struct {
	p       *Program
	module  *packages.Module // the task's module (nil outside modules)
	pkgPath string
	// parts and texts are keyed by kind and name.
	parts       map[string]Part
	texts       map[string][]byte
	visited     map[string]bool // object keys already considered
	queue       []types.Object  // same-module objects still to hash
	notFollowed map[string]bool
	generated   map[string]bool // keys of reached objects declared in generated files
	sources     map[string]srchash.Source
	inits       map[string]bool // package paths checked for init functions
	err         error           // the first error
}

// add records a part and, when debugging, its text.
func (t *taskState) add(part Part, text []byte) {
	k := string(part.Kind) + "\x00" + part.Name
	t.parts[k] = part
	if t.p.debug != nil {
		t.texts[k] = text
	}
}

// decl adds the decl part: the declaration without its doc comment, and
// without its body (replaced by the version) under version=.
func (t *taskState) decl(pkg *packages.Package, decl *ast.FuncDecl, name string, opts Options) {
	d := *decl
	d.Doc = nil
	if opts.HasVersion {
		d.Body = nil
	}
	text := writeAST(pkg.TypesInfo, &d)
	if opts.HasVersion {
		text = append(text, "\nversion="+strconv.Quote(opts.Version)...)
	}
	t.add(Part{Kind: runtime.PartDecl, Name: name, Hash: hashText(text), Pos: shortPos(t.p.fset, decl.Pos())}, text)
	if ix := t.p.index(pkg.PkgPath); ix != nil {
		t.taskSource(ix, decl, opts.Code)
	}
	r := newRefs()
	(&collector{p: t.p, fset: t.p.fset, info: pkg.TypesInfo, r: r}).collect(&d)
	t.reach(r.objs, r.notFollowed)
	t.checkInits(pkg.PkgPath)
}

// signature adds the signature part: receiver, type parameters, parameter
// and result names and types, and the deep structure of every named type
// in them.
func (t *taskState) signature(fn *types.Func, name string) {
	var buf bytes.Buffer
	w := typeWriter{buf: &buf, deep: true, seen: make(map[string]bool), visit: func(tn *types.TypeName) {
		t.reachObject(tn)
	}}
	sig := fn.Signature()
	if recv := sig.Recv(); recv != nil {
		buf.WriteString("recv ")
		buf.WriteString(recv.Name())
		w.typeParams(sig.RecvTypeParams())
		buf.WriteByte(' ')
		w.write(recv.Type())
		buf.WriteByte('\n')
	}
	buf.WriteString("func ")
	buf.WriteString(fn.Name())
	w.signature(sig)
	t.add(Part{Kind: runtime.PartSignature, Name: name, Hash: hashText(buf.Bytes())}, buf.Bytes())
}

// options adds the options part.
func (t *taskState) options(opts Options, name string) {
	var buf bytes.Buffer
	if opts.HasVersion {
		fmt.Fprintf(&buf, "version=%q\n", opts.Version)
	}
	fmt.Fprintf(&buf, "key=%q\n", opts.Key)
	ignore := slices.Compact(slices.Sorted(slices.Values(opts.Ignore)))
	fmt.Fprintf(&buf, "ignore=%q\n", strings.Join(ignore, ","))
	t.add(Part{Kind: runtime.PartOptions, Name: name, Hash: hashText(buf.Bytes())}, buf.Bytes())
}

// goVersion adds the go part: the language version of the task's module,
// without a patch release ("1.26.0" and "1.26" are the same language; the go
// command rewrites one into the other when it tidies go.mod).
func (t *taskState) goVersion() {
	v := "unknown"
	if t.module != nil && t.module.GoVersion != "" {
		v = t.module.GoVersion
		if lang := version.Lang("go" + v); lang != "" {
			v = strings.TrimPrefix(lang, "go")
		}
	}
	t.add(Part{Kind: runtime.PartGo, Name: "go", Hash: v}, []byte(v))
}

// reach considers every object of objs and records the notes.
func (t *taskState) reach(objs map[string]types.Object, notes map[string]bool) {
	for _, k := range slices.Sorted(maps.Keys(objs)) {
		t.reachObject(objs[k])
	}
	for n := range notes {
		t.notFollowed[n] = true
	}
}

// reachObject queues an object of the task's module for hashing, adds the
// module part of an object of another module, and ignores the standard
// library (the go part stands for it).
func (t *taskState) reachObject(obj types.Object) {
	if obj.Pkg() == nil || !isPackageLevel(obj) && !isMethod(obj) {
		return
	}
	key := objectKey(obj)
	if t.visited[key] {
		return
	}
	t.visited[key] = true
	path := obj.Pkg().Path()
	m := t.p.moduleOf(path)
	switch {
	case t.sameModule(path, m) && t.p.isGenerated(obj):
		t.generated[key] = true
	case t.sameModule(path, m):
		t.queue = append(t.queue, obj)
	case m != nil:
		if t.visited["module\x00"+m.Path] {
			return
		}
		t.visited["module\x00"+m.Path] = true
		part, err := t.p.modulePart(m)
		if err != nil {
			t.err = cmp.Or(t.err, err)
			return
		}
		t.add(part, []byte(part.Hash))
	}
}

// isGenerated reports whether obj is declared in a generated file.
func (p *Program) isGenerated(obj types.Object) bool {
	if p.generated == "" || !obj.Pos().IsValid() {
		return false
	}
	return filepath.Base(p.fset.Position(obj.Pos()).Filename) == p.generated
}

// isMethod reports whether obj is a method.
func isMethod(obj types.Object) bool {
	f, ok := obj.(*types.Func)
	return ok && f.Signature().Recv() != nil
}

// sameModule reports whether the package path (of module m) belongs to the
// task's module; outside modules, only the task's own package does.
func (t *taskState) sameModule(path string, m *packages.Module) bool {
	if t.module == nil {
		return path == t.pkgPath
	}
	return m != nil && m.Path == t.module.Path
}

// follow hashes queued objects until none is left; each object is hashed
// once, so recursive helpers end.
func (t *taskState) follow() {
	for len(t.queue) > 0 {
		obj := t.queue[0]
		t.queue = t.queue[1:]
		e := t.p.object(obj)
		t.add(e.part, e.text)
		t.objectSource(obj)
		for _, n := range e.notFollowed {
			t.notFollowed[n] = true
		}
		for _, ref := range e.refs {
			t.reachObject(ref)
		}
		t.checkInits(obj.Pkg().Path())
	}
}

// checkInits notes the init functions of a package the task reaches.
func (t *taskState) checkInits(path string) {
	if t.inits[path] {
		return
	}
	t.inits[path] = true
	ix := t.p.index(path)
	if ix == nil || len(ix.inits) == 0 {
		return
	}
	t.notFollowed[fmt.Sprintf("init functions of package %s (%s)", path, shortPos(t.p.fset, ix.inits[0]))] = true
}

// result sorts the parts, computes the digest and writes the debug trace.
func (t *taskState) result() Fingerprint {
	fp := Fingerprint{
		Parts:       slices.Collect(maps.Values(t.parts)),
		NotFollowed: slices.Sorted(maps.Keys(t.notFollowed)),
		Generated:   slices.Sorted(maps.Keys(t.generated)),
		Sources:     sortedSources(t.sources),
	}
	slices.SortFunc(fp.Parts, func(a, b Part) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
	})
	fp.Digest = digest(fp.Parts)
	if w := t.p.debug; w != nil {
		for _, part := range fp.Parts {
			fmt.Fprintf(w, "-- %s %s %s %s\n%s\n", part.Kind, part.Name, part.Hash, part.Pos, t.texts[string(part.Kind)+"\x00"+part.Name])
		}
		fmt.Fprintf(w, "-- digest %s\n", fp.Digest)
	}
	return fp
}

// digest hashes sorted parts: kind, name and hash of each, never positions.
func digest(parts []Part) string {
	h := xxhash.New()
	h.WriteString(formatVersion + "\n")
	for _, part := range parts {
		fmt.Fprintf(h, "%s\x00%s\x00%s\n", part.Kind, part.Name, part.Hash)
	}
	return fmt.Sprintf("%016x", h.Sum64())
}

// With returns fp with parts added (replacing parts of the same kind and
// name), sorted, and its digest recomputed. The generator uses it to add
// the fingerprints of other tasks whose wrappers a task calls (listed in
// Generated, declared by stubs while loading).
func (fp Fingerprint) With(parts ...Part) Fingerprint {
	out := Fingerprint{NotFollowed: fp.NotFollowed, Generated: fp.Generated, Sources: fp.Sources}
	for _, p := range fp.Parts {
		if !slices.ContainsFunc(parts, func(q Part) bool { return q.Kind == p.Kind && q.Name == p.Name }) {
			out.Parts = append(out.Parts, p)
		}
	}
	out.Parts = append(out.Parts, parts...)
	slices.SortFunc(out.Parts, func(a, b Part) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
	})
	out.Digest = digest(out.Parts)
	return out
}
