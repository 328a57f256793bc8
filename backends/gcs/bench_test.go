package gcs_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/gcs"
	"github.com/cachegen/cachegen/backends/storetest"
)

// benchKey is a key as the runtime makes it.
const benchKey = storetest.BenchKey

const benchSize = 1 << 10

// benchStore returns a store, in a fresh bucket under a prefix, holding a
// 1 KiB value under benchKey.
func benchStore(b *testing.B) *gcs.Store {
	e := needEmulator(b)
	s := e.newStore(b, gcs.Config{Bucket: e.newBucket(b), Prefix: "bench"})
	if _, err := s.Put(b.Context(), benchKey, bytes.NewReader(make([]byte, benchSize)), backends.PutOptions{Size: benchSize}); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkGet(b *testing.B) { storetest.BenchGet(b, benchStore(b), benchKey, benchSize) }

func BenchmarkReadAll(b *testing.B) { storetest.BenchReadAll(b, benchStore(b), benchKey, benchSize) }

// BenchmarkGetRaw is the floor of BenchmarkGet: the SDK's reader of the
// same object, used by hand, without the store's Info, timeout or errors.
func BenchmarkGetRaw(b *testing.B) {
	s := benchStore(b)
	obj := shared.client.Bucket(s.Bucket()).Object(s.Prefix() + benchKey)
	ctx := b.Context()
	buf := make([]byte, 2*benchSize)
	b.ReportAllocs()
	for b.Loop() {
		r, err := obj.NewReader(ctx)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.ReadFull(r, buf)
		r.Close()
		if n != benchSize {
			b.Fatal(n)
		}
	}
}

func BenchmarkPut(b *testing.B) { storetest.BenchPut(b, benchStore(b), benchKey, benchSize) }

// BenchmarkPutRaw is the floor of BenchmarkPut: the SDK's writer used by
// hand the way its documentation advises for small objects (a chunk just
// larger than the object) and with the content type the store sets.
func BenchmarkPutRaw(b *testing.B) {
	s := benchStore(b)
	obj := shared.client.Bucket(s.Bucket()).Object(s.Prefix() + benchKey)
	ctx := b.Context()
	val := make([]byte, benchSize)
	b.ReportAllocs()
	for b.Loop() {
		w := obj.NewWriter(ctx)
		w.ChunkSize = benchSize + 1
		w.ContentType = "application/octet-stream"
		if _, err := w.Write(val); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
