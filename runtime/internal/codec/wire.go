package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unsafe"
)

// errTooDeep is returned for values nested deeper than maxDepth.
var errTooDeep = fmt.Errorf("nested deeper than %d pointers, slices and maps (a cyclic value?)", maxDepth)

// encoder accumulates an encoding.
type encoder struct {
	buf []byte
	nesting
}

// nesting counts the pointers, slices and maps an encoder or decoder has
// entered, to refuse values nested deeper than maxDepth.
type nesting struct{ depth int }

// enter records one more level of nesting; leave undoes it.
func (n *nesting) enter() error {
	n.depth++
	if n.depth > maxDepth {
		return errTooDeep
	}
	return nil
}

func (n *nesting) leave() { n.depth-- }

func (e *encoder) uvarint(x uint64) { e.buf = binary.AppendUvarint(e.buf, x) }

// decoder reads an encoding. Every read checks the remaining length first,
// so malformed input is an error and never an index panic.
type decoder struct {
	data []byte
	off  int
	nesting
	// arena backs short decoded strings, so a value with many small
	// strings costs one allocation instead of one per string. Bytes once
	// handed out as a string are never written again.
	arena []byte
}

// Strings up to arenaMax bytes are carved from arenas of up to arenaSize
// bytes (never more than the input left, so the input justifies them). A
// retained short string keeps at most one arena alive.
const (
	arenaMax  = 256
	arenaSize = 4096
)

// str returns the next n bytes, known to be present, as a string.
func (d *decoder) str(n int) string {
	b := d.data[d.off : d.off+n]
	if n == 0 {
		return ""
	}
	if n > arenaMax {
		d.off += n
		return string(b)
	}
	if len(d.arena)+n > cap(d.arena) {
		d.arena = make([]byte, 0, min(arenaSize, d.remaining()))
	}
	d.off += n
	start := len(d.arena)
	d.arena = append(d.arena, b...)
	return unsafe.String(&d.arena[start], n)
}

var errTruncated = errors.New("unexpected end of input")

// remaining returns how many bytes are left.
func (d *decoder) remaining() int { return len(d.data) - d.off }

// take returns the next n bytes (a sub-slice of the input).
func (d *decoder) take(n int) ([]byte, error) {
	if n < 0 || n > d.remaining() {
		return nil, fmt.Errorf("at byte %d: %w", d.off, errTruncated)
	}
	b := d.data[d.off : d.off+n : d.off+n]
	d.off += n
	return b, nil
}

// byte1 returns the next byte.
func (d *decoder) byte1() (byte, error) {
	if d.off >= len(d.data) {
		return 0, fmt.Errorf("at byte %d: %w", d.off, errTruncated)
	}
	b := d.data[d.off]
	d.off++
	return b, nil
}

// uvarint reads a canonical (shortest-form) unsigned varint. Accepting only
// the shortest form keeps decoding one-to-one: whatever decodes re-encodes to
// the same bytes.
func (d *decoder) uvarint() (uint64, error) {
	x, n := binary.Uvarint(d.data[d.off:])
	if n <= 0 {
		if n == 0 {
			return 0, fmt.Errorf("at byte %d: %w", d.off, errTruncated)
		}
		return 0, fmt.Errorf("at byte %d: varint overflows 64 bits", d.off)
	}
	if n > 1 && d.data[d.off+n-1] == 0 {
		return 0, fmt.Errorf("at byte %d: varint not in shortest form", d.off)
	}
	d.off += n
	return x, nil
}

// count reads a length prefix for n items of at least min bytes each and
// checks, before anything is allocated, that the rest of the input can hold
// them. Items of min 0 are bounded by limit instead.
func (d *decoder) count(x uint64, min, limit int) (int, error) {
	if min > 0 {
		if x > uint64(d.remaining()/min) {
			return 0, fmt.Errorf("at byte %d: length %d exceeds the %d bytes left: %w", d.off, x, d.remaining(), errTruncated)
		}
		return int(x), nil
	}
	if x > uint64(limit) {
		return 0, fmt.Errorf("at byte %d: length %d of empty items exceeds %d", d.off, x, limit)
	}
	return int(x), nil
}

// byteLen reads the uvarint length of a run of bytes, checked against the
// bytes left.
func (d *decoder) byteLen() (int, error) {
	x, err := d.uvarint()
	if err != nil {
		return 0, err
	}
	return d.count(x, 1, 0)
}

// optional reads the tag that starts a nil-able value (pointer, slice, map):
// 0 for nil, else 1+length for slices and maps, 1 for a non-nil pointer.
func (d *decoder) optional() (nilValue bool, n uint64, err error) {
	x, err := d.uvarint()
	if err != nil {
		return false, 0, err
	}
	if x == 0 {
		return true, 0, nil
	}
	return false, x - 1, nil
}

// container starts decoding a nil-able slice or map: it reads the nil tag
// or the length of items of at least min bytes each (limit bounds items of
// min 0, see count) and, for a non-nil one, enters one nesting level that
// the caller leaves when its items are decoded.
func (d *decoder) container(min, limit int) (n int, isNil bool, err error) {
	isNil, x, err := d.optional()
	if err != nil || isNil {
		return 0, isNil, err
	}
	if n, err = d.count(x, min, limit); err != nil {
		return 0, false, err
	}
	if err := d.enter(); err != nil {
		return 0, false, err
	}
	return n, false, nil
}

// Fixed-width little-endian helpers.

func (e *encoder) fixed(x uint64, size int) {
	switch size {
	case 1:
		e.buf = append(e.buf, byte(x))
	case 2:
		e.buf = binary.LittleEndian.AppendUint16(e.buf, uint16(x))
	case 4:
		e.buf = binary.LittleEndian.AppendUint32(e.buf, uint32(x))
	default:
		e.buf = binary.LittleEndian.AppendUint64(e.buf, x)
	}
}

func (d *decoder) fixed(size int) (uint64, error) {
	if size > d.remaining() {
		return 0, fmt.Errorf("at byte %d: %w", d.off, errTruncated)
	}
	b := d.data[d.off:]
	d.off += size
	switch size {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(binary.LittleEndian.Uint16(b)), nil
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), nil
	default:
		return binary.LittleEndian.Uint64(b), nil
	}
}

// signExtend interprets the low size bytes of x as a two's complement number.
func signExtend(x uint64, size int) int64 {
	shift := uint(64 - 8*size)
	return int64(x<<shift) >> shift
}
