package runtime

import (
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// instances caches the Task of each instantiation of a generic task; it is
// keyed by *Task and then by the joined type arguments. A cache, not state:
// an entry is a pure function of its key.
var instances sync.Map // map[instanceKey]*Task

type instanceKey struct {
	task *Task
	args string
}

// Instantiate returns the task of one instantiation of a generic task: its
// identity carries the type arguments ("pkg.Map[int,string]"), so each
// instantiation keeps its own entries. Generated code passes [TypeName] of
// each type parameter.
func (t *Task) Instantiate(typeArgs ...string) *Task {
	k := instanceKey{t, strings.Join(typeArgs, ",")}
	if v, ok := instances.Load(k); ok {
		return v.(*Task)
	}
	it := &Task{
		ID: t.ID + "[" + k.args + "]", Fingerprint: t.Fingerprint, Version: t.Version, VersionCode: t.VersionCode, Code: t.Code, Signature: t.Signature,
		TTL: t.TTL, Lock: t.Lock, LockTimeout: t.LockTimeout, Parts: t.Parts, NotFollowed: t.NotFollowed,
		Sources: t.Sources,
	}
	v, _ := instances.LoadOrStore(k, it)
	return v.(*Task)
}

// typeNames caches TypeName results; the name of a type never changes.
var typeNames sync.Map // map[reflect.Type]string

// TypeName returns the fully qualified name of T ("example.com/m/pkg.Sample",
// "[]map[string]*time.Time"), for generic task identities.
func TypeName[T any]() string {
	t := reflect.TypeFor[T]()
	if v, ok := typeNames.Load(t); ok {
		return v.(string)
	}
	var b strings.Builder
	writeTypeName(&b, t)
	s := b.String()
	typeNames.Store(t, s)
	return s
}

func writeTypeName(b *strings.Builder, t reflect.Type) {
	if t.Name() != "" {
		if p := t.PkgPath(); p != "" {
			b.WriteString(p)
			b.WriteByte('.')
		}
		b.WriteString(t.Name())
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		b.WriteByte('*')
		writeTypeName(b, t.Elem())
	case reflect.Slice:
		b.WriteString("[]")
		writeTypeName(b, t.Elem())
	case reflect.Array:
		b.WriteString("[" + strconv.Itoa(t.Len()) + "]")
		writeTypeName(b, t.Elem())
	case reflect.Map:
		b.WriteString("map[")
		writeTypeName(b, t.Key())
		b.WriteByte(']')
		writeTypeName(b, t.Elem())
	case reflect.Chan:
		b.WriteString(t.ChanDir().String() + " ")
		writeTypeName(b, t.Elem())
	default:
		// Unnamed structs, funcs and interfaces: reflect's own spelling,
		// which names fields and methods; packages appear by name only.
		b.WriteString(t.String())
	}
}
