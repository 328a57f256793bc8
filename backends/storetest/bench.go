package storetest

import (
	"bytes"
	"io"
	"testing"

	"github.com/cachegen/cachegen/backends"
)

// BenchKey is an object name as the runtime makes it, for stores'
// benchmarks.
const BenchKey = "cache/default/example.com%2Fm%2Fpkg.Align/0123abcd4567ef890123abcd4567ef89/89ef0123456789ab"

// BenchGet measures a store hit: Get of the size-byte value at key, read
// in full, as the runtime reads an entry.
func BenchGet(b *testing.B, s backends.Store, key string, size int) {
	buf := make([]byte, size+1)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		rc, _, err := s.Get(b.Context(), key)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.ReadFull(rc, buf)
		rc.Close()
		if n != size || err != io.ErrUnexpectedEOF {
			b.Fatalf("read %d bytes (%v), want %d", n, err, size)
		}
	}
}

// BenchReadAll measures the ReadAll fast path of the size-byte value at key.
func BenchReadAll(b *testing.B, s backends.ReadAller, key string, size int) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		v, _, err := s.ReadAll(b.Context(), key)
		if err != nil || len(v) != size {
			b.Fatal(len(v), err)
		}
	}
}

// BenchPut measures an unconditional Put of size bytes at key.
func BenchPut(b *testing.B, s backends.Store, key string, size int) {
	val := make([]byte, size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Put(b.Context(), key, bytes.NewReader(val), backends.PutOptions{Size: int64(size)}); err != nil {
			b.Fatal(err)
		}
	}
}
