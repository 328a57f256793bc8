package keytest

import (
	"fmt"
	"testing"

	"github.com/cespare/xxhash/v2"

	cgrt "github.com/cachegen/cachegen/runtime"
)

// BenchmarkDerive compares, in one run, the three ways to turn fixed-size
// arguments into a 64-bit key: the generated encoder (what wrappers use),
// the runtime's reflective encoder (what generic tasks use), and the
// common fmt.Sprintf("%v") shortcut, which is neither canonical nor safe
// (it prints pointers by address and maps by their order at print time).
func BenchmarkDerive(b *testing.B) {
	s := Scalars{S: "hello", F64: 1.5}
	arr := [4]uint16{5}
	b.Run("generated", func(b *testing.B) {
		var buf [256]byte
		b.ReportAllocs()
		for b.Loop() {
			k, err := keyFixed(buf[:0], 1, "two", 3.0, true, s, arr, Empty{})
			if err != nil {
				b.Fatal(err)
			}
			_ = xxhash.Sum64(k)
		}
	})
	b.Run("reflective", func(b *testing.B) {
		var buf [256]byte
		args := []any{1, "two", 3.0, true, s, arr, Empty{}}
		b.ReportAllocs()
		for b.Loop() {
			k := buf[:0]
			for _, a := range args {
				var err error
				if k, err = cgrt.AppendAny(k, a); err != nil {
					b.Fatal(err)
				}
			}
			_ = xxhash.Sum64(k)
		}
	})
	b.Run("sprintf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = xxhash.Sum64String(fmt.Sprintf("%v", []any{1, "two", 3.0, true, s, arr, Empty{}}))
		}
	})
}
