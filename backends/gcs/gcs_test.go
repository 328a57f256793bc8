package gcs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/gcs"
	"github.com/cachegen/cachegen/backends/storetest"
)

// TestConformance runs the suite with a fresh bucket per subtest, listing
// pages of 5 objects so the listing tests follow page tokens, and a large
// value of 2.5 upload chunks so it goes up as a resumable upload.
func TestConformance(t *testing.T) {
	e := needEmulator(t)
	var mu sync.Mutex // guards buckets
	buckets := make(map[*testing.T]string)
	bucketOf := func(t *testing.T) string {
		mu.Lock()
		defer mu.Unlock()
		if b, ok := buckets[t]; ok {
			return b
		}
		buckets[t] = e.newBucket(t)
		return buckets[t]
	}
	const chunk = 4 << 20
	storetest.RunOptions(t, func(t *testing.T) backends.Store {
		return e.newStore(t, gcs.Config{Bucket: bucketOf(t), ListPageSize: 5, ChunkSize: chunk})
	}, storetest.Options{
		Large: chunk*5/2 + 1234,
		Prefixed: func(t *testing.T, prefix string) backends.Store {
			return e.newStore(t, gcs.Config{Bucket: bucketOf(t), Prefix: prefix, ListPageSize: 5, ChunkSize: chunk})
		},
	})
}

// TestConformancePrefix runs the suite in one bucket, a fresh prefix per
// subtest, next to objects outside the prefix that share its first bytes:
// the prefix must scope every operation.
func TestConformancePrefix(t *testing.T) {
	e := needEmulator(t)
	bucket := e.newBucket(t)
	outside := e.newStore(t, gcs.Config{Bucket: bucket})
	n := 0
	storetest.Run(t, func(t *testing.T) backends.Store {
		n++
		prefix := fmt.Sprintf("p%d", n)
		for _, k := range []string{prefix, prefix + "x", prefix + "/", prefix + "x/a"} {
			if _, err := outside.Put(t.Context(), k, strings.NewReader("outside"), backends.PutOptions{Size: 7}); err != nil {
				t.Fatalf("Put(%q) outside the prefix: %v", k, err)
			}
		}
		return e.newStore(t, gcs.Config{Bucket: bucket, Prefix: prefix})
	})
	var keys []string
	for info, err := range outside.List(t.Context(), "p1") {
		if err != nil {
			t.Fatalf("List: %v", err)
		}
		keys = append(keys, info.Key)
	}
	// The store's own keys are all in p1/; the objects put outside it
	// are the same four as before the suite ran.
	for _, k := range []string{"p1", "p1x", "p1/", "p1x/a"} {
		if !slices.Contains(keys, k) {
			t.Errorf("object %q outside the prefix is gone; listing: %q", k, keys)
		}
	}
}

func TestPrefixScopesKeys(t *testing.T) {
	e := needEmulator(t)
	bucket := e.newBucket(t)
	root := e.newStore(t, gcs.Config{Bucket: bucket})
	scoped := e.newStore(t, gcs.Config{Bucket: bucket, Prefix: "/team/a"})
	if got := scoped.Prefix(); got != "team/a/" {
		t.Errorf("Prefix() = %q, want %q", got, "team/a/")
	}
	ctx := t.Context()
	info, err := scoped.Put(ctx, "k", strings.NewReader("v"), backends.PutOptions{Size: 1})
	if err != nil || info.Key != "k" {
		t.Fatalf("Put = %+v, %v; want Key k", info, err)
	}
	rc, got, err := root.Get(ctx, "team/a/k")
	if err != nil {
		t.Fatalf("Get of the full object name: %v", err)
	}
	rc.Close()
	if got.Version != info.Version {
		t.Errorf("Version through the root store %q, through the scoped one %q", got.Version, info.Version)
	}
	for info, err := range scoped.List(ctx, "") {
		if err != nil || info.Key != "k" {
			t.Errorf("scoped List yielded %+v, %v; want only key k", info, err)
		}
	}
}

