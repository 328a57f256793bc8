package jsonkey

// The types of this file are type-checked from source by the tests (see
// loadTypes), so the go/types view and the compiled values describe the
// same declarations. It must import nothing but the standard library's
// time package.

import "time"

type Scalars struct {
	B   bool
	I   int
	I8  int8
	I16 int16
	I32 int32
	I64 int64
	U   uint
	U8  uint8
	U16 uint16
	U32 uint32
	U64 uint64
	UP  uintptr
	F32 float32
	F64 float64
	S   string
}

type Label string

type Level int16

type Nested struct {
	Name   Label
	Tags   []string
	Counts map[string]int
	ByID   map[int32]Label
	ByU    map[uint8]bool
	Ptr    *int
	Inner  Scalars
	Arr    [3]int16
	Bytes  []byte
	Fixed  [4]byte
	List   []*Scalars
	Matrix [][]float64
	Levels map[Level][]Level
}

type Tagged struct {
	Renamed  int    `json:"renamed"`
	Skipped  string `json:"-"`
	Dash     int    `json:"-,"`
	Quoted   int64  `json:",string"`
	QuotedS  string `json:"qs,string"`
	QuotedB  bool   `json:",string"`
	QuotedP  *int   `json:"qp,string"`
	private  int
	_        int
	Default  string `json:""`
	Extra    uint16 `json:"extra,omitzero"`
	unexport string
}

type Base struct {
	ID   int
	Note string
}

type Deep struct {
	Level int
}

type Mid struct {
	Deep
	Mid string
}

type Embeds struct {
	Base
	*Mid
	Own   string
	Named Base `json:"named"`
}

type Shadow struct {
	Base
	ID string // shadows Base.ID in JSON
}

type WithTime struct {
	At    time.Time
	When  *time.Time
	Times []time.Time
}

type Complex struct {
	C64  complex64
	C128 complex128
}

type List struct {
	Val  int
	Next *List
}

type Keyed struct{ v int }

func (k Keyed) AppendCacheKey(b []byte) []byte { return append(b, byte(k.v)) }

type HasKeyer struct {
	K Keyed
}

type PtrKeyed struct{ v int }

func (k *PtrKeyed) AppendCacheKey(b []byte) []byte { return append(b, byte(k.v)) }

type Bad struct {
	F func()
}

type BadSlice []any

type MyByte uint8

type MyBytes []MyByte

type BoolMap map[bool]int

type FloatMap map[float64]int
