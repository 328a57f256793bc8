package codec

import (
	"encoding"
	"encoding/binary"
	"fmt"
	"reflect"
	"unsafe"
)

// Plans work on unsafe.Pointers to typed memory: reflect.Value calls cost
// several times the work itself on the hit path. Every store of a value that
// holds pointers goes through a pointer-typed Go assignment (so the garbage
// collector's write barriers run) or through reflect; raw byte copies are used
// only for pointer-free memory.

// boolPlan: one byte, 0 or 1; any other byte is malformed.
func boolPlan(p *plan) {
	p.min = 1
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		b := byte(0)
		if *(*bool)(ptr) {
			b = 1
		}
		e.buf = append(e.buf, b)
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		b, err := d.byte1()
		if err != nil {
			return err
		}
		if b > 1 {
			return fmt.Errorf("at byte %d: bool byte %d", d.off-1, b)
		}
		*(*bool)(ptr) = b == 1
		return nil
	}
}

// intSize is the number of bytes an integer kind takes on the wire: its own
// size, but 8 for int, uint and uintptr so the format is the same on every
// platform.
func intSize(t reflect.Type) int {
	switch t.Kind() {
	case reflect.Int, reflect.Uint, reflect.Uintptr:
		return 8
	}
	return int(t.Size())
}

// load reads the size-byte unsigned integer at ptr.
func load(ptr unsafe.Pointer, size int) uint64 {
	switch size {
	case 1:
		return uint64(*(*uint8)(ptr))
	case 2:
		return uint64(*(*uint16)(ptr))
	case 4:
		return uint64(*(*uint32)(ptr))
	default:
		return *(*uint64)(ptr)
	}
}

// store writes the low size bytes of x to ptr.
func store(ptr unsafe.Pointer, size int, x uint64) {
	switch size {
	case 1:
		*(*uint8)(ptr) = uint8(x)
	case 2:
		*(*uint16)(ptr) = uint16(x)
	case 4:
		*(*uint32)(ptr) = uint32(x)
	default:
		*(*uint64)(ptr) = x
	}
}

// intPlan: fixed-width little-endian, two's complement for signed kinds.
// Fixed width won BenchmarkIntFormat against zigzag varints (see doc.go).
func intPlan(p *plan) {
	mem, wire := int(p.typ.Size()), intSize(p.typ)
	signed := p.typ.Kind() >= reflect.Int && p.typ.Kind() <= reflect.Int64
	p.min = wire
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		x := load(ptr, mem)
		if signed {
			x = uint64(signExtend(x, mem))
		}
		e.fixed(x, wire)
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		x, err := d.fixed(wire)
		if err != nil {
			return err
		}
		if mem < wire { // int, uint or uintptr on a 32-bit platform
			fits := x>>(8*mem) == 0
			if signed {
				fits = signExtend(x, mem) == int64(x)
			}
			if !fits {
				return fmt.Errorf("at byte %d: %d overflows %v", d.off-wire, x, p.typ)
			}
		}
		store(ptr, mem, x)
		return nil
	}
}

// floatPlan stores floats and complex numbers as their IEEE 754 bits,
// little-endian, real part first. The bits are copied from and to memory
// directly: converting a float32 through float64 would quiet a signalling
// NaN and change its payload.
func floatPlan(p *plan) {
	word := 8
	if k := p.typ.Kind(); k == reflect.Float32 || k == reflect.Complex64 {
		word = 4
	}
	words := int(p.typ.Size()) / word
	p.min = word * words
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		for i := range words {
			e.fixed(load(unsafe.Add(ptr, i*word), word), word)
		}
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		if d.remaining() < p.min {
			return fmt.Errorf("at byte %d: %w", d.off, errTruncated)
		}
		for i := range words {
			x, _ := d.fixed(word)
			store(unsafe.Add(ptr, i*word), word, x)
		}
		return nil
	}
}

