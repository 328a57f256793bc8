package keyenc

import (
	"fmt"
	"reflect"
	"sync"
	"time"
	"unsafe"
)

// encodeFunc appends the encoding of v, whose type is the plan's, entered at
// the given depth (the number of pointers, slices and maps above it).
type encodeFunc func(b []byte, v reflect.Value, depth int) ([]byte, error)

// plan is the compiled encoder of one type. The pointer is stable while the
// plan is compiled, so recursive types refer to their own plan.
type plan struct {
	enc encodeFunc
	// scalar reports that the encoder never needs v.Interface (no Keyer,
	// no time.Time, nothing nested), so it works on values read through
	// unexported fields.
	scalar bool
}

// plans caches the compiled plan of every reflect.Type seen (see the package
// doc). Keys are reflect.Type, values *plan.
var plans sync.Map

var (
	keyerType = reflect.TypeFor[Keyer]()
	timeType  = reflect.TypeFor[time.Time]()
)

// AppendAny appends the encoding of v, taking v's dynamic type as its static
// type. A nil v is an error wrapping [ErrUnhashable].
func AppendAny(b []byte, v any) ([]byte, error) {
	return AppendAnyDepth(b, v, 0)
}

// AppendAnyDepth is [AppendAny] for a value nested depth pointers, slices and
// maps deep in an argument; generated code calls it for type parameters.
func AppendAnyDepth(b []byte, v any, depth int) ([]byte, error) {
	if v == nil {
		return b, errNilAny
	}
	return appendValue(b, reflect.ValueOf(v), depth)
}

// errNilAny is the error for a nil any, which has no type to encode by.
var errNilAny = fmt.Errorf("keyenc: encode nil interface: %w", ErrUnhashable)

// Append appends the encoding of v with v.Type() as its static type. An
// invalid v is an error wrapping [ErrUnhashable].
func Append(b []byte, v reflect.Value) ([]byte, error) {
	if !v.IsValid() {
		return b, fmt.Errorf("keyenc: encode invalid value: %w", ErrUnhashable)
	}
	return appendValue(b, v, 0)
}

func appendValue(b []byte, v reflect.Value, depth int) ([]byte, error) {
	out, err := planFor(v.Type()).enc(b, v, depth)
	if err != nil {
		return b, err
	}
	return out, nil
}

// planFor returns the cached plan of t, compiling it (and the plans of the
// types it contains) on first use.
func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	c := compiler{building: map[reflect.Type]*plan{}}
	p := c.compile(t)
	for bt, bp := range c.building {
		// A type that contains an unhashable type is unhashable as a
		// whole, even when the value holds no such part (an empty []any),
		// as the generator decides from the static type.
		if bad := unhashablePart(bt, map[reflect.Type]bool{}); bad != nil {
			err := fmt.Errorf("keyenc: encode %s: %s: %w", bt, bad, ErrUnhashable)
			bp.enc = func(b []byte, _ reflect.Value, _ int) ([]byte, error) { return b, err }
		}
		plans.LoadOrStore(bt, bp)
	}
	return p
}

// unhashablePart returns the first type within t that has no encoding, or
// nil. seen holds the types already walked.
func unhashablePart(t reflect.Type, seen map[reflect.Type]bool) reflect.Type {
	if seen[t] || t.Implements(keyerType) || t == timeType {
		return nil
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer, reflect.Invalid:
		return t
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return unhashablePart(t.Elem(), seen)
	case reflect.Map:
		if bad := unhashablePart(t.Key(), seen); bad != nil {
			return bad
		}
		return unhashablePart(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.Name != "_" {
				if bad := unhashablePart(f.Type, seen); bad != nil {
					return bad
				}
			}
		}
	}
	return nil
}

// compiler compiles the plans of one type and the types it contains.
type compiler struct {
	// building holds the plans compiled by this compiler, including ones
	// not yet complete (a recursive type meets its own plan).
	building map[reflect.Type]*plan
}

func (c *compiler) compile(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := c.building[t]; ok {
		return p
	}
	p := &plan{}
	c.building[t] = p
	p.enc, p.scalar = c.build(t)
	return p
}

// build returns the encoder of t and whether it is scalar (see plan).
func (c *compiler) build(t reflect.Type) (encodeFunc, bool) {
	switch {
	case t.Implements(keyerType):
		return encodeKeyer, false
	case t == timeType:
		return encodeTime, false
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(b []byte, v reflect.Value, _ int) ([]byte, error) { return AppendBool(b, v.Bool()), nil }, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(b []byte, v reflect.Value, _ int) ([]byte, error) { return AppendInt(b, v.Int()), nil }, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(b []byte, v reflect.Value, _ int) ([]byte, error) { return AppendUint(b, v.Uint()), nil }, true
	case reflect.Float32, reflect.Float64:
		return func(b []byte, v reflect.Value, _ int) ([]byte, error) { return AppendFloat(b, v.Float()), nil }, true
	case reflect.Complex64, reflect.Complex128:
		return func(b []byte, v reflect.Value, _ int) ([]byte, error) { return AppendComplex(b, v.Complex()), nil }, true
	case reflect.String:
		return func(b []byte, v reflect.Value, _ int) ([]byte, error) { return AppendString(b, v.String()), nil }, true
	case reflect.Slice:
		return c.buildSlice(t), false
	case reflect.Array:
		return c.buildArray(t), false
	case reflect.Map:
		return c.buildMap(t), false
	case reflect.Pointer:
		return c.buildPointer(t), false
	case reflect.Struct:
		return c.buildStruct(t), false
	}
	// Unhashable kinds: planFor replaces this encoder with one returning
	// the error.
	return nil, false
}

