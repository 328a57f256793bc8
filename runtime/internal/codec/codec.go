package codec

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"unsafe"
)

// ID identifies this codec's format in entry headers. It changes whenever
// the byte format changes, so entries written by another format read as
// misses instead of being decoded wrongly.
const ID = 1

// maxDepth bounds the nesting of pointers, slices and maps on encode and on
// decode, so a cyclic value or a hostile input is an error, never a stack
// overflow.
const maxDepth = 1000

// maxEmptyElems bounds the length of a slice whose elements encode to no
// bytes but occupy memory (a struct of only blank fields): the input cannot
// justify such an allocation, so both directions refuse longer slices.
const maxEmptyElems = 1 << 16

// Codec encodes and decodes values of type T. A Codec is safe for concurrent
// use; its zero value is not usable, get one from [For].
type Codec[T any] struct {
	p *plan
}

// For returns the codec for T, or an error saying why T cannot be
// round-tripped faithfully. The compiled plan is cached per type, so calling
// For on every use is cheap.
func For[T any]() (*Codec[T], error) {
	p, err := planFor(reflect.TypeFor[T]())
	if err != nil {
		return nil, err
	}
	return &Codec[T]{p: p}, nil
}

// Append appends the encoding of *v to b and returns the extended slice. It
// fails only for values nested deeper than 1000 pointers, slices and maps
// (which includes cyclic values) and for errors returned by a type's own
// MarshalBinary.
func (c *Codec[T]) Append(b []byte, v *T) ([]byte, error) {
	if v == nil {
		return b, fmt.Errorf("codec: encode %v: nil pointer", c.p.typ)
	}
	e := encoder{buf: b}
	if err := c.p.enc(&e, unsafe.Pointer(v)); err != nil {
		return b, fmt.Errorf("codec: encode %v: %w", c.p.typ, err)
	}
	return e.buf, nil
}

// Decode decodes data, which must be consumed exactly, into *v, overwriting
// it fully: decoding into a non-zero value gives the same result as into a
// zero value, and the result shares no memory with data or with the previous
// contents of *v. On error *v holds an unspecified mix of old and new values.
//
// Decode never panics on malformed input and allocates no more than the
// input's length justifies.
func (c *Codec[T]) Decode(data []byte, v *T) error {
	if v == nil {
		return fmt.Errorf("codec: decode %v: nil pointer", c.p.typ)
	}
	d := decoder{data: data}
	if err := c.p.dec(&d, unsafe.Pointer(v)); err != nil {
		return fmt.Errorf("codec: decode %v: %w", c.p.typ, err)
	}
	if d.off != len(data) {
		return fmt.Errorf("codec: decode %v: %d trailing bytes after the value", c.p.typ, len(data)-d.off)
	}
	return nil
}

// Check reports why values of type t cannot be round-tripped faithfully, or
// nil. Its verdict is the one [For] gives for the same type.
func Check(t reflect.Type) error {
	_, err := planFor(t)
	return err
}

// UnsupportedError says why a type cannot be round-tripped and where in it
// the problem lies.
type UnsupportedError struct {
	// Path locates the offending part, starting with the checked type, e.g.
	// "main.Out.Items[].Inner"; it is the type alone at the top.
	Path string
	// Reason is the rule that failed, e.g. "field secret of main.Report is
	// unexported and would be lost; ...".
	Reason string
}

// Error returns "path: reason".
func (e *UnsupportedError) Error() string {
	return e.Path + ": " + e.Reason
}

// planCache holds compiled plans (or the reason a type cannot be compiled)
// keyed by reflect.Type. It is a cache: entries are immutable once stored,
// losing them would only cost recompilation, and two goroutines compiling the
// same type at once both get equivalent plans.
var planCache sync.Map // reflect.Type → cached

// cached is one planCache entry.
type cached struct {
	p   *plan
	err error
}

// planFor returns the cached plan for t, compiling and caching it on first
// use.
func planFor(t reflect.Type) (*plan, error) {
	if t == nil {
		return nil, errors.New("codec: nil type")
	}
	if c, ok := planCache.Load(t); ok {
		c := c.(cached)
		return c.p, c.err
	}
	comp := compiler{building: make(map[reflect.Type]*plan)}
	p, err := comp.compile(t)
	if err != nil {
		var ue *UnsupportedError
		if errors.As(err, &ue) {
			ue.Path = t.String() + ue.Path
		}
		planCache.Store(t, cached{err: err})
		return nil, err
	}
	for bt, bp := range comp.building {
		planCache.LoadOrStore(bt, cached{p: bp})
	}
	c, _ := planCache.LoadOrStore(t, cached{p: p})
	return c.(cached).p, nil
}
