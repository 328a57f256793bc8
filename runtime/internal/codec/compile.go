package codec

import (
	"encoding"
	"fmt"
	"reflect"
	"unsafe"
)

// A plan encodes and decodes one type. Plans are compiled once per type and
// refer to the plans of their parts, so recursive types (through pointers,
// slices and maps) are plans that refer to themselves.
type plan struct {
	typ reflect.Type
	// enc appends the encoding of the typ value at p.
	enc func(e *encoder, p unsafe.Pointer) error
	// dec overwrites the typ value at p with the next value in the input.
	dec func(d *decoder, p unsafe.Pointer) error
	// min is the smallest number of bytes a value of typ encodes to. A
	// length prefix n is accepted only if n*min bytes remain, so the input
	// justifies every allocation. min is 0 exactly when every value of typ
	// encodes to no bytes at all.
	min int
}

var (
	marshalerType   = reflect.TypeFor[encoding.BinaryMarshaler]()
	unmarshalerType = reflect.TypeFor[encoding.BinaryUnmarshaler]()
	appenderType    = reflect.TypeFor[encoding.BinaryAppender]()
)

// usesMarshaler reports whether t is encoded by its own MarshalBinary and
// UnmarshalBinary methods: *T must have both (so T's value methods count).
// This rule comes before the structural ones, except for a struct that
// embeds a field providing either method: the struct would have them only by
// promotion (struct{ time.Time; Name string } has time.Time's), and using
// them would silently drop its other fields, so it is encoded field by field.
func usesMarshaler(t reflect.Type) bool {
	if t.Kind() == reflect.Interface {
		return false
	}
	pt := reflect.PointerTo(t)
	if !pt.Implements(marshalerType) || !pt.Implements(unmarshalerType) {
		return false
	}
	if t.Kind() == reflect.Struct {
		for i := range t.NumField() {
			if f := t.Field(i); f.Anonymous && (hasEitherMethod(f.Type) || hasEitherMethod(reflect.PointerTo(f.Type))) {
				return false
			}
		}
	}
	return true
}

// hasEitherMethod reports whether t has MarshalBinary or UnmarshalBinary.
func hasEitherMethod(t reflect.Type) bool {
	return t.Implements(marshalerType) || t.Implements(unmarshalerType)
}

// compiler builds the plans of one type graph.
type compiler struct {
	// building holds the plans compiled (or being compiled) in this run, so
	// a recursive reference finds the plan of its enclosing type.
	building map[reflect.Type]*plan
}

// compile returns the plan for t. An unsupported part anywhere in t is an
// *UnsupportedError whose Path is relative to t.
func (c *compiler) compile(t reflect.Type) (*plan, error) {
	if e, ok := planCache.Load(t); ok && e.(cached).p != nil {
		return e.(cached).p, nil
	}
	if p := c.building[t]; p != nil {
		return p, nil
	}
	p := &plan{typ: t}
	c.building[t] = p
	if err := c.fill(p); err != nil {
		return nil, err
	}
	return p, nil
}

// fill sets p's functions according to the kind of p.typ.
func (c *compiler) fill(p *plan) error {
	t := p.typ
	if usesMarshaler(t) {
		marshalerPlan(p)
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		boolPlan(p)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		intPlan(p)
	case reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		floatPlan(p)
	case reflect.String:
		stringPlan(p)
	case reflect.Slice, reflect.Array:
		bytesPlan, elemsPlan := byteSlicePlan, slicePlan
		if t.Kind() == reflect.Array {
			bytesPlan, elemsPlan = byteArrayPlan, arrayPlan
		}
		if isBytes(t.Elem()) {
			bytesPlan(p)
			return nil
		}
		elem, err := c.compile(t.Elem())
		if err != nil {
			return under("[]", err)
		}
		elemsPlan(p, elem)
	case reflect.Map:
		key, err := c.compile(t.Key())
		if err != nil {
			return under("[key]", err)
		}
		val, err := c.compile(t.Elem())
		if err != nil {
			return under("[value]", err)
		}
		if fast := fastMapPlans[[2]reflect.Type{t.Key(), t.Elem()}]; fast != nil && !usesMarshaler(t.Key()) && !usesMarshaler(t.Elem()) {
			fast(p, key, val)
		} else {
			mapPlan(p, key, val)
		}
	case reflect.Pointer:
		elem, err := c.compile(t.Elem())
		if err != nil {
			return err // p.F reaches through pointers in Go too
		}
		pointerPlan(p, elem)
	case reflect.Struct:
		return c.structPlan(p)
	default:
		return &UnsupportedError{Reason: unsupportedReason(t)}
	}
	return nil
}

// unsupportedReason explains why a type of a non-storable kind is rejected.
func unsupportedReason(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Interface:
		return fmt.Sprintf("%v is an interface type; its dynamic value cannot be stored (use a concrete type)", t)
	case reflect.Chan:
		return fmt.Sprintf("%v is a channel type and cannot be stored", t)
	case reflect.Func:
		return fmt.Sprintf("%v is a func type and cannot be stored", t)
	case reflect.UnsafePointer:
		return fmt.Sprintf("%v is unsafe.Pointer and cannot be stored", t)
	}
	return fmt.Sprintf("%v cannot be stored", t)
}

// unexportedReason is the message for a struct field the codec cannot see.
func unexportedReason(field string, t reflect.Type) string {
	return fmt.Sprintf("field %s of %v is unexported and would be lost; export it or implement encoding.BinaryMarshaler and BinaryUnmarshaler", field, t)
}

// under prefixes the path of an *UnsupportedError with seg.
func under(seg string, err error) error {
	if ue, ok := err.(*UnsupportedError); ok {
		ue.Path = seg + ue.Path
	}
	return err
}

// isBytes reports whether a slice or array of t is stored as raw bytes.
func isBytes(t reflect.Type) bool {
	return t.Kind() == reflect.Uint8 && !usesMarshaler(t)
}

// structPlan compiles a struct: its exported fields in order, blank fields
// skipped, any other unexported field an error.
func (c *compiler) structPlan(p *plan) error {
	t := p.typ
	type field struct {
		offset uintptr
		p      *plan
	}
	var fields []field
	var blanks []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "_" {
			if f.Type.Size() > 0 {
				blanks = append(blanks, f)
			}
			continue
		}
		if !f.IsExported() {
			return &UnsupportedError{Reason: unexportedReason(f.Name, t)}
		}
		fp, err := c.compile(f.Type)
		if err != nil {
			return under("."+f.Name, err)
		}
		fields = append(fields, field{offset: f.Offset, p: fp})
		p.min += fp.min
	}
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		for _, f := range fields {
			if err := f.p.enc(e, unsafe.Add(ptr, f.offset)); err != nil {
				return err
			}
		}
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		for _, f := range blanks { // not stored, but overwritten all the same
			reflect.NewAt(f.Type, unsafe.Add(ptr, f.Offset)).Elem().SetZero()
		}
		for _, f := range fields {
			if err := f.p.dec(d, unsafe.Add(ptr, f.offset)); err != nil {
				return err
			}
		}
		return nil
	}
	return nil
}