func TestMissingBucket(t *testing.T) {
	e := needEmulator(t)
	_, err := gcs.New(t.Context(), gcs.Config{Bucket: "no-such-bucket", Endpoint: e.endpoint})
	if err == nil || !strings.Contains(err.Error(), "bucket does not exist") || !strings.Contains(err.Error(), "no-such-bucket") {
		t.Fatalf("New with a missing bucket: err = %v, want one saying bucket no-such-bucket does not exist", err)
	}
	_, err = backends.Open(t.Context(), "gs://no-such-bucket/p?endpoint="+url.QueryEscape(e.endpoint))
	if err == nil || !strings.Contains(err.Error(), "bucket does not exist") {
		t.Fatalf("Open with a missing bucket: err = %v", err)
	}
}

func TestOpenURL(t *testing.T) {
	e := needEmulator(t)
	bucket := e.newBucket(t)
	s, err := backends.Open(t.Context(), "gs://"+bucket+"/cache/x?timeout=5s&endpoint="+url.QueryEscape(e.endpoint))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.(backends.Closer).Close()
	if got := s.(*gcs.Store).Prefix(); got != "cache/x/" {
		t.Errorf("Prefix() = %q, want cache/x/", got)
	}
	if _, err := s.Put(t.Context(), "k", strings.NewReader("v"), backends.PutOptions{Size: 1}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	root := e.newStore(t, gcs.Config{Bucket: bucket})
	rc, _, err := root.Get(t.Context(), "cache/x/k")
	if err != nil {
		t.Fatalf("the URL's prefix was not used: %v", err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "v" {
		t.Fatalf("Get = %q, want v", b)
	}
}

func TestErrorsNameOperationAndKey(t *testing.T) {
	e := needEmulator(t)
	s := e.newStore(t, gcs.Config{Bucket: e.newBucket(t)})
	_, _, err := s.Get(t.Context(), "a/missing")
	if !errors.Is(err, backends.ErrNotFound) || !strings.HasPrefix(err.Error(), "gcs: get a/missing: ") {
		t.Errorf("Get: err = %v, want ErrNotFound starting %q", err, "gcs: get a/missing: ")
	}
	_, _, err = s.ReadAll(t.Context(), "a/missing")
	if !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("ReadAll: err = %v, want ErrNotFound", err)
	}
	_, err = s.Put(t.Context(), "a/k", strings.NewReader("v"), backends.PutOptions{IfAbsent: true, IfVersion: "1"})
	if err == nil || !strings.HasPrefix(err.Error(), "gcs: put a/k: ") {
		t.Errorf("Put with both conditions: err = %v", err)
	}
}

func TestReadAll(t *testing.T) {
	e := needEmulator(t)
	s := e.newStore(t, gcs.Config{Bucket: e.newBucket(t)})
	val := strings.Repeat("0123456789", 1000)
	info, err := s.Put(t.Context(), "k", strings.NewReader(val), backends.PutOptions{Size: int64(len(val))})
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	b, got, err := s.ReadAll(t.Context(), "k")
	if err != nil || string(b) != val {
		t.Fatalf("ReadAll = %d bytes, %v; want the %d bytes put", len(b), err, len(val))
	}
	if got.Version != info.Version || got.Size != info.Size || got.Key != "k" {
		t.Errorf("ReadAll Info %+v, Put Info %+v", got, info)
	}
}

func TestParseURL(t *testing.T) {
	for raw, want := range map[string]gcs.Config{
		"gs://b":                 {Bucket: "b"},
		"gs://b/":                {Bucket: "b"},
		"gs://b/p/q":             {Bucket: "b", Prefix: "p/q"},
		"gs://b/p?timeout=250ms": {Bucket: "b", Prefix: "p", Timeout: 250 * time.Millisecond},
		"gs://b?endpoint=http%3A%2F%2F127.0.0.1%3A1": {Bucket: "b", Endpoint: "http://127.0.0.1:1"},
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := gcs.ParseURL(u)
		if err != nil || got != want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
	for raw, wantErr := range map[string]string{
		"gs:///p":                        "no bucket",
		"gs:b":                           "no bucket",
		"gs://u:pw@b/p":                  "credentials",
		"gs://b:80/p":                    "colon",
		"gs://b/p?region=x":              `unknown URL parameter "region"`,
		"gs://b/p?timeout=x":             "timeout",
		"gs://b/p?timeout=1s&timeout=2s": "2 times",
		"gs://b/p#frag":                  "fragment",
		"s3://b/p":                       "scheme",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := gcs.ParseURL(u); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("ParseURL(%q) error = %v, want one containing %q", raw, err, wantErr)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("ParseURL(%q) error shows the password: %v", raw, err)
		}
	}
}

// FuzzParseURL checks that ParseURL never panics and that a URL it accepts
// names a bucket without a slash or colon and a prefix without a leading
// slash.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"gs://b/p", "gs://b", "gs:///x", "gs://b/p?endpoint=http://h:1&timeout=1s", "gs://u@b", "gs://b/%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		cfg, err := gcs.ParseURL(u)
		if err != nil {
			return
		}
		if cfg.Bucket == "" || strings.ContainsAny(cfg.Bucket, "/:") {
			t.Fatalf("ParseURL(%q) accepted bucket %q", raw, cfg.Bucket)
		}
		if strings.HasPrefix(cfg.Prefix, "/") {
			t.Fatalf("ParseURL(%q) gave prefix %q with a leading slash", raw, cfg.Prefix)
		}
	})
}