// stringPlan: uvarint length, then the bytes (any bytes, not only UTF-8).
func stringPlan(p *plan) {
	p.min = 1
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		s := *(*string)(ptr)
		e.uvarint(uint64(len(s)))
		e.buf = append(e.buf, s...)
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		n, err := d.byteLen()
		if err != nil {
			return err
		}
		*(*string)(ptr) = d.str(n)
		return nil
	}
}

// byteSlicePlan: 0 for nil, else uvarint 1+length and the raw bytes. It
// serves every slice whose element kind is uint8, named or not: they share
// []byte's memory layout.
func byteSlicePlan(p *plan) {
	p.min = 1
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		b := *(*[]byte)(ptr)
		if b == nil {
			e.buf = append(e.buf, 0)
			return nil
		}
		e.uvarint(uint64(len(b)) + 1)
		e.buf = append(e.buf, b...)
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		isNil, x, err := d.optional()
		if err != nil {
			return err
		}
		if isNil {
			*(*[]byte)(ptr) = nil
			return nil
		}
		n, err := d.count(x, 1, 0)
		if err != nil {
			return err
		}
		b, _ := d.take(n)
		*(*[]byte)(ptr) = append(make([]byte, 0, n), b...)
		return nil
	}
}

// byteArrayPlan: the raw bytes, no length.
func byteArrayPlan(p *plan) {
	n := p.typ.Len()
	p.min = n
	p.enc = func(e *encoder, ptr unsafe.Pointer) error {
		e.buf = append(e.buf, unsafe.Slice((*byte)(ptr), n)...)
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) error {
		b, err := d.take(n)
		if err != nil {
			return err
		}
		copy(unsafe.Slice((*byte)(ptr), n), b)
		return nil
	}
}

// marshalerPlan stores a type through its own methods: uvarint length, then
// what MarshalBinary (or AppendBinary, which saves an allocation) returned.
// The methods are user code, so a panic in them becomes an error.
func marshalerPlan(p *plan) {
	p.min = 1
	pt := reflect.PointerTo(p.typ)
	useAppend := pt.Implements(appenderType)
	p.enc = func(e *encoder, ptr unsafe.Pointer) (err error) {
		defer recoverTo(&err, "MarshalBinary")
		m := reflect.NewAt(p.typ, ptr).Interface()
		if !useAppend {
			b, err := m.(encoding.BinaryMarshaler).MarshalBinary()
			if err != nil {
				return fmt.Errorf("MarshalBinary: %w", err)
			}
			e.uvarint(uint64(len(b)))
			e.buf = append(e.buf, b...)
			return nil
		}
		start := len(e.buf)
		b, err := m.(encoding.BinaryAppender).AppendBinary(e.buf)
		if err != nil {
			return fmt.Errorf("AppendBinary: %w", err)
		}
		e.buf = b
		e.insertUvarint(start, uint64(len(b)-start))
		return nil
	}
	p.dec = func(d *decoder, ptr unsafe.Pointer) (err error) {
		defer recoverTo(&err, "UnmarshalBinary")
		n, err := d.byteLen()
		if err != nil {
			return err
		}
		b, _ := d.take(n)
		v := reflect.NewAt(p.typ, ptr)
		v.Elem().SetZero() // so that decoding into a non-zero value changes nothing
		if err := v.Interface().(encoding.BinaryUnmarshaler).UnmarshalBinary(b); err != nil {
			return fmt.Errorf("at byte %d: UnmarshalBinary: %w", d.off-n, err)
		}
		return nil
	}
}

// insertUvarint inserts the uvarint x at offset at, moving what follows.
func (e *encoder) insertUvarint(at int, x uint64) {
	var tmp [binary.MaxVarintLen64]byte
	k := len(binary.AppendUvarint(tmp[:0], x))
	e.buf = append(e.buf, tmp[:k]...)
	copy(e.buf[at+k:], e.buf[at:len(e.buf)-k])
	copy(e.buf[at:], tmp[:k])
}

// recoverTo turns a panic in a user's method into an error.
func recoverTo(err *error, method string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s panicked: %v", method, r)
	}
}
