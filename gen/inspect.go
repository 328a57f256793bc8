package gen

import (
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
	}
	for _, p := range t.Fingerprint.Parts {
		d.Parts = append(d.Parts, runtime.Part{Kind: p.Kind, Name: p.Name, Hash: p.Hash, Pos: fileOf(p.Pos)})
	}
	return d
}
