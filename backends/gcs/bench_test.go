package gcs_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/gcs"
)

// benchKey is a key as the runtime makes it.
const benchKey = "cache/default/example.com%2Fm%2Fpkg.Align/0123abcd4567ef89/89ef0123456789ab"

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

func BenchmarkGet(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	buf := make([]byte, 2*benchSize)
	b.ReportAllocs()
	for b.Loop() {
		rc, _, err := s.Get(ctx, benchKey)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.ReadFull(rc, buf)
		rc.Close()
		if n != benchSize {
			b.Fatal(n)
		}
	}
}

func BenchmarkReadAll(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		v, _, err := s.ReadAll(ctx, benchKey)
		if err != nil || len(v) != benchSize {
			b.Fatal(len(v), err)
		}
	}
}

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

func BenchmarkPut(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	val := make([]byte, benchSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Put(ctx, benchKey, bytes.NewReader(val), backends.PutOptions{Size: benchSize}); err != nil {
			b.Fatal(err)
		}
	}
}

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
