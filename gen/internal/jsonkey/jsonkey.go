package jsonkey

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"math"
	"strconv"
	"time"

	"github.com/cachegen/cachegen/gen/internal/typecode"
	"github.com/cachegen/cachegen/runtime"
)

// ErrKeyer is wrapped by the error of a value whose type implements
// runtime.Keyer: its key bytes come from its own code, which jsonkey cannot
// run.
var ErrKeyer = errors.New("its type implements runtime.Keyer, whose key bytes only its own code computes; give the argument digest with -digest instead")

// Encode appends the canonical key encoding of the JSON value raw, read as a
// value of type t (see the package documentation for how each type is
// read). On error b is returned unchanged.
func Encode(b []byte, t types.Type, raw json.RawMessage) ([]byte, error) {
	return encodeAt(b, t, raw, "value")
}

// EncodeArgs appends the key encoding of an argument list: args is a JSON
// array with one element per type in ts, in order; names name the
// arguments in errors. On error b is returned unchanged.
func EncodeArgs(b []byte, names []string, ts []types.Type, args json.RawMessage) ([]byte, error) {
	if err := json.Unmarshal(args, new(json.RawMessage)); err != nil {
		return b, fmt.Errorf("arguments: invalid JSON: %w", err)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(args, &elems); err != nil || elems == nil {
		return b, fmt.Errorf("arguments: want a JSON array with one element per key parameter (%d), got %s", len(ts), describe(args))
	}
	if len(elems) != len(ts) {
		return b, fmt.Errorf("arguments: want %d (%s), got %d", len(ts), joinNames(names, ts), len(elems))
	}
	out := b
	for i, t := range ts {
		var err error
		if out, err = encodeAt(out, t, elems[i], nameAt(names, i)); err != nil {
			return b, err
		}
	}
	return out, nil
}

func encodeAt(b []byte, t types.Type, raw json.RawMessage, path string) ([]byte, error) {
	if err := json.Unmarshal(raw, new(json.RawMessage)); err != nil {
		return b, fmt.Errorf("%s: invalid JSON: %w", path, err)
	}
	e := &encoder{keyer: keyerInterface()}
	if bad := e.unhashablePart(t, map[types.Type]bool{}); bad != nil {
		return b, fmt.Errorf("%s: type %s cannot be hashed: %s has no key encoding", path, typeString(t), typeString(bad))
	}
	out, err := e.value(b, t, raw, path, 0)
	if err != nil {
		return b, err
	}
	return out, nil
}

func nameAt(names []string, i int) string {
	if i < len(names) && names[i] != "" {
		return names[i]
	}
	return "argument " + strconv.Itoa(i+1)
}

func joinNames(names []string, ts []types.Type) string {
	var buf bytes.Buffer
	for i, t := range ts {
		if i > 0 {
			buf.WriteString(", ")
		}
		fmt.Fprintf(&buf, "%s %s", nameAt(names, i), typeString(t))
	}
	if buf.Len() == 0 {
		return "none"
	}
	return buf.String()
}

// encoder reads JSON values by type and appends their key encoding.
type encoder struct {
	keyer *types.Interface // runtime.Keyer, rebuilt without importing its package's types
}

// keyerInterface returns interface{ AppendCacheKey([]byte) []byte }.
func keyerInterface() *types.Interface {
	bs := types.NewSlice(types.Typ[types.Byte])
	sig := types.NewSignatureType(nil, nil, nil,
		types.NewTuple(types.NewParam(token.NoPos, nil, "b", bs)),
		types.NewTuple(types.NewParam(token.NoPos, nil, "", bs)), false)
	m := types.NewFunc(token.NoPos, nil, "AppendCacheKey", sig)
	return types.NewInterfaceType([]*types.Func{m}, nil).Complete()
}

func (e *encoder) isKeyer(t types.Type) bool {
	if _, ok := t.(*types.TypeParam); ok {
		return false
	}
	return types.Implements(t, e.keyer)
}

// value appends the encoding of raw read as a t; a nil raw stands for t's
// zero value (a struct field the object leaves out). depth counts the
// pointers, slices and maps entered, as the runtime's encoder does.
func (e *encoder) value(b []byte, t types.Type, raw []byte, path string, depth int) ([]byte, error) {
	t = types.Unalias(t)
	raw = bytes.TrimSpace(raw)
	if _, ok := t.(*types.TypeParam); ok {
		return b, fmt.Errorf("%s: type parameter %s: explain needs a concrete type", path, t)
	}
	if e.isKeyer(t) {
		return b, fmt.Errorf("%s: %s: %w", path, typeString(t), ErrKeyer)
	}
	if isTime(t) {
		return timeValue(b, raw, path)
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return basic(b, u, raw, path, typeString(t))
	case *types.Pointer:
		return e.pointer(b, u, raw, path, depth)
	case *types.Slice:
		return e.slice(b, u, raw, path, depth)
	case *types.Array:
		return e.array(b, u, raw, path, depth)
	case *types.Map:
		return e.mapValue(b, u, raw, path, depth)
	case *types.Struct:
		return e.structValue(b, u, raw, path, depth)
	}
	return b, fmt.Errorf("%s: type %s has no key encoding", path, typeString(t))
}

// enter counts one more pointer, slice or map level.
func enter(depth int, path string) (int, error) {
	depth++
	if err := runtime.CheckDepth(depth); err != nil {
		return depth, fmt.Errorf("%s: %w", path, err)
	}
	return depth, nil
}

func isNull(raw []byte) bool { return raw == nil || string(raw) == "null" }

func (e *encoder) pointer(b []byte, u *types.Pointer, raw []byte, path string, depth int) ([]byte, error) {
	depth, err := enter(depth, path)
	if err != nil {
		return b, err
	}
	if isNull(raw) {
		return runtime.AppendNil(b), nil
	}
	return e.value(runtime.AppendNonNil(b), u.Elem(), raw, path, depth)
}

func (e *encoder) slice(b []byte, u *types.Slice, raw []byte, path string, depth int) ([]byte, error) {
	depth, err := enter(depth, path)
	if err != nil {
		return b, err
	}
	if isNull(raw) {
		return runtime.AppendNil(b), nil
	}
	if e.rawBytes(u.Elem()) {
		data, err := byteValues(raw, path, -1)
		if err != nil {
			return b, err
		}
		return runtime.AppendBytes(runtime.AppendNonNil(b), data), nil
	}
	elems, err := arrayElems(raw, path, typeString(u))
	if err != nil {
		return b, err
	}
	b = runtime.AppendLen(runtime.AppendNonNil(b), len(elems))
	for i, el := range elems {
		if b, err = e.value(b, u.Elem(), el, path+"["+strconv.Itoa(i)+"]", depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

func (e *encoder) array(b []byte, u *types.Array, raw []byte, path string, depth int) ([]byte, error) {
	n := int(u.Len())
	if e.rawBytes(u.Elem()) {
		if raw == nil {
			return append(b, make([]byte, n)...), nil
		}
		data, err := byteValues(raw, path, n)
		if err != nil {
			return b, err
		}
		return append(b, data...), nil
	}
	elems := make([]json.RawMessage, n) // all nil: zero values
	if raw != nil {
		var err error
		if elems, err = arrayElems(raw, path, typeString(u)); err != nil {
			return b, err
		}
		if len(elems) != n {
			return b, fmt.Errorf("%s: want %d elements for %s, got %d", path, n, typeString(u), len(elems))
		}
	}
	for i, el := range elems {
		var err error
		if b, err = e.value(b, u.Elem(), el, path+"["+strconv.Itoa(i)+"]", depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

// rawBytes reports whether slices and arrays of elem are encoded as raw
// bytes (and read from base64): elem has kind uint8 and is not a Keyer.
func (e *encoder) rawBytes(elem types.Type) bool {
	bt, ok := elem.Underlying().(*types.Basic)
	return ok && bt.Kind() == types.Uint8 && !e.isKeyer(elem)
}

// byteValues reads a base64 string or an array of numbers as bytes; want
// is the exact length required, or -1.
func byteValues(raw []byte, path string, want int) ([]byte, error) {
	var data []byte
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var err error
		if data, err = base64.StdEncoding.DecodeString(s); err != nil {
			return nil, fmt.Errorf("%s: bytes as a base64 string: %w", path, err)
		}
	case '[':
		elems, err := arrayElems(raw, path, "bytes")
		if err != nil {
			return nil, err
		}
		data = make([]byte, len(elems))
		for i, el := range elems {
			v, err := parseUint(el, 8)
			if err != nil {
				return nil, fmt.Errorf("%s[%d]: want a byte (0 to 255), got %s", path, i, describe(el))
			}
			data[i] = byte(v)
		}
	default:
		return nil, fmt.Errorf("%s: want bytes as a base64 string or an array of numbers, got %s", path, describe(raw))
	}
	if want >= 0 && len(data) != want {
		return nil, fmt.Errorf("%s: want %d bytes, got %d", path, want, len(data))
	}
	return data, nil
}

func (e *encoder) mapValue(b []byte, u *types.Map, raw []byte, path string, depth int) ([]byte, error) {
	depth, err := enter(depth, path)
	if err != nil {
		return b, err
	}
	if isNull(raw) {
		return runtime.AppendNil(b), nil
	}
	members, err := objectMembers(raw, path, typeString(u))
	if err != nil {
		return b, err
	}
	var m runtime.MapEntries
	seen := make(map[string]string, len(members))
	for _, mem := range members {
		start := len(m.Buf)
		if m.Buf, err = e.mapKey(m.Buf, u.Key(), mem.name, path); err != nil {
			return b, err
		}
		k := string(m.Buf[start:])
		if first, dup := seen[k]; dup {
			return b, fmt.Errorf("%s: keys %q and %q are the same %s", path, first, mem.name, typeString(u.Key()))
		}
		seen[k] = mem.name
		m.EndKey()
		if m.Buf, err = e.value(m.Buf, u.Elem(), mem.value, path+"["+strconv.Quote(mem.name)+"]", depth); err != nil {
			return b, err
		}
		m.EndValue()
	}
	return m.AppendSorted(runtime.AppendLen(runtime.AppendNonNil(b), m.Len())), nil
}

// mapKey appends the encoding of a map key read from an object member's
// name: as is for string kinds, parsed for integer kinds.
func (e *encoder) mapKey(b []byte, t types.Type, name, path string) ([]byte, error) {
	t = types.Unalias(t)
	if e.isKeyer(t) {
		return b, fmt.Errorf("%s: map key %s: %w", path, typeString(t), ErrKeyer)
	}
	bt, ok := t.Underlying().(*types.Basic)
	if !ok || bt.Info()&(types.IsString|types.IsInteger) == 0 {
		return b, fmt.Errorf("%s: map key type %s cannot be written as a JSON object member name (only strings and integers can)", path, typeString(t))
	}
	if bt.Info()&types.IsString != 0 {
		return runtime.AppendString(b, name), nil
	}
	return basic(b, bt, []byte(name), path+"["+strconv.Quote(name)+"]", typeString(t))
}

// describe abbreviates a JSON value for an error message.
func describe(raw []byte) string {
	const limit = 40
	s := string(bytes.TrimSpace(raw))
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return s
}

func typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}

// isTime reports whether t is time.Time.
func isTime(t types.Type) bool { return typecode.IsNamed(t, "time", "Time") }

func timeValue(b []byte, raw []byte, path string) ([]byte, error) {
	if raw == nil {
		return runtime.AppendTime(b, time.Time{}), nil
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return b, fmt.Errorf("%s: want a time as an RFC 3339 string, got %s", path, describe(raw))
	}
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return b, fmt.Errorf("%s: want a time as an RFC 3339 string: %w", path, err)
	}
	return runtime.AppendTime(b, tm), nil
}

// parseUint parses a JSON number as an unsigned integer of the given size.
func parseUint(raw []byte, bits int) (uint64, error) {
	return strconv.ParseUint(string(raw), 10, bits)
}

// floatValue parses a JSON number, or the strings "NaN", "Inf", "+Inf" and
// "-Inf", as a float of the given size.
func floatValue(raw []byte, bits int) (float64, bool) {
	switch string(raw) {
	case `"NaN"`:
		return math.NaN(), true
	case `"Inf"`, `"+Inf"`:
		return math.Inf(1), true
	case `"-Inf"`:
		return math.Inf(-1), true
	}
	if len(raw) == 0 || raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(raw), bits)
	return f, err == nil
}
