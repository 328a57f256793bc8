package keytest

import (
	"encoding/binary"
	"math"
	"reflect"
	"time"
	"unsafe"
)

// source hands out fuzz bytes; past the end it returns zeros, so every input
// builds a value.
type source struct {
	data []byte
	pos  int
}

func (s *source) byte() byte {
	if s.pos >= len(s.data) {
		return 0
	}
	s.pos++
	return s.data[s.pos-1]
}

func (s *source) uint64() uint64 {
	var b [8]byte
	n := int(s.byte() % 9) // short integers are common
	for i := range n {
		b[i] = s.byte()
	}
	return binary.LittleEndian.Uint64(b[:])
}

func (s *source) float() float64 {
	switch s.byte() % 8 {
	case 0:
		return math.NaN()
	case 1:
		return math.Float64frombits(0xfff0000000000001 | s.uint64()) // another NaN
	case 2:
		return math.Copysign(0, -1)
	case 3:
		return math.Inf(-1)
	case 4:
		return float64(int8(s.byte()))
	}
	return math.Float64frombits(s.uint64())
}

func (s *source) string() string {
	n := int(s.byte() % 6)
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + s.byte()%4 // few letters: map keys collide often
	}
	return string(b)
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	keyerIType = reflect.TypeFor[KeyerI]()
)

// maxFill is the depth below which pointers, slices and maps are nil.
const maxFill = 4

// fill sets v, which must be settable, to a value built from s.
func fill(s *source, v reflect.Value, depth int) {
	switch {
	case v.Type() == timeType:
		t := time.Unix(int64(s.uint64()%(1<<40)), int64(s.uint64()%1e9))
		if s.byte()%2 == 0 {
			t = t.In(time.FixedZone("z", 3600))
		}
		v.Set(reflect.ValueOf(t))
		return
	case v.Type() == keyerIType:
		switch s.byte() % 4 {
		case 1:
			v.Set(reflect.ValueOf(Keyed{ID: s.string()}))
		case 2:
			v.Set(reflect.ValueOf(&PtrKeyed{N: int(s.uint64())}))
		case 3:
			v.Set(reflect.ValueOf((*PtrKeyed)(nil)))
		}
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(s.byte()%2 == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(s.uint64()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(s.uint64())
	case reflect.Float32, reflect.Float64:
		v.SetFloat(s.float())
	case reflect.Complex64, reflect.Complex128:
		v.SetComplex(complex(s.float(), s.float()))
	case reflect.String:
		v.SetString(s.string())
	case reflect.Pointer:
		if depth < maxFill && s.byte()%3 != 0 {
			p := reflect.New(v.Type().Elem())
			fill(s, p.Elem(), depth+1)
			v.Set(p)
		}
	case reflect.Slice:
		if depth < maxFill && s.byte()%4 != 0 {
			n := int(s.byte() % 4)
			sl := reflect.MakeSlice(v.Type(), n, n)
			for i := range n {
				fill(s, sl.Index(i), depth+1)
			}
			v.Set(sl)
		}
	case reflect.Map:
		if depth < maxFill && s.byte()%4 != 0 {
			m := reflect.MakeMap(v.Type())
			for range int(s.byte() % 5) {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				fill(s, k, depth+1)
				fill(s, e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Array:
		for i := range v.Len() {
			fill(s, v.Index(i), depth)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Field(i)
			if !f.CanSet() {
				f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
			}
			fill(s, f, depth)
		}
	default:
		panic("fill: unexpected kind " + v.Kind().String())
	}
}

// build returns a T filled from s.
func build[T any](s *source) T {
	var v T
	fill(s, reflect.ValueOf(&v).Elem(), 0)
	return v
}

// mixedArgs are the arguments of Mixed, optionally made cyclic.
type mixedArgs struct {
	c    Composite
	l    *List
	t    Tree
	r    Ring
	ks   []KeyerI
	when time.Time
	// cyclic reports that a cycle was tied into one of the arguments.
	cyclic bool
}

func buildMixed(s *source) mixedArgs {
	a := mixedArgs{c: build[Composite](s), l: build[*List](s), t: build[Tree](s),
		r: build[Ring](s), ks: build[[]KeyerI](s), when: build[time.Time](s)}
	switch s.byte() % 8 {
	case 1: // a list whose last node points back at the first
		if a.l != nil {
			last := a.l
			for last.Next != nil {
				last = last.Next
			}
			last.Next, a.cyclic = a.l, true
		}
	case 2: // a tree that contains itself through its map
		a.t.Meta = map[string]*Tree{"self": &a.t}
		a.cyclic = true
	case 3: // a tree that contains itself through a slice of a child
		a.t.Kids = []Tree{{Label: "kid"}}
		a.t.Kids[0].Meta = map[string]*Tree{"up": &a.t}
		a.cyclic = true
	case 4: // a ring whose node points back at the ring
		node := &RingNode{Val: s.float()}
		node.Ring.Head = node
		a.r.Head, a.cyclic = node, true
	case 5: // a list through an unexported field
		l := &List{Val: 1}
		l.Next = l
		a.c.private, a.cyclic = l, true
	}
	return a
}