// TestEmulatorHostEnv opens a store through the SDK's own emulator
// variable, without Config.Endpoint.
func TestEmulatorHostEnv(t *testing.T) {
	e := needEmulator(t)
	bucket := e.newBucket(t)
	t.Setenv("STORAGE_EMULATOR_HOST", strings.TrimPrefix(e.endpoint, "http://"))
	s, err := gcs.New(t.Context(), gcs.Config{Bucket: bucket})
	if err != nil {
		t.Fatalf("New with STORAGE_EMULATOR_HOST: %v", err)
	}
	defer s.Close()
	if _, err := s.Put(t.Context(), "k", strings.NewReader("v"), backends.PutOptions{Size: 1}); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

// TestGivenClientIsNotClosed checks that Close leaves a caller's client
// usable.
func TestGivenClientIsNotClosed(t *testing.T) {
	e := needEmulator(t)
	bucket := e.newBucket(t)
	s, err := gcs.New(t.Context(), gcs.Config{Bucket: bucket, Client: e.client})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if _, err := s.Put(t.Context(), "k", strings.NewReader("v"), backends.PutOptions{Size: 1}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := e.client.Bucket(bucket).Object("k").Attrs(t.Context()); err != nil {
		t.Fatalf("the given client after Close: %v", err)
	}
}

// cancelAfter reads from r and cancels once n bytes have gone through.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	m, err := c.r.Read(p)
	if c.n -= m; c.n <= 0 {
		c.cancel()
	}
	return m, err
}

// TestCancelMidUpload cancels a resumable upload after some chunks went
// to the server: the old value must stay, and a new key must not appear.
func TestCancelMidUpload(t *testing.T) {
	e := needEmulator(t)
	const chunk = 256 << 10
	s := e.newStore(t, gcs.Config{Bucket: e.newBucket(t), ChunkSize: chunk})
	if _, err := s.Put(t.Context(), "old", strings.NewReader("old value"), backends.PutOptions{Size: 9}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	for _, key := range []string{"old", "new"} {
		ctx, cancel := context.WithCancel(t.Context())
		r := &cancelAfter{r: storetest.Pattern(10 * chunk), n: 5*chunk/2 + 100, cancel: cancel}
		_, err := s.Put(ctx, key, r, backends.PutOptions{Size: -1})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Put(%q) cancelled mid-upload: err = %v, want context.Canceled", key, err)
		}
	}
	b, _, err := s.ReadAll(t.Context(), "old")
	if err != nil || string(b) != "old value" {
		t.Errorf("after a cancelled overwrite: %q, %v; want the old value", b, err)
	}
	if _, _, err := s.ReadAll(t.Context(), "new"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("a cancelled upload of a new key left an object: err = %v", err)
	}
}
