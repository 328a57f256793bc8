package codec

// Shapes whose verdicts the codec (reflect) and gen/internal/valcheck
// (go/types) must agree on. The name says the verdict: types named ok* or
// Ok* must be accepted, bad* rejected; other names are helpers. The valcheck
// tests type-check this file from source, so it must stay self-contained
// (standard library imports only). TestShapeVerdicts lists every shape.

import (
	"encoding"
	"time"
	"unsafe"
)

type (
	okBasic struct {
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
	}
	okNamed   int
	okSlice   []string
	okNilable struct {
		P *int
		S []byte
		M map[string][]int
	}
	okArray        [3]okBasic
	okMapKeys      map[[2]int]map[bool]float32
	badTimeDefined time.Time // a defined type does not inherit time.Time's methods
	okTimeFields   struct {
		At  time.Time
		Ptr *time.Time
		All []map[string]time.Time
	}
	okRecursive struct {
		Next   *okRecursive
		Kids   []okRecursive
		ByName map[string]okRecursive
	}
	okMutualA        struct{ B *okMutualB }
	okMutualB        struct{ A []okMutualA }
	okMarshaler      struct{ secret int }
	okValueMarshaler struct{ secret int }
	okBlank          struct {
		A int
		_ int
		_ func()
	}
	okEmbedded struct {
		OkInner
		*OkOther
	}
	OkInner    struct{ A string }
	OkOther    struct{ B []int }
	okPromoted struct {
		time.Time
		Name string
	}
	okEmptyStruct   struct{}
	okByteMarshaler uint8
	okBytes         []okByteMarshaler
	okAlias         = []okNamed
	okBoxInt        = helperBox[int]
	okBoxTime       helperBox[time.Time]

	badAny        = any
	badIface      interface{ M() }
	badChan       chan int
	badFunc       func()
	badUnsafe     unsafe.Pointer
	badUnexported struct{ a int }
	badNested     struct{ Items []struct{ R *badUnexported } }
	badMapKey     map[any]int
	badMapVal     map[string]func()
	badEmbedLower struct{ helperLower }
	badRecursive  struct {
		Next *badRecursive
		C    chan int
	}
	badHalfMarshaler struct{ x int }
	badEmbedsIface   struct{ encoding.BinaryMarshaler }
	badPtrToIface    *any
	badBoxChan       = helperBox[chan int]
	badPromotedHalf  struct {
		helperOnlyUnmarshal
		Y int
	}

	helperBox[T any]    struct{ V T }
	helperLower         struct{ A int }
	helperOnlyUnmarshal struct{ A int }
)

func (m *okMarshaler) MarshalBinary() ([]byte, error) { return []byte{byte(m.secret)}, nil }
func (m *okMarshaler) UnmarshalBinary(b []byte) error {
	if len(b) == 1 {
		m.secret = int(b[0])
	}
	return nil
}

func (m okValueMarshaler) MarshalBinary() ([]byte, error) { return []byte{byte(m.secret)}, nil }
func (m *okValueMarshaler) UnmarshalBinary(b []byte) error {
	if len(b) == 1 {
		m.secret = int(b[0])
	}
	return nil
}

func (b okByteMarshaler) MarshalBinary() ([]byte, error) { return []byte{byte(b)}, nil }
func (b *okByteMarshaler) UnmarshalBinary(d []byte) error {
	if len(d) == 1 {
		*b = okByteMarshaler(d[0])
	}
	return nil
}

func (m badHalfMarshaler) MarshalBinary() ([]byte, error) { return nil, nil }

func (h *helperOnlyUnmarshal) UnmarshalBinary([]byte) error { return nil }

// badPromotedHalf declares MarshalBinary itself but would get
// UnmarshalBinary only by promotion: field by field it has an unexported
// embedded field, so it is rejected.
func (badPromotedHalf) MarshalBinary() ([]byte, error) { return nil, nil }
