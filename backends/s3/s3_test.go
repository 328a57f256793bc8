package s3_test

import (
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"

	"github.com/cachegen/cachegen/backends"
	s3store "github.com/cachegen/cachegen/backends/s3"
	"github.com/cachegen/cachegen/backends/storetest"
)

func TestConformance(t *testing.T) {
	srv := needServer(t)
	buckets := &bucketsByTest{srv: srv}
	harness := func(t *testing.T) backends.Store {
		return srv.open(t, srv.newBucket(t), "scoped/prefix")
	}
	storetest.RunOptions(t, harness, storetest.Options{
		Large:     20 << 20, // past the 8 MiB part size: a multipart upload
		ListCount: 1100,     // past the 1000 keys of one ListObjectsV2 page
		// versitygw's posix backend maps keys to files, so "a/b" and
		// "a/b/c" cannot both exist; S3 itself allows it.
		NoObjectAsPrefix: true,
		Prefixed: func(t *testing.T, prefix string) backends.Store {
			return srv.open(t, buckets.get(t), prefix)
		},
	})
}

func TestConformanceNoPrefix(t *testing.T) {
	srv := needServer(t)
	storetest.RunOptions(t, func(t *testing.T) backends.Store { return srv.open(t, srv.newBucket(t), "") },
		storetest.Options{NoObjectAsPrefix: true})
}

// TestRequestsPerOperation counts the HTTP requests behind each call: a
// hit is exactly one GetObject, a small put one PutObject.
func TestRequestsPerOperation(t *testing.T) {
	srv := needServer(t)
	bucket := srv.newBucket(t)
	var mu sync.Mutex // guards ops
	var ops []string
	client := s3.New(srv.open(t, bucket, "").Client().Options(), func(o *s3.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("countOps",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					mu.Lock()
					ops = append(ops, middleware.GetOperationName(ctx))
					mu.Unlock()
					return next.HandleInitialize(ctx, in)
				}), middleware.Before)
		})
	})
	cfg := srv.config(bucket, "p")
	cfg.Client = client
	st, err := s3store.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	take := func() []string {
		mu.Lock()
		defer mu.Unlock()
		o := ops
		ops = nil
		return o
	}
	if _, err := st.Put(t.Context(), "k", strings.NewReader("value"), backends.PutOptions{Size: 5}); err != nil {
		t.Fatal(err)
	}
	if got := take(); !slices.Equal(got, []string{"PutObject"}) {
		t.Errorf("Put of 5 bytes made requests %q, want one PutObject", got)
	}
	rc, info, err := st.Get(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "value" || info.Size != 5 || info.Version == "" || info.Modified.IsZero() {
		t.Errorf("Get = %q, %+v", b, info)
	}
	if got := take(); !slices.Equal(got, []string{"GetObject"}) {
		t.Errorf("Get made requests %q, want exactly one GetObject", got)
	}
}
