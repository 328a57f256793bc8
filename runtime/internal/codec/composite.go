package codec

import (
	"fmt"
	"math"
	"reflect"
	"unsafe"
)

// sliceHeader is the memory layout of every Go slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// emptyLimit is the longest run of elements of elem the decoder accepts when
// they encode to no bytes: unbounded when they also take no memory.
func emptyLimit(elem reflect.Type) int {
	if elem.Size() == 0 {
		return math.MaxInt
	}
	return maxEmptyElems
}

// slicePlan: 0 for nil, else uvarint 1+length and the elements. A decoded
// slice is always freshly allocated (length == capacity).
func slicePlan(p *plan, elem *plan) {
	p.min = 1
	size := p.typ.Elem().Size()
	limit := emptyLimit(p.typ.Elem())
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		s := *(*sliceHeader)(ptr)
		if s.data == nil {
			e.buf = append(e.buf, 0)
			return nil
		}
		if elem.min == 0 && s.len > limit {
			return fmt.Errorf("slice of %d empty-encoding elements exceeds %d", s.len, limit)
		}
		if err := e.enter(); err != nil {
			return err
		}
		e.uvarint(uint64(s.len) + 1)
		if elem.min == 0 {
			e.leave()
			return nil // the elements encode to nothing
		}
		for i := range s.len {
			if err := elem.enc(e, unsafe.Add(s.data, uintptr(i)*size)); err != nil {
				return err
			}
		}
		e.leave()
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		n, isNil, err := d.container(elem.min, limit)
		if err != nil {
			return err
		}
		if isNil {
			*(*sliceHeader)(ptr) = sliceHeader{}
			return nil
		}
		data := reflect.MakeSlice(p.typ, n, n).UnsafePointer()
		if elem.min > 0 {
			for i := range n {
				if err := elem.dec(d, unsafe.Add(data, uintptr(i)*size)); err != nil {
					return err
				}
			}
		}
		d.leave()
		*(*sliceHeader)(ptr) = sliceHeader{data: data, len: n, cap: n}
		return nil
	}
}

// arrayPlan: the elements, no length.
func arrayPlan(p *plan, elem *plan) {
	n := p.typ.Len()
	size := p.typ.Elem().Size()
	p.min = n * elem.min
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		if elem.min == 0 {
			return nil
		}
		for i := range n {
			if err := elem.enc(e, unsafe.Add(ptr, uintptr(i)*size)); err != nil {
				return err
			}
		}
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		if elem.min == 0 {
			reflect.NewAt(p.typ, ptr).Elem().SetZero()
			return nil
		}
		if d.remaining() < p.min {
			return fmt.Errorf("at byte %d: %w", d.off, errTruncated)
		}
		for i := range n {
			if err := elem.dec(d, unsafe.Add(ptr, uintptr(i)*size)); err != nil {
				return err
			}
		}
		return nil
	}
}

// pointerPlan: 0 for nil, else 1 and the pointee. Only values are stored:
// two pointers to one variable decode as pointers to two equal variables.
func pointerPlan(p *plan, elem *plan) {
	p.min = 1
	et := p.typ.Elem()
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		q := *(*unsafe.Pointer)(ptr)
		if q == nil {
			e.buf = append(e.buf, 0)
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		e.buf = append(e.buf, 1)
		if err := elem.enc(e, q); err != nil {
			return err
		}
		e.leave()
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		b, err := d.byte1()
		if err != nil {
			return err
		}
		switch b {
		case 0:
			*(*unsafe.Pointer)(ptr) = nil
			return nil
		case 1:
		default:
			return fmt.Errorf("at byte %d: pointer tag %d", d.off-1, b)
		}
		if err := d.enter(); err != nil {
			return err
		}
		q := reflect.New(et).UnsafePointer()
		if err := elem.dec(d, q); err != nil {
			return err
		}
		d.leave()
		*(*unsafe.Pointer)(ptr) = q
		return nil
	}
}
