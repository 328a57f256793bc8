package keytest

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	cgrt "github.com/cachegen/cachegen/runtime"
)

// reflective encodes args one after another with the reflective encoder.
func reflective(args ...any) ([]byte, error) {
	var b []byte
	for _, a := range args {
		var err error
		if b, err = cgrt.AppendAny(b, a); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// same fails t unless the generated and reflective results agree: equal
// bytes, or both an error (both wrapping ErrCycle when cyclic).
func same(t *testing.T, name string, gen []byte, genErr error, refl []byte, reflErr error, cyclic bool) {
	t.Helper()
	switch {
	case (genErr == nil) != (reflErr == nil):
		t.Fatalf("%s: generated err = %v, reflective err = %v", name, genErr, reflErr)
	case genErr != nil:
		if cyclic && (!errors.Is(genErr, cgrt.ErrCycle) || !errors.Is(reflErr, cgrt.ErrCycle)) {
			t.Fatalf("%s: cyclic value: generated err = %v, reflective err = %v", name, genErr, reflErr)
		}
	case cyclic:
		t.Fatalf("%s: cyclic value encoded without error", name)
	case !bytes.Equal(gen, refl):
		t.Fatalf("%s:\ngenerated  %x\nreflective %x", name, gen, refl)
	}
}

// checkAll builds the arguments of every task from data and compares the
// two encoders on them.
func checkAll(t *testing.T, data []byte) {
	s := &source{data: data}

	fa, fb, fc, fd := build[int](s), build[string](s), build[float64](s), build[bool](s)
	fs, farr, fe := build[Scalars](s), build[[4]uint16](s), build[Empty](s)
	gen, genErr := keyFixed(nil, fa, fb, fc, fd, fs, farr, fe)
	refl, reflErr := reflective(fa, fb, fc, fd, fs, farr, fe)
	same(t, "Fixed", gen, genErr, refl, reflErr, false)

	lk, lpk, lki := build[Keyed](s), build[*PtrKeyed](s), build[KeyerI](s)
	ln, ls, lbs, lba, lmb := build[MyInt](s), build[MyString](s), build[Bytes](s), build[ByteArr](s), build[[]MyByte](s)
	gen, genErr = keyLeaves(nil, lk, lpk, lki, ln, ls, lbs, lba, lmb)
	// A nil KeyerI has no dynamic type for AppendAny; the static rule
	// writes an empty Keyer body, which AppendKeyer reproduces.
	refl, reflErr = reflective(lk, lpk)
	refl = cgrt.AppendKeyer(refl, lki)
	rest, restErr := reflective(ln, ls, lbs, lba, lmb)
	refl, reflErr = append(refl, rest...), errors.Join(reflErr, restErr)
	same(t, "Leaves", gen, genErr, refl, reflErr, false)

	m := buildMixed(s)
	gen, genErr = keyMixed(nil, m.c, m.l, m.t, m.r, m.ks, m.when)
	refl, reflErr = reflective(m.c, m.l, m.t, m.r, m.ks, m.when)
	same(t, "Mixed", gen, genErr, refl, reflErr, m.cyclic)

	gx, gxs := build[byte](s), build[[]byte](s)
	gen, genErr = keyGeneric(nil, gx, gxs, 3)
	refl, reflErr = reflective(gx, gxs, 3)
	same(t, "Generic[byte]", gen, genErr, refl, reflErr, false)
}

func FuzzGeneratedEqualsReflective(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"))
	f.Add(bytes.Repeat([]byte{0xff}, 300))
	f.Add(bytes.Repeat([]byte{1, 3, 2}, 200))
	f.Add(bytes.Repeat([]byte{7, 1, 9, 2, 4, 0, 3}, 150))
	f.Fuzz(checkAll)
}

func TestGeneratedEqualsReflectiveRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 2048)
	for range 300 {
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		checkAll(t, data)
	}
}

func TestCyclesAreErrors(t *testing.T) {
	l := &List{Val: 1}
	l.Next = &List{Val: 2, Next: l}
	tr := Tree{Label: "root"}
	tr.Meta = map[string]*Tree{"self": &tr}
	for name, call := range map[string]func() error{
		"list": func() error { _, err := keyMixed(nil, Composite{}, l, Tree{}, Ring{}, nil, time.Time{}); return err },
		"tree": func() error { _, err := keyMixed(nil, Composite{}, nil, tr, Ring{}, nil, time.Time{}); return err },
	} {
		if err := call(); !errors.Is(err, cgrt.ErrCycle) {
			t.Errorf("%s: err = %v, want ErrCycle", name, err)
		}
	}
}

