package s3_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/cachegen/cachegen/backends"
	s3store "github.com/cachegen/cachegen/backends/s3"
	"github.com/cachegen/cachegen/backends/storetest"
)

// benchStore returns a store on a fresh bucket holding a 1 KiB object at
// key "k" (object name "bench/k").
func benchStore(b *testing.B) (*s3store.Store, []byte) {
	srv := needServer(b)
	st := srv.open(b, srv.newBucket(b), "bench")
	val := bytes.Repeat([]byte("0123456789abcdef"), 64)
	if _, err := st.Put(b.Context(), "k", bytes.NewReader(val), backends.PutOptions{Size: int64(len(val))}); err != nil {
		b.Fatal(err)
	}
	return st, val
}

// BenchmarkGet is a store hit: Get plus reading the 1 KiB value.
func BenchmarkGet(b *testing.B) {
	st, val := benchStore(b)
	storetest.BenchGet(b, st, "k", len(val))
}

// BenchmarkGetFloor is the same read with the raw client, into the same
// buffer (storetest.BenchGet): the floor the store's Get is measured against.
func BenchmarkGetFloor(b *testing.B) {
	st, val := benchStore(b)
	client, bucket := st.Client(), st.Bucket()
	buf := make([]byte, len(val)+1)
	b.SetBytes(int64(len(val)))
	b.ReportAllocs()
	for b.Loop() {
		out, err := client.GetObject(b.Context(), &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("bench/k")})
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.ReadFull(out.Body, buf)
		out.Body.Close()
		if n != len(val) || err != io.ErrUnexpectedEOF {
			b.Fatalf("read %d bytes, %v", n, err)
		}
	}
}

// BenchmarkPut writes the 1 KiB value through the store.
func BenchmarkPut(b *testing.B) {
	st, val := benchStore(b)
	storetest.BenchPut(b, st, "k", len(val))
}

// BenchmarkPutFloor writes the same value with the raw client's PutObject.
func BenchmarkPutFloor(b *testing.B) {
	st, val := benchStore(b)
	client, bucket := st.Client(), st.Bucket()
	b.SetBytes(int64(len(val)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := client.PutObject(b.Context(), &s3.PutObjectInput{Bucket: &bucket, Key: aws.String("bench/k"), Body: bytes.NewReader(val)}); err != nil {
			b.Fatal(err)
		}
	}
}
