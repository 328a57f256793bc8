package codec

import (
	"errors"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

func TestCheckUnsupported(t *testing.T) {
	const hint = " is unexported and would be lost; export it or implement encoding.BinaryMarshaler and BinaryUnmarshaler"
	cases := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[hasSecret](), "codec.hasSecret: field secret of codec.hasSecret" + hint},
		{reflect.TypeFor[[]hasSecret](), "[]codec.hasSecret[]: field secret of codec.hasSecret" + hint},
		{reflect.TypeFor[nestedSecret](), "codec.nestedSecret.Items[].R: field secret of codec.hasSecret" + hint},
		{reflect.TypeFor[embedsLow](), "codec.embedsLow: field lower of codec.embedsLow" + hint},
		{reflect.TypeFor[hasIface](), "codec.hasIface.V: interface {} is an interface type; its dynamic value cannot be stored (use a concrete type)"},
		{reflect.TypeFor[any](), "interface {}: interface {} is an interface type; its dynamic value cannot be stored (use a concrete type)"},
		{reflect.TypeFor[hasChan](), "codec.hasChan.C: chan int is a channel type and cannot be stored"},
		{reflect.TypeFor[hasFunc](), "codec.hasFunc.F: func() is a func type and cannot be stored"},
		{reflect.TypeFor[hasUnsafe](), "codec.hasUnsafe.P: unsafe.Pointer is unsafe.Pointer and cannot be stored"},
		{reflect.TypeFor[unsafe.Pointer](), "unsafe.Pointer: unsafe.Pointer is unsafe.Pointer and cannot be stored"},
		{reflect.TypeFor[anyKeyMap](), "codec.anyKeyMap[key]: interface {} is an interface type; its dynamic value cannot be stored (use a concrete type)"},
		{reflect.TypeFor[chanValMap](), "codec.chanValMap[value]: chan int is a channel type and cannot be stored"},
		{reflect.TypeFor[*[2]func()](), "*[2]func()[]: func() is a func type and cannot be stored"},
		{reflect.TypeFor[recBad](), "codec.recBad.Next: field fn of codec.recBadNext" + hint},
	}
	for _, c := range cases {
		err := Check(c.typ)
		if err == nil {
			t.Errorf("Check(%v) = nil, want %q", c.typ, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("Check(%v):\n got %q\nwant %q", c.typ, err, c.want)
		}
		var ue *UnsupportedError
		if !errors.As(err, &ue) {
			t.Errorf("Check(%v) = %T, want *UnsupportedError", c.typ, err)
		}
		// For agrees, and the verdict is stable when cached.
		if err2 := Check(c.typ); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("second Check(%v) = %v, want %v", c.typ, err2, err)
		}
	}
	if _, err := For[hasChan](); err == nil {
		t.Error("For[hasChan] succeeded")
	}
}

func TestCheckSupported(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[allScalars](),
		reflect.TypeFor[withBlank](),
		reflect.TypeFor[embedded](),
		reflect.TypeFor[node](),
		reflect.TypeFor[tree](),
		reflect.TypeFor[graph](),
		reflect.TypeFor[secretBox](),
		reflect.TypeFor[*secretBox](),
		reflect.TypeFor[time.Time](),
		reflect.TypeFor[withTime](),
		reflect.TypeFor[map[time.Time][]*time.Time](),
		reflect.TypeFor[benchReport](),
		reflect.TypeFor[struct{ _ func() }](), // blank fields are skipped entirely
		reflect.TypeFor[emptyStruct](),
	} {
		if err := Check(typ); err != nil {
			t.Errorf("Check(%v) = %v, want nil", typ, err)
		}
	}
}