func TestNilAndEmptyDiffer(t *testing.T) {
	a, _ := keyLeaves(nil, Keyed{}, nil, nil, 0, "", nil, ByteArr{}, nil)
	b, _ := keyLeaves(nil, Keyed{}, nil, nil, 0, "", Bytes{}, ByteArr{}, []MyByte{})
	if bytes.Equal(a, b) {
		t.Errorf("nil and empty slices encode the same: %x", a)
	}
}

func TestFixedDoesNotAllocate(t *testing.T) {
	b := make([]byte, 0, 1024)
	s := Scalars{S: "hello", F64: 1.5, hidden: 3}
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if b, err = keyFixed(b[:0], 1, "two", 3.0, true, s, [4]uint16{5}, Empty{}); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("keyFixed allocates %v times per call", allocs)
	}
}

func BenchmarkKeyFixed(b *testing.B) {
	buf := make([]byte, 0, 1024)
	s := Scalars{S: "hello", F64: 1.5}
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = keyFixed(buf[:0], 1, "two", 3.0, true, s, [4]uint16{5}, Empty{})
	}
}

func BenchmarkReflectiveFixed(b *testing.B) {
	buf := make([]byte, 0, 1024)
	s := Scalars{S: "hello", F64: 1.5}
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for _, a := range []any{1, "two", 3.0, true, s, [4]uint16{5}, Empty{}} {
			buf, _ = cgrt.AppendAny(buf, a)
		}
	}
}

func BenchmarkKeyMixed(b *testing.B) {
	m := benchMixed(b)
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = keyMixed(buf[:0], m.c, m.l, m.t, m.r, m.ks, m.when)
	}
}

func BenchmarkReflectiveMixed(b *testing.B) {
	m := benchMixed(b)
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for _, a := range []any{m.c, m.l, m.t, m.r, m.ks, m.when} {
			buf, _ = cgrt.AppendAny(buf, a)
		}
	}
}

// TestDepthBoundary compares the encoders on values nested right around the
// depth limit, where an off-by-one in either would show.
func TestDepthBoundary(t *testing.T) {
	list := func(n int) *List {
		var l *List
		for i := range n {
			l = &List{Val: i, Next: l}
		}
		return l
	}
	metaChain := func(n int) Tree { // each level: a map, then a pointer
		var tr Tree
		for range n {
			child := tr
			tr = Tree{Label: "m", Meta: map[string]*Tree{"c": &child}}
		}
		return tr
	}
	kidsChain := func(n int) Tree { // each level: a slice
		var tr Tree
		for range n {
			tr = Tree{Label: "k", Kids: []Tree{tr}}
		}
		return tr
	}
	errs := 0
	for n := 990; n <= 1002; n++ {
		for name, args := range map[string][]any{
			"list":    {Composite{}, list(n), Tree{}, Ring{}, []KeyerI(nil), time.Time{}},
			"meta":    {Composite{}, (*List)(nil), metaChain(n / 2), Ring{}, []KeyerI(nil), time.Time{}},
			"kids":    {Composite{}, (*List)(nil), kidsChain(n), Ring{}, []KeyerI(nil), time.Time{}},
			"private": {Composite{private: list(n)}, (*List)(nil), Tree{}, Ring{}, []KeyerI(nil), time.Time{}},
		} {
			gen, genErr := keyMixed(nil, args[0].(Composite), args[1].(*List), args[2].(Tree), args[3].(Ring), nil, time.Time{})
			refl, reflErr := reflective(args...)
			same(t, name, gen, genErr, refl, reflErr, false)
			if genErr != nil {
				errs++
			}
		}
	}
	if errs == 0 {
		t.Error("no value reached the depth limit")
	}
}

// benchMixed returns acyclic arguments of Mixed with some of everything.
func benchMixed(b *testing.B) mixedArgs {
	m := buildMixed(&source{data: bytes.Repeat([]byte{7, 1, 9, 2, 4, 5, 3}, 150)})
	if m.cyclic {
		b.Fatal("benchmark value is cyclic")
	}
	if _, err := keyMixed(nil, m.c, m.l, m.t, m.r, m.ks, m.when); err != nil {
		b.Fatal(err)
	}
	return m
}
