package fs

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/cachegen/cachegen/backends"
)

// benchKey is a key as the runtime makes it.
const benchKey = "cache/default/example.com%2Fm%2Fpkg.Align/0123abcd4567ef890123abcd4567ef89/89ef0123456789ab"

// benchStore returns a store holding a 1 KiB value under benchKey.
func benchStore(b *testing.B) *Store {
	s, err := New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Put(b.Context(), benchKey, bytes.NewReader(make([]byte, 1024)), backends.PutOptions{Size: 1024}); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkReadAll(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		v, _, err := s.ReadAll(ctx, benchKey)
		if err != nil || len(v) != 1024 {
			b.Fatal(len(v), err)
		}
	}
}

// BenchmarkOSReadFile is the baseline for BenchmarkReadAll: os.ReadFile of
// the same object file, without computing its path or Info.
func BenchmarkOSReadFile(b *testing.B) {
	s := benchStore(b)
	path, _ := s.objectPath(benchKey)
	b.ReportAllocs()
	for b.Loop() {
		v, err := os.ReadFile(path)
		if err != nil || len(v) != 1024 {
			b.Fatal(len(v), err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	buf := make([]byte, 2048)
	b.ReportAllocs()
	for b.Loop() {
		rc, _, err := s.Get(ctx, benchKey)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.ReadFull(rc, buf)
		rc.Close()
		if n != 1024 {
			b.Fatal(n)
		}
	}
}

func BenchmarkPut(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	val := make([]byte, 1024)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Put(ctx, benchKey, bytes.NewReader(val), backends.PutOptions{Size: 1024}); err != nil {
			b.Fatal(err)
		}
	}
}
