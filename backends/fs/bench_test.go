package fs

import (
	"bytes"
	"os"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/storetest"
)

// benchKey is a key as the runtime makes it.
const benchKey = storetest.BenchKey

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

func BenchmarkReadAll(b *testing.B) { storetest.BenchReadAll(b, benchStore(b), benchKey, 1024) }

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

func BenchmarkGet(b *testing.B) { storetest.BenchGet(b, benchStore(b), benchKey, 1024) }

func BenchmarkPut(b *testing.B) { storetest.BenchPut(b, benchStore(b), benchKey, 1024) }
