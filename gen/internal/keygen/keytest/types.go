package keytest

import (
	"time"
)

// Scalars has a field of every scalar kind, an unexported one and a blank.
type Scalars struct {
	B      bool
	I      int
	I8     int8
	I16    int16
	I32    int32
	I64    int64
	U      uint
	U8     uint8
	U16    uint16
	U32    uint32
	U64    uint64
	UP     uintptr
	F32    float32
	F64    float64
	C64    complex64
	C128   complex128
	S      string
	hidden int
	_      int
}

// MyInt is a named integer, used as a map key.
type MyInt int

// MyString is a named string.
type MyString string

// MyByte has kind uint8, so slices of it are raw bytes.
type MyByte byte

// Bytes is a named []byte.
type Bytes []byte

// ByteArr is a named byte array.
type ByteArr [4]byte

// Keyed supplies its key bytes through a value receiver.
type Keyed struct{ ID string }

// AppendCacheKey appends the ID.
func (k Keyed) AppendCacheKey(b []byte) []byte { return append(b, k.ID...) }

// PtrKeyed is a Keyer only through its pointer.
type PtrKeyed struct{ N int }

// AppendCacheKey appends N, or '-' for a nil receiver.
func (p *PtrKeyed) AppendCacheKey(b []byte) []byte {
	if p == nil {
		return append(b, '-')
	}
	return append(b, byte(p.N), byte(p.N>>8))
}

// KeyByte has kind uint8 but is a Keyer, so slices of it are not raw bytes.
type KeyByte uint8

// AppendCacheKey appends 'k' and the byte.
func (k KeyByte) AppendCacheKey(b []byte) []byte { return append(b, 'k', byte(k)) }

// KeyerI is an interface that is a Keyer.
type KeyerI interface{ AppendCacheKey([]byte) []byte }

// List is a recursive linked list.
type List struct {
	Val  int
	Next *List
}

// Tree is recursive through a slice and a map.
type Tree struct {
	Label string
	Kids  []Tree
	Meta  map[string]*Tree
}

// Ring is mutually recursive with RingNode.
type Ring struct{ Head *RingNode }

// RingNode is a node of a Ring.
type RingNode struct {
	Val  float64
	Ring Ring
}

// Empty encodes to nothing.
type Empty struct{ _ int }

// Composite nests every composite kind.
type Composite struct {
	Ptr  *int
	PP   **string
	Sl   []int
	SS   [][]string
	Bs   []byte
	MB   []MyByte
	KB   []KeyByte
	Arr  [3]int16
	BA   [4]byte
	MBA  [2]MyByte
	KBA  [2]KeyByte
	M    map[string]int
	MM   map[MyInt]map[MyString]bool
	MS   map[[2]int]*Scalars
	MF   map[float64]string
	When time.Time
	WP   *time.Time
	K    Keyed
	PK   *PtrKeyed
	PKV  PtrKeyed
	KI   KeyerI
	Anon struct {
		X float64
		y []string
	}
	E       Empty
	EArr    [0]int
	ME      map[Empty]Empty
	SE      []Empty
	Named   Bytes
	BArr    ByteArr
	private *List
	key     Keyed
	stamp   time.Time
	pkeys   []*PtrKeyed
	Alias   Alias
}

// Alias is resolved to its target.
type Alias = map[string][]uint32