// rawBytes reports whether slices and arrays of elem are written as raw bytes.
func rawBytes(elem reflect.Type) bool {
	return elem.Kind() == reflect.Uint8 && !elem.Implements(keyerType)
}

// interfaceOf returns v as a T, or an error if v was read through an
// unexported field that could not be made accessible.
func interfaceOf[T any](v reflect.Value) (T, error) {
	if !v.CanInterface() {
		var zero T
		return zero, fmt.Errorf("keyenc: encode %s: value read through an unexported field is not addressable", v.Type())
	}
	x, _ := reflect.TypeAssert[T](v)
	return x, nil
}

func encodeKeyer(b []byte, v reflect.Value, _ int) ([]byte, error) {
	k, err := interfaceOf[Keyer](v)
	if err != nil {
		return b, err
	}
	return AppendKeyer(b, k), nil
}

func encodeTime(b []byte, v reflect.Value, _ int) ([]byte, error) {
	t, err := interfaceOf[time.Time](v)
	if err != nil {
		return b, err
	}
	return AppendTime(b, t), nil
}

func (c *compiler) buildPointer(t reflect.Type) encodeFunc {
	elem := c.compile(t.Elem())
	return func(b []byte, v reflect.Value, depth int) ([]byte, error) {
		b, depth, done, err := enterNillable(b, v, depth)
		if done {
			return b, err
		}
		return elem.enc(b, v.Elem(), depth)
	}
}

func (c *compiler) buildSlice(t reflect.Type) encodeFunc {
	if rawBytes(t.Elem()) {
		return func(b []byte, v reflect.Value, depth int) ([]byte, error) {
			if err := CheckDepth(depth + 1); err != nil {
				return b, err
			}
			if v.IsNil() {
				return AppendNil(b), nil
			}
			return AppendBytes(AppendNonNil(b), v.Bytes()), nil
		}
	}
	elem := c.compile(t.Elem())
	return func(b []byte, v reflect.Value, depth int) ([]byte, error) {
		b, depth, done, err := enterNillable(b, v, depth)
		if done {
			return b, err
		}
		return appendElems(AppendLen(b, v.Len()), v, elem, depth)
	}
}

// enterNillable begins the value v of a pointer, slice or map one level
// deeper than depth: it checks the depth, and writes the nil marker (done:
// nothing more to write) or the non-nil one.
func enterNillable(b []byte, v reflect.Value, depth int) (_ []byte, _ int, done bool, _ error) {
	depth++
	if err := CheckDepth(depth); err != nil {
		return b, depth, true, err
	}
	if v.IsNil() {
		return AppendNil(b), depth, true, nil
	}
	return AppendNonNil(b), depth, false, nil
}

// appendElems encodes every element of the slice or array v with elem.
func appendElems(b []byte, v reflect.Value, elem *plan, depth int) ([]byte, error) {
	var err error
	for i := range v.Len() {
		if b, err = elem.enc(b, v.Index(i), depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

func (c *compiler) buildArray(t reflect.Type) encodeFunc {
	if rawBytes(t.Elem()) {
		return func(b []byte, v reflect.Value, _ int) ([]byte, error) {
			if v.CanAddr() {
				return append(b, v.Bytes()...), nil
			}
			for i := range v.Len() {
				b = append(b, byte(v.Index(i).Uint()))
			}
			return b, nil
		}
	}
	elem := c.compile(t.Elem())
	return func(b []byte, v reflect.Value, depth int) ([]byte, error) {
		return appendElems(b, v, elem, depth)
	}
}

func (c *compiler) buildMap(t reflect.Type) encodeFunc {
	key, value := c.compile(t.Key()), c.compile(t.Elem())
	return func(b []byte, v reflect.Value, depth int) ([]byte, error) {
		b, depth, done, err := enterNillable(b, v, depth)
		if done {
			return b, err
		}
		b = AppendLen(b, v.Len())
		var m MapEntries
		for it := v.MapRange(); it.Next(); {
			if m.Buf, err = key.enc(m.Buf, it.Key(), depth); err != nil {
				return b, err
			}
			m.EndKey()
			if m.Buf, err = value.enc(m.Buf, it.Value(), depth); err != nil {
				return b, err
			}
			m.EndValue()
		}
		return m.AppendSorted(b), nil
	}
}

// field is one encoded struct field.
type field struct {
	index int
	plan  *plan
	// exposed reports that the field is unexported: when its plan is not
	// scalar it is read through its address, so Keyer and time.Time values
	// can still be reached.
	exposed bool
}

func (c *compiler) buildStruct(t reflect.Type) encodeFunc {
	var fields []field
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "_" {
			continue
		}
		fields = append(fields, field{index: i, plan: c.compile(f.Type), exposed: !f.IsExported()})
	}
	return func(b []byte, v reflect.Value, depth int) ([]byte, error) {
		var err error
		for _, f := range fields {
			fv := v.Field(f.index)
			if f.exposed && !f.plan.scalar {
				if !fv.CanAddr() && v.CanInterface() {
					// Copy into a variable so the field can be reached
					// through its address.
					tmp := reflect.New(t).Elem()
					tmp.Set(v)
					v, fv = tmp, tmp.Field(f.index)
				}
				if fv.CanAddr() {
					fv = reflect.NewAt(fv.Type(), unsafe.Pointer(fv.UnsafeAddr())).Elem()
				}
			}
			if b, err = f.plan.enc(b, fv, depth); err != nil {
				return b, err
			}
		}
		return b, nil
	}
}
