package jsonkey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/types"
	"reflect"
	"slices"
	"strings"
)

// field is one struct field as a JSON object names it.
type field struct {
	index  int
	name   string        // the member name that sets it
	quoted bool          // the ",string" tag option applies
	embed  *types.Struct // the struct whose fields an untagged embedded field promotes, or nil
}

// structFields lists the non-blank fields of u with their JSON names.
func (e *encoder) structFields(u *types.Struct) []field {
	var fs []field
	for i := range u.NumFields() {
		v := u.Field(i)
		if v.Name() == "_" {
			continue
		}
		f := field{index: i, name: v.Name()}
		tagName, opts, comma := strings.Cut(reflect.StructTag(u.Tag(i)).Get("json"), ",")
		if v.Exported() && (tagName != "" && tagName != "-" || tagName == "-" && comma) {
			f.name = tagName
		}
		if strings.Contains(","+opts+",", ",string,") {
			f.quoted = quotable(v.Type())
		}
		if v.Embedded() && tagName == "" {
			f.embed = e.promoting(v.Type())
		}
		fs = append(fs, f)
	}
	return fs
}

// quotable reports whether the ",string" option applies to a field of type
// t: a bool, number or string, or an unnamed pointer to one.
func quotable(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsBoolean|types.IsNumeric|types.IsString) != 0 && b.Info()&types.IsComplex == 0
}

// promoting returns the struct whose fields an embedded field of type t
// promotes into its parent's JSON object, or nil.
func (e *encoder) promoting(t types.Type) *types.Struct {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if isTime(t) || e.isKeyer(t) {
		return nil
	}
	s, _ := t.Underlying().(*types.Struct)
	return s
}

// resolves reports whether a member name sets a field of u, directly or
// through promotion; seen guards against embedding cycles.
func (e *encoder) resolves(u *types.Struct, name string, seen map[*types.Struct]bool) bool {
	if seen[u] {
		return false
	}
	seen[u] = true
	fs := e.structFields(u)
	if lookupWhere(fs, name, func(field) bool { return true }) >= 0 {
		return true
	}
	for _, f := range fs {
		if f.embed != nil && e.resolves(f.embed, name, seen) {
			return true
		}
	}
	return false
}

// How a member name sets a field.
const (
	noField     = iota
	byName      // the member is the field's value
	byPromotion // the member sets a field the embedded field promotes
)

// target finds the field of u that a member name sets. As in encoding/json,
// the parent's own fields come first, then the fields promoted from
// untagged embedded structs; an embedded struct's own name comes last.
func (e *encoder) target(fs []field, u *types.Struct, name string) (int, int) {
	own := func(f field) bool { return f.embed == nil }
	if i := lookupWhere(fs, name, own); i >= 0 {
		return i, byName
	}
	i := slices.IndexFunc(fs, func(f field) bool {
		return f.embed != nil && e.resolves(f.embed, name, map[*types.Struct]bool{u: true})
	})
	if i >= 0 {
		return i, byPromotion
	}
	if i := lookupWhere(fs, name, func(f field) bool { return f.embed != nil }); i >= 0 {
		return i, byName
	}
	return -1, noField
}

// lookupWhere is lookup among the fields that ok accepts.
func lookupWhere(fs []field, name string, ok func(field) bool) int {
	for _, fold := range []bool{false, true} {
		for i, f := range fs {
			if ok(f) && (f.name == name || fold && strings.EqualFold(f.name, name)) {
				return i
			}
		}
	}
	return -1
}

