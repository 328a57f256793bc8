// Package raw has tasks with unsafe.Pointer parameters and results: an
// ignored parameter is left out of the key, and every signature spells
// unsafe.Pointer through its import.
package raw

import (
	"context"
	"unsafe"
)

// Addr is another name for unsafe.Pointer.
type Addr = unsafe.Pointer

// Buf is a buffer.
type Buf struct{ N int }

// Peek is a method whose pointer parameter is ignored; the receiver and n
// form the key.
//
//cache:task ignore=p
func (b Buf) Peek(p unsafe.Pointer, n int) int { return b.N + n }

// Copy ignores two pointer parameters and a slice of them.
//
//cache:task ignore=dst,src,more
func Copy(ctx context.Context, dst, src unsafe.Pointer, n int, more []unsafe.Pointer) (int, error) {
	return n + len(more), nil
}

// At takes the pointer through an alias, ignored.
//
//cache:task ignore=a
func At(a Addr, n int) int { return n }

// Keyed keys on n alone.
//
//cache:task key=n
func Keyed(p unsafe.Pointer, n int) int { return n }

// Alloc is memoised in-process: its result cannot be stored.
//
//memo:task
func Alloc(n int) unsafe.Pointer { return unsafe.Pointer(new([8]byte)) }
