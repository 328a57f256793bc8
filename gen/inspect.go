package gen

import (
	"fmt"
	"strings"

	"github.com/cachegen/cachegen/gen/fingerprint"
	"github.com/cachegen/cachegen/gen/taskname"
	"github.com/cachegen/cachegen/internal/srchash"

	"github.com/cachegen/cachegen/runtime"
)

// KeyParams are the values that form the argument part of a task's key, in
// order: the key expression's value (one parameter named "key") when key=
// is set, else the receiver and every named parameter that is not a
// context.Context and not in ignore=.
func (t *Task) KeyParams() []Param {
	if t.KeyExpr != nil {
		return []Param{{Name: "key", Type: t.KeyType}}
	}
	return t.keyParams()
}

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
	return nil, fmt.Errorf("no task %q; the packages' tasks are:%s", name, idList(tasks))
}

func idList(tasks []*Task) string {
	var b strings.Builder
	for _, t := range tasks {
		b.WriteString("\n\t" + t.ID)
	}
	return b.String()
}