// structValue reads an object as a struct: each field in declaration order,
// from its member, from the members it promotes, or as its zero value.
func (e *encoder) structValue(b []byte, u *types.Struct, raw []byte, path string, depth int) ([]byte, error) {
	fs := e.structFields(u)
	vals, err := e.assign(fs, u, raw, path)
	if err != nil {
		return b, err
	}
	for i, f := range fs {
		v := vals[i]
		if f.quoted && len(v) > 0 && v[0] == '"' {
			v = unquote(v, u.Field(f.index).Type())
		}
		if b, err = e.value(b, u.Field(f.index).Type(), v, path+"."+u.Field(f.index).Name(), depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

// assign maps the members of raw to the fields fs of u, returning each
// field's JSON value (nil when absent); promoted members are gathered into
// an object for their embedded field.
func (e *encoder) assign(fs []field, u *types.Struct, raw []byte, path string) ([][]byte, error) {
	vals := make([][]byte, len(fs))
	if raw == nil {
		return vals, nil
	}
	members, err := objectMembers(raw, path, typeString(u))
	if err != nil {
		return nil, err
	}
	promoted := make([][]member, len(fs))
	for _, m := range members {
		i, how := e.target(fs, u, m.name)
		switch how {
		case byName:
			if vals[i] != nil {
				return nil, fmt.Errorf("%s: field %s given twice", path, u.Field(fs[i].index).Name())
			}
			vals[i] = m.value
		case byPromotion:
			promoted[i] = append(promoted[i], m)
		default:
			return nil, fmt.Errorf("%s: %s has no field %q", path, typeString(u), m.name)
		}
	}
	for i, ms := range promoted {
		if ms == nil {
			continue
		}
		if vals[i] != nil {
			return nil, fmt.Errorf("%s: embedded field %s given both as a member and through its fields", path, u.Field(fs[i].index).Name())
		}
		vals[i] = joinObject(ms)
	}
	return vals, nil
}

// unquote undoes the ",string" option: the JSON text inside the string, if
// it is a value of the field's kind; else raw itself.
func unquote(raw []byte, t types.Type) []byte {
	var s string
	if json.Unmarshal(raw, &s) != nil || !json.Valid([]byte(s)) {
		return raw
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	b, _ := t.Underlying().(*types.Basic)
	isString := b != nil && b.Info()&types.IsString != 0
	if isString != (len(s) > 0 && s[0] == '"') {
		return raw
	}
	return []byte(s)
}

// member is one member of a JSON object, in document order.
type member struct {
	name  string
	value json.RawMessage
}

// objectMembers reads the members of a JSON object in order.
func objectMembers(raw []byte, path, what string) ([]member, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("%s: want an object for %s, got %s", path, what, describe(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var ms []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var m member
		m.name, _ = tok.(string) // a member name is always a string token
		if err := dec.Decode(&m.value); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// joinObject writes members back as one JSON object.
func joinObject(ms []member) []byte {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			buf.WriteByte(',')
		}
		name, _ := json.Marshal(m.name) // a string always marshals
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(m.value)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// arrayElems reads the elements of a JSON array.
func arrayElems(raw []byte, path, what string) ([]json.RawMessage, error) {
	var elems []json.RawMessage
	if len(raw) == 0 || raw[0] != '[' {
		return nil, fmt.Errorf("%s: want an array for %s, got %s", path, what, describe(raw))
	}
	if err := json.Unmarshal(raw, &elems); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return elems, nil
}

// unhashablePart returns the first type within t that has no key encoding
// (interface, channel, func, unsafe.Pointer), or nil; Keyers and time.Time
// are not looked into. The runtime rejects such a type as a whole, even for
// a value that holds no such part, and so does Encode.
func (e *encoder) unhashablePart(t types.Type, seen map[types.Type]bool) types.Type {
	t = types.Unalias(t)
	if seen[t] || isTime(t) || e.isKeyer(t) {
		return nil
	}
	seen[t] = true
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Kind() == types.UnsafePointer || u.Info()&types.IsUntyped != 0 || u.Kind() == types.Invalid {
			return t
		}
	case *types.Pointer:
		return e.unhashablePart(u.Elem(), seen)
	case *types.Slice:
		return e.unhashablePart(u.Elem(), seen)
	case *types.Array:
		return e.unhashablePart(u.Elem(), seen)
	case *types.Map:
		if bad := e.unhashablePart(u.Key(), seen); bad != nil {
			return bad
		}
		return e.unhashablePart(u.Elem(), seen)
	case *types.Struct:
		for i := range u.NumFields() {
			if f := u.Field(i); f.Name() != "_" {
				if bad := e.unhashablePart(f.Type(), seen); bad != nil {
					return bad
				}
			}
		}
	case *types.TypeParam:
		return nil // reported when a value reaches it
	default:
		return t
	}
	return nil
}
