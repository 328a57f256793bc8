package gen

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/fingerprint"
	"github.com/cachegen/cachegen/gen/taskname"
	"github.com/cachegen/cachegen/internal/srchash"
	"github.com/cachegen/cachegen/internal/suggest"
	"github.com/cachegen/cachegen/runtime"
)

// Task is one function or method to wrap: plain data between the builder,
// which reads go/types and go/ast (builder.go, keyopts.go), and the emitter,
// which writes the generated file (emit.go). Types are kept as the code
// that spells them in the generated file; no go/types or go/ast value
// leaves the builder.
type Task struct {
	Kind        directive.Kind // directive.Cache or directive.Memo
	Pos         token.Position // of the directive
	Func        string         // the function or method name
	ID          string         // task identity: package path + "." [+ receiver type + "."] + name
	Wrapper     string         // the wrapper's name: Func + "Cached", or name=
	Version     string         // version=, if HasVersion
	HasVersion  bool
	Fingerprint fingerprint.Fingerprint
	// Code is, for a versioned //cache:task, the digest of the fingerprint
	// its code would have without version=: the body and every helper it
	// reaches. VersionCode is what Code was when this version was first
	// generated (read back from the previous generated file) or last
	// accepted with Config.Accept. They differ when the code changed but
	// the version was not bumped.
	Code        string
	VersionCode string
	// codeSources are, for a versioned //cache:task, the sources of its
	// code as if it had no version= (see Task.Sources).
	codeSources []srchash.Source

	Recv           *Param      // the receiver, nil for a function
	RecvPointer    bool        // the receiver is a pointer
	RecvType       string      // the receiver's type name
	RecvTypeParams []TypeParam // the receiver type's parameters, as the method names them
	TypeParams     []TypeParam
	Params         []Param
	Variadic       bool       // the last parameter is variadic; its Type is the element type
	Results        []jen.Code // the result types, without the final error
	HasError       bool
	CtxParam       string // the name of the context.Context parameter the function takes first, or ""

	Key string // key=: a Go expression over the parameters, or ""
	// KeyCode is the key expression as generated code, nil without key=.
	KeyCode jen.Code
	// KeyArgs are, without key=, the parameters whose values form the key,
	// receiver first: every named one but a context.Context and ignore='s.
	KeyArgs []string
	// LeftOut are the parameters that key= or ignore= leave out of the
	// key, for the wrapper's documentation.
	LeftOut     []string
	Ignore      []string      // ignore=: parameters left out of the key
	TTL         time.Duration // ttl=
	Lock        bool          // lock
	LockTimeout time.Duration // lock=TIMEOUT
	Allow       []string      // allow=: analyzer checks this task silences
	Signature   string        // memo: digest of the signature and key options parts
	Callee      string        // memo: the cache wrapper the memo wrapper calls, if the function has both

	keyFunc string // name of the generated key encoder
	// keyFromJSON encodes a call's key arguments from JSON (KeyFromJSON).
	keyFromJSON func(args json.RawMessage) ([]byte, error)
}

// Param is one parameter of a task, named (the emitter names unnamed ones).
type Param struct {
	Name  string
	Type  jen.Code
	Blank bool // unnamed or _ in the source: the function cannot read it
}

// TypeParam is one type parameter with its constraint.
type TypeParam struct {
	Name       string
	Constraint jen.Code
}

// Generic reports whether the task has type parameters of its own or of its receiver.
func (t *Task) Generic() bool { return len(t.TypeParams)+len(t.RecvTypeParams) > 0 }

// Descriptor returns the runtime.Task that the generated code declares for
// t: what the runtime keys and explains calls by.
func (t *Task) Descriptor() runtime.Task {
	d := runtime.Task{
		ID:          t.ID,
		Fingerprint: t.Fingerprint.Digest,
		TTL:         t.TTL,
		Lock:        t.Lock,
		LockTimeout: t.LockTimeout,
		NotFollowed: t.Fingerprint.NotFollowed,
	}
	if t.HasVersion {
		d.Version = t.Version
		d.VersionCode = t.VersionCode
		d.Code = t.Code
	}
	for _, p := range t.Fingerprint.Parts {
		d.Parts = append(d.Parts, runtime.Part{Kind: p.Kind, Name: p.Name, Hash: p.Hash, Pos: fileOf(p.Pos)})
	}
	d.Sources = t.Sources()
	return d
}

// Sources are the declarations the generated file records for t, with the
// hashes of their syntax: those its key's fingerprint covers (a change to
// one makes the wrapper stale) and, for a versioned task, those of its
// code, marked Code (a change to one is a forgotten version bump).
func (t *Task) Sources() []srchash.Source {
	key := t.Fingerprint.Sources
	var code []srchash.Source
	for _, s := range t.codeSources {
		s.Code = true
		code = append(code, s)
	}
	return fingerprint.MergeSources(key, code)
}

// Name is the task's name as the user writes it: "Align", or "T.Method"
// for a method. Config.Accept takes it, as does the analyzer's message.
func (t *Task) Name() string { return taskname.Join(t.RecvType, t.Func) }

// ForgottenBump returns, for a versioned task whose code changed since its
// version was first generated or last accepted, the message that says so
// (the generator's warning and the analyzer's finding); otherwise "".
// Such a task still serves the results its old code computed.
func (t *Task) ForgottenBump() string {
	if !t.HasVersion || t.VersionCode == "" || t.Code == t.VersionCode {
		return ""
	}
	return fmt.Sprintf("%s: code changed since version=%s was first generated (code fingerprint %s then, %s now), "+
		"so results of the old code are still served; bump version=, or run cachegen -accept=%s to keep them",
		t.Name(), t.Version, t.VersionCode, t.Code, t.Name())
}

// Find returns the one task of tasks that name designates
// ([runtime.TaskMatches]: an identity, pkg.Func, or a bare Func), or an
// error listing the candidates.
func Find(tasks []*Task, name string) (*Task, error) {
	var found []*Task
	for _, t := range tasks {
		if runtime.TaskMatches(t.ID, name) {
			found = append(found, t)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return nil, fmt.Errorf("task %q is ambiguous; write one of:%s", name, idList(found))
	case len(tasks) == 0:
		return nil, fmt.Errorf("task %q: the packages have no //cache:task", name)
	}
	var names []string
	for _, t := range tasks {
		names = append(names, t.Name(), t.ID)
	}
	if c, ok := suggest.Closest(name, names); ok {
		return nil, fmt.Errorf("no task %q; did you mean %q? The packages' tasks are:%s", name, c, idList(tasks))
	}
	return nil, fmt.Errorf("no task %q; the packages' tasks are:%s", name, idList(tasks))
}

func idList(tasks []*Task) string {
	var b strings.Builder
	for _, t := range tasks {
		b.WriteString("\n\t" + t.ID)
	}
	return b.String()
}

// KeyFromJSON returns the encoded key arguments of a call of t from args, a
// JSON array with one element per key value, in order: the key
// expression's value with key=, else each of KeyArgs (see
// gen/internal/jsonkey for how JSON is read as each type). It is how
// "cachegen explain" finds the entry of a call without running the program.
func (t *Task) KeyFromJSON(args json.RawMessage) ([]byte, error) {
	if t.keyFromJSON == nil {
		return nil, errors.New("the task was not built by gen: no key encoder")
	}
	return t.keyFromJSON(args)
}
