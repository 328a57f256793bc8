package codec

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"unsafe"
)

// span locates one encoded map entry inside a buffer.
type span struct{ start, keyEnd, end int }

// compareEntries orders two encoded map entries in buf by their key bytes,
// then (for equal keys, which only NaNs can have) by their value bytes.
func compareEntries(buf []byte, a, b span) int {
	if c := bytes.Compare(buf[a.start:a.keyEnd], buf[b.start:b.keyEnd]); c != 0 {
		return c
	}
	return bytes.Compare(buf[a.keyEnd:a.end], buf[b.keyEnd:b.end])
}

// entry encodes one map entry, its key at kp and its value at vp, and
// returns where they lie in e.buf, for sortEntries.
func (e *encoder) entry(key, val *plan, kp, vp unsafe.Pointer) (span, error) {
	s := span{start: len(e.buf)}
	if err := key.enc(e, kp); err != nil {
		return s, err
	}
	s.keyEnd = len(e.buf)
	if err := val.enc(e, vp); err != nil {
		return s, err
	}
	s.end = len(e.buf)
	return s, nil
}

// entry decodes the i-th map entry into kp and vp and checks that it
// sorts after the one before (prev), as the encoder writes them.
func (d *decoder) entry(key, val *plan, kp, vp unsafe.Pointer, prev span, i int) (span, error) {
	s := span{start: d.off}
	if err := key.dec(d, kp); err != nil {
		return s, err
	}
	s.keyEnd = d.off
	if err := val.dec(d, vp); err != nil {
		return s, err
	}
	s.end = d.off
	if i > 0 && compareEntries(d.data, prev, s) > 0 {
		return s, fmt.Errorf("at byte %d: map entries out of order", s.start)
	}
	return s, nil
}

// mapPlan: 0 for nil, else uvarint 1+length and the entries (key, value),
// sorted by the bytes of their encoded keys (then values) so that equal
// maps encode equally. The decoder insists on that order and rejects a key
// that does not add an entry, so every accepted input re-encodes to itself.
func mapPlan(p *plan, key, val *plan) {
	p.min = 1
	kt, vt := p.typ.Key(), p.typ.Elem()
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		m := reflect.NewAt(p.typ, ptr).Elem()
		if m.IsNil() {
			e.buf = append(e.buf, 0)
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		n := m.Len()
		e.uvarint(uint64(n) + 1)
		k, x := reflect.New(kt), reflect.New(vt)
		kp, xp := k.UnsafePointer(), x.UnsafePointer()
		k, x = k.Elem(), x.Elem()
		spans := make([]span, 0, n)
		for it := m.MapRange(); it.Next(); {
			k.SetIterKey(it)
			x.SetIterValue(it)
			s, err := e.entry(key, val, kp, xp)
			if err != nil {
				return err
			}
			spans = append(spans, s)
		}
		if len(spans) != n {
			return fmt.Errorf("map changed while it was encoded")
		}
		e.sortEntries(spans)
		e.leave()
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		// Entries whose keys encode to nothing all share one key.
		n, isNil, err := d.container(key.min+val.min, 1)
		if err != nil {
			return err
		}
		if isNil {
			*(*unsafe.Pointer)(ptr) = nil // a map value is one pointer
			return nil
		}
		m := reflect.MakeMapWithSize(p.typ, n)
		k, e := reflect.New(kt), reflect.New(vt)
		kp, ep := k.UnsafePointer(), e.UnsafePointer()
		k, e = k.Elem(), e.Elem()
		var prev span
		for i := range n {
			s, err := d.entry(key, val, kp, ep, prev, i)
			if err != nil {
				return err
			}
			m.SetMapIndex(k, e)
			if m.Len() != i+1 {
				return fmt.Errorf("at byte %d: duplicate map key", s.start)
			}
			prev = s
		}
		d.leave()
		reflect.NewAt(p.typ, ptr).Elem().Set(m)
		return nil
	}
}

// sortEntries puts the encoded map entries at the end of the buffer in
// canonical order.
func (e *encoder) sortEntries(spans []span) {
	if len(spans) < 2 {
		return
	}
	cmp := func(a, b span) int { return compareEntries(e.buf, a, b) }
	if slices.IsSortedFunc(spans, cmp) {
		return
	}
	slices.SortFunc(spans, cmp)
	start := spans[0].start
	for _, s := range spans {
		start = min(start, s.start)
	}
	sorted := make([]byte, 0, len(e.buf)-start)
	for _, s := range spans {
		sorted = append(sorted, e.buf[s.start:s.end]...)
	}
	copy(e.buf[start:], sorted)
}
