package s3_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cachegen/cachegen/backends"
	s3store "github.com/cachegen/cachegen/backends/s3"
)

func TestMissingBucket(t *testing.T) {
	srv := needServer(t)
	st := srv.open(t, "no-such-bucket-here", "p")
	if err := st.Check(t.Context()); !errors.Is(err, s3store.ErrNoBucket) {
		t.Errorf("Check: err = %v, want ErrNoBucket", err)
	}
	_, _, err := st.Get(t.Context(), "k")
	if !errors.Is(err, s3store.ErrNoBucket) || errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Get: err = %v, want ErrNoBucket and not ErrNotFound", err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "s3: get k: bucket does not exist") {
		t.Errorf("Get error %q does not start with the operation, key and cause", err)
	}
	if _, err := st.Put(t.Context(), "k", strings.NewReader("v"), backends.PutOptions{}); !errors.Is(err, s3store.ErrNoBucket) {
		t.Errorf("Put: err = %v, want ErrNoBucket", err)
	}
	for _, err := range st.List(t.Context(), "") {
		if !errors.Is(err, s3store.ErrNoBucket) {
			t.Errorf("List: err = %v, want ErrNoBucket", err)
		}
	}
}

func TestWrongSecret(t *testing.T) {
	srv := needServer(t)
	bucket := srv.newBucket(t)
	cfg := srv.config(bucket, "p")
	const secret = "not-the-secret-at-all"
	cfg.Credentials = credentials.NewStaticCredentialsProvider(testAccess, secret, "")
	st, err := s3store.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]error{"Check": st.Check(t.Context())}
	_, _, checks["Get"] = st.Get(t.Context(), "k")
	_, checks["Put"] = st.Put(t.Context(), "k", strings.NewReader("v"), backends.PutOptions{})
	checks["Delete"] = st.Delete(t.Context(), "k")
	for op, err := range checks {
		if !errors.Is(err, s3store.ErrAccessDenied) {
			t.Errorf("%s with a wrong secret: err = %v, want ErrAccessDenied", op, err)
		}
		if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), testSecret)) {
			t.Errorf("%s error reveals a secret: %v", op, err)
		}
		if errors.Is(err, backends.ErrNotFound) {
			t.Errorf("%s with a wrong secret reads as a miss: %v", op, err)
		}
	}
}

func TestOpenURL(t *testing.T) {
	srv := needServer(t)
	bucket := srv.newBucket(t)
	t.Setenv("AWS_ACCESS_KEY_ID", testAccess)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret)
	url := "s3://" + bucket + "/team/a?region=us-east-1&path_style=true&checksum=when_required&endpoint=" + srv.endpoint
	st, err := backends.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("Open(%s): %v", url, err)
	}
	if _, err := st.Put(t.Context(), "k", strings.NewReader("via url"), backends.PutOptions{}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	// The object lives under the URL's prefix, with a slash added.
	out, err := srv.open(t, bucket, "").Client().GetObject(t.Context(), &s3.GetObjectInput{Bucket: &bucket, Key: aws.String("team/a/k")})
	if err != nil {
		t.Fatalf("GetObject(team/a/k): %v", err)
	}
	defer out.Body.Close()
	if b, _ := io.ReadAll(out.Body); string(b) != "via url" {
		t.Fatalf("team/a/k holds %q, want %q", b, "via url")
	}
}

// TestIgnoredPreconditionIsCaught stands in for a server that ignores
// conditional headers (a client that strips them): the conditional puts
// must then succeed where they should fail, which is what storetest's
// IfAbsent and IfVersionStaleRejected checks detect.
func TestIgnoredPreconditionIsCaught(t *testing.T) {
	srv := needServer(t)
	bucket := srv.newBucket(t)
	st := srv.open(t, bucket, "")
	strip := s3.New(st.Client().Options(), func(o *s3.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("stripConditions",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					if req, ok := in.Request.(*smithyhttp.Request); ok {
						req.Header.Del("If-None-Match")
						req.Header.Del("If-Match")
					}
					return next.HandleFinalize(ctx, in)
				}), middleware.Before)
		})
	})
	cfg := srv.config(bucket, "")
	cfg.Client = strip
	ignoring, err := s3store.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	put := func(s backends.Store, v string, o backends.PutOptions) error {
		_, err := s.Put(t.Context(), "k", strings.NewReader(v), o)
		return err
	}
	if err := put(st, "v1", backends.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := put(st, "v2", backends.PutOptions{IfAbsent: true}); !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("honest client: IfAbsent on a present key: err = %v, want ErrPrecondition", err)
	}
	if err := put(ignoring, "v2", backends.PutOptions{IfAbsent: true}); err != nil {
		t.Fatalf("with the condition stripped the put should overwrite, got %v", err)
	}
}

// TestMultipartConditions checks that the preconditions hold on multipart
// uploads too (If-None-Match / If-Match on CompleteMultipartUpload).
func TestMultipartConditions(t *testing.T) {
	srv := needServer(t)
	cfg := srv.config(srv.newBucket(t), "mp")
	cfg.PartSize = 5 << 20
	st, err := s3store.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	const n = 11 << 20 // three parts
	big := func(o backends.PutOptions) (backends.Info, error) {
		o.Size = -1
		return st.Put(t.Context(), "k", &genReader{n: n}, o)
	}
	first, err := big(backends.PutOptions{IfAbsent: true})
	if err != nil {
		t.Fatalf("multipart IfAbsent of a missing key: %v", err)
	}
	if _, err := big(backends.PutOptions{IfAbsent: true}); !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("multipart IfAbsent of a present key: err = %v, want ErrPrecondition", err)
	}
	small, err := st.Put(t.Context(), "k", strings.NewReader("small"), backends.PutOptions{IfVersion: first.Version})
	if err != nil {
		t.Fatalf("IfVersion with the multipart object's version: %v", err)
	}
	if _, err := big(backends.PutOptions{IfVersion: first.Version}); !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("multipart IfVersion with a stale version: err = %v, want ErrPrecondition", err)
	}
	if _, err := big(backends.PutOptions{IfVersion: small.Version}); err != nil {
		t.Fatalf("multipart IfVersion with the current version: %v", err)
	}
	rc, info, err := st.Get(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if info.Size != n {
		t.Errorf("after the multipart CAS, Size = %d, want %d", info.Size, n)
	}
}
