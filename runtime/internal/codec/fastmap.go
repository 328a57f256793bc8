package codec

import (
	"fmt"
	"reflect"
	"unsafe"
)

// Maps are the costliest part of a decode through reflect (a temporary per
// key and value, and reflect.Value.SetMapIndex per entry). For the common
// key and value types the plan uses Go map operations instead; the format is
// the same. A named map type shares its memory layout with the unnamed map
// of the same key and element types, so the fast path serves both.

// fastMapPlans builds the fast plan for a map whose key and element types
// are exactly K and V.
var fastMapPlans = map[[2]reflect.Type]func(p, key, val *plan){
	pairOf[string, string]():  typedMapPlan[string, string],
	pairOf[string, int]():     typedMapPlan[string, int],
	pairOf[string, int64]():   typedMapPlan[string, int64],
	pairOf[string, float64](): typedMapPlan[string, float64],
	pairOf[string, bool]():    typedMapPlan[string, bool],
	pairOf[int, string]():     typedMapPlan[int, string],
	pairOf[int, int]():        typedMapPlan[int, int],
	pairOf[int64, int64]():    typedMapPlan[int64, int64],
}

func pairOf[K comparable, V any]() [2]reflect.Type {
	return [2]reflect.Type{reflect.TypeFor[K](), reflect.TypeFor[V]()}
}

// typedMapPlan is mapPlan for a map[K]V (or a named type of it).
func typedMapPlan[K comparable, V any](p, key, val *plan) {
	p.min = 1
	type entry struct {
		k K
		v V
	}
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		m := *(*map[K]V)(ptr)
		if m == nil {
			e.buf = append(e.buf, 0)
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		e.uvarint(uint64(len(m)) + 1)
		spans := make([]span, 0, len(m))
		tmp := new(entry)
		for k, v := range m {
			tmp.k, tmp.v = k, v
			s, err := e.entry(key, val, unsafe.Pointer(&tmp.k), unsafe.Pointer(&tmp.v))
			if err != nil {
				return err
			}
			spans = append(spans, s)
		}
		e.sortEntries(spans)
		e.leave()
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		n, isNil, err := d.container(key.min+val.min, 1)
		if err != nil {
			return err
		}
		if isNil {
			*(*map[K]V)(ptr) = nil
			return nil
		}
		m := make(map[K]V, n)
		tmp := new(entry)
		var prev span
		for i := range n {
			s, err := d.entry(key, val, unsafe.Pointer(&tmp.k), unsafe.Pointer(&tmp.v), prev, i)
			if err != nil {
				return err
			}
			m[tmp.k] = tmp.v
			if len(m) != i+1 {
				return fmt.Errorf("at byte %d: duplicate map key", s.start)
			}
			prev = s
		}
		d.leave()
		*(*map[K]V)(ptr) = m
		return nil
	}
}
