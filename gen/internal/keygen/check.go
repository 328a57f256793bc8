package keygen

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/cachegen/cachegen/gen/internal/typecode"
)

// Check reports why t cannot be key-encoded by code generated into the
// Emitter's package, or nil. The error names the offending part, such as
// "type chan int cannot be hashed: channels have no stable value; implement
// runtime.Keyer or ignore the parameter".
func (e *Emitter) Check(t types.Type) error {
	return e.check(t, new(typeutil.Map))
}

// check is Check with the set of types already checked (recursive types).
func (e *Emitter) check(t types.Type, seen *typeutil.Map) error {
	t = types.Unalias(t)
	if hasTypeParam(t) || e.isKeyer(t) || isTime(t) || seen.At(t) != nil {
		return nil
	}
	seen.Set(t, true)
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Kind() == types.UnsafePointer:
			return cannotHash(t, "unsafe pointers have no stable value")
		case u.Kind() == types.Invalid || u.Info()&types.IsUntyped != 0:
			return cannotHash(t, "it has no type")
		}
		return nil
	case *types.Pointer:
		return e.check(u.Elem(), seen)
	case *types.Slice:
		return e.check(u.Elem(), seen)
	case *types.Array:
		return e.check(u.Elem(), seen)
	case *types.Map:
		if err := e.check(u.Key(), seen); err != nil {
			return err
		}
		return e.check(u.Elem(), seen)
	case *types.Struct:
		return e.checkStruct(t, u, seen)
	case *types.Interface:
		return cannotHash(t, "an interface value has no static type to encode by")
	case *types.Chan:
		return cannotHash(t, "channels have no stable value")
	case *types.Signature:
		return cannotHash(t, "functions have no stable value")
	}
	return cannotHash(t, "it has no encoding")
}

func (e *Emitter) checkStruct(t types.Type, u *types.Struct, seen *typeutil.Map) error {
	for i := range u.NumFields() {
		f := u.Field(i)
		if f.Name() == "_" {
			continue
		}
		if !f.Exported() && f.Pkg() != nil && f.Pkg().Path() != e.pkg.Path() {
			return fmt.Errorf("field %s of %s is unexported in another package; implement runtime.Keyer",
				f.Name(), types.TypeString(t, nil))
		}
		if err := e.check(f.Type(), seen); err != nil {
			return fmt.Errorf("field %s of %s: %w", f.Name(), types.TypeString(t, nil), err)
		}
	}
	return nil
}

func cannotHash(t types.Type, why string) error {
	return fmt.Errorf("type %s cannot be hashed: %s; implement runtime.Keyer or ignore the parameter",
		types.TypeString(t, nil), why)
}

// isKeyer reports whether t's method set has AppendCacheKey([]byte) []byte.
func (e *Emitter) isKeyer(t types.Type) bool {
	if _, ok := t.(*types.TypeParam); ok {
		return false
	}
	return types.Implements(t, e.keyer)
}

// isTime reports whether t is time.Time.
func isTime(t types.Type) bool { return typecode.IsNamed(t, "time", "Time") }

// hasTypeParam reports whether t mentions a type parameter.
func hasTypeParam(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.TypeParam:
		return true
	case *types.Named:
		for a := range t.TypeArgs().Types() {
			if hasTypeParam(a) {
				return true
			}
		}
	case *types.Pointer:
		return hasTypeParam(t.Elem())
	case *types.Slice:
		return hasTypeParam(t.Elem())
	case *types.Array:
		return hasTypeParam(t.Elem())
	case *types.Chan:
		return hasTypeParam(t.Elem())
	case *types.Map:
		return hasTypeParam(t.Key()) || hasTypeParam(t.Elem())
	case *types.Struct:
		for i := range t.NumFields() {
			if hasTypeParam(t.Field(i).Type()) {
				return true
			}
		}
	case *types.Signature:
		return hasTypeParam(t.Params()) || hasTypeParam(t.Results())
	case *types.Tuple:
		for v := range t.Variables() {
			if hasTypeParam(v.Type()) {
				return true
			}
		}
	case *types.Interface:
		for m := range t.Methods() {
			if hasTypeParam(m.Type()) {
				return true
			}
		}
	}
	return false
}

// isRecursive reports whether the encoding of n can reach n again, so it
// needs a helper function that tracks depth.
func (e *Emitter) isRecursive(n *types.Named) bool {
	if r, ok := e.recursive.At(n).(bool); ok {
		return r
	}
	r := e.reaches(n.Underlying(), n, new(typeutil.Map))
	e.recursive.Set(n, r)
	return r
}

// reaches reports whether encoding a t descends into target.
func (e *Emitter) reaches(t types.Type, target *types.Named, seen *typeutil.Map) bool {
	t = types.Unalias(t)
	if types.Identical(t, target) {
		return true
	}
	if e.isKeyer(t) || isTime(t) || seen.At(t) != nil {
		return false
	}
	seen.Set(t, true)
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return e.reaches(u.Elem(), target, seen)
	case *types.Slice:
		return e.reaches(u.Elem(), target, seen)
	case *types.Array:
		return e.reaches(u.Elem(), target, seen)
	case *types.Map:
		return e.reaches(u.Key(), target, seen) || e.reaches(u.Elem(), target, seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" && e.reaches(f.Type(), target, seen) {
				return true
			}
		}
	}
	return false
}

// isEmpty reports whether the encoding of t is always zero bytes (a struct
// with no fields, an array of length 0), so the emitted code for it is
// empty and a loop variable of type t would be unused.
func (e *Emitter) isEmpty(t types.Type) bool {
	t = types.Unalias(t)
	if hasTypeParam(t) || e.isKeyer(t) || isTime(t) {
		return false
	}
	if n, ok := t.(*types.Named); ok && e.isRecursive(n) {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Array:
		return u.Len() == 0 || (!e.rawBytes(u.Elem()) && e.isEmpty(u.Elem()))
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" && !e.isEmpty(f.Type()) {
				return false
			}
		}
		return true
	}
	return false
}

// rawBytes reports whether slices and arrays of elem are encoded as raw
// bytes: elem has kind uint8 and is not a Keyer.
func (e *Emitter) rawBytes(elem types.Type) bool {
	b, ok := types.Unalias(elem).Underlying().(*types.Basic)
	return ok && b.Kind() == types.Uint8 && !e.isKeyer(elem)
}
