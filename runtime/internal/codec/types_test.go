package codec

import (
	"errors"
	"time"
	"unsafe"
)

// Types shared by the tests.

type (
	myInt    int16
	myByte   uint8
	myString string
	myBytes  []byte
	counts   map[string]int

	allScalars struct {
		B    bool
		I    int
		I8   int8
		I16  int16
		I32  int32
		I64  int64
		U    uint
		U8   uint8
		U16  uint16
		U32  uint32
		U64  uint64
		UP   uintptr
		F32  float32
		F64  float64
		C64  complex64
		C128 complex128
		S    string
		M    myInt
	}

	withBlank struct {
		A int
		_ int
		B string
		_ [3]byte
	}

	embedded struct {
		Inner
		*Other
		X int
	}
	Inner struct{ A, B string }
	Other struct{ C []int }

	node struct {
		Val  int
		Next *node
	}
	tree struct {
		Name     string
		Children []tree
	}
	graph struct {
		Edges map[string]*graph
	}

	// secretBox has unexported state but opts in with pointer methods.
	secretBox struct{ secret string }

	// panicky panics in its methods; the codec must return an error.
	panicky struct{ X int }

	// failing returns errors from its methods.
	failing struct{ X int }

	// byteMarshaler is a byte kind with its own methods: it must not take
	// the raw byte path.
	byteMarshaler uint8

	// stampedReport has time.Time's methods by promotion only; it must be
	// encoded field by field, or Name would be lost.
	stampedReport struct {
		time.Time
		Name string
	}
	stampedPtr struct {
		*time.Time
		Name string
	}

	emptyStruct struct{}
	onlyBlank   struct{ _ int64 }
)

func (b *secretBox) MarshalBinary() ([]byte, error) { return []byte(b.secret), nil }
func (b *secretBox) UnmarshalBinary(data []byte) error {
	b.secret = string(data)
	return nil
}

func (panicky) MarshalBinary() ([]byte, error) { panic("marshal boom") }
func (*panicky) UnmarshalBinary([]byte) error  { panic("unmarshal boom") }

var errFailing = errors.New("failing on purpose")

func (failing) MarshalBinary() ([]byte, error) { return nil, errFailing }
func (*failing) UnmarshalBinary([]byte) error  { return errFailing }

func (b byteMarshaler) MarshalBinary() ([]byte, error) { return []byte{'x', byte(b)}, nil }
func (b *byteMarshaler) UnmarshalBinary(data []byte) error {
	if len(data) != 2 || data[0] != 'x' {
		return errors.New("bad byteMarshaler")
	}
	*b = byteMarshaler(data[1])
	return nil
}

// Unsupported shapes.
type (
	hasSecret struct {
		Name   string
		secret int
	}
	nestedSecret struct {
		Items []struct{ R *hasSecret }
	}
	hasIface   struct{ V any }
	hasChan    struct{ C chan int }
	hasFunc    struct{ F func() }
	hasUnsafe  struct{ P unsafe.Pointer }
	anyKeyMap  map[any]int
	chanValMap map[string]chan int
	embedsLow  struct{ lower }
	lower      struct{ A int }
	withTime   struct{ At time.Time }
	recBad     struct{ Next *recBadNext }
	recBadNext struct {
		Back *recBad
		fn   func()
	}
)
