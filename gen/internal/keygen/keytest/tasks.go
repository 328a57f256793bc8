package keytest

import "time"

// The exported functions of this file are the tasks whose key functions
// keys_gen.go holds: key<Name>, one parameter per parameter.

// Fixed takes only fixed-size arguments; its key function must not allocate.
func Fixed(a int, b string, c float64, d bool, s Scalars, arr [4]uint16, e Empty) {}

// Mixed takes composite and recursive arguments.
func Mixed(c Composite, l *List, t Tree, r Ring, ks []KeyerI, when time.Time) {}

// Leaves takes Keyers, named scalars and byte slices directly.
func Leaves(k Keyed, pk *PtrKeyed, ki KeyerI, n MyInt, s MyString, bs Bytes, ba ByteArr, mb []MyByte) {
}

// Generic takes type-parameter arguments, encoded reflectively.
func Generic[T any](x T, xs []T, n int) {}
