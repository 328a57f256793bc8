package backends_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends"
	_ "github.com/cachegen/cachegen/backends/memory"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	if _, err := backends.Open(ctx, "mem://"); err != nil {
		t.Fatalf("mem://: %v", err)
	}
	for url, want := range map[string]string{
		"s3://bucket/prefix": `add import _ "github.com/cachegen/cachegen/backends/s3" (a module of its own: go get github.com/cachegen/cachegen/backends/s3)`,
		"gs://bucket":        `add import _ "github.com/cachegen/cachegen/backends/gcs"`,
		"zz://x":             `unknown scheme "zz"`,
		"/no/scheme":         "no scheme",
	} {
		_, err := backends.Open(ctx, url)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open(%q) = %v, want an error containing %q", url, err, want)
		}
	}
	// A tool tells its own users what to do from the typed error; in a
	// tiered URL it is the level's.
	_, err := backends.Open(ctx, "mem:// | gs://bucket")
	var unreg *backends.UnregisteredError
	if !errors.As(err, &unreg) || unreg.Scheme != "gs" || !unreg.OwnModule {
		t.Errorf("Open of an unregistered gs:// level = %v, want an *UnregisteredError for a module of its own", err)
	}
}

func TestEscapeSegment(t *testing.T) {
	for in, want := range map[string]string{
		"example.com/m/pkg.Align": "example.com%2Fm%2Fpkg.Align",
		"100%":                    "100%25",
		"":                        "%",
		"\x00":                    "%00",
		"plain":                   "plain",
	} {
		if got := backends.EscapeSegment(in); got != want {
			t.Errorf("EscapeSegment(%q) = %q, want %q", in, got, want)
		}
	}
	got := backends.CacheKey("prod", "example.com/m.F", "0123456789abcdef", "fedcba9876543210")
	if want := "cache/prod/example.com%2Fm.F/0123456789abcdef/fedcba9876543210"; got != want {
		t.Errorf("CacheKey = %q, want %q", got, want)
	}
}

// FuzzEscapeSegment checks that escaping is injective and never yields a
// segment that is empty or contains a slash.
func FuzzEscapeSegment(f *testing.F) {
	for _, s := range []string{"", "a/b", "%2F", "%", "\x00", "x\x7fy"} {
		f.Add(s, s+"/")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ea, eb := backends.EscapeSegment(a), backends.EscapeSegment(b)
		if ea == "" || strings.Contains(ea, "/") {
			t.Fatalf("EscapeSegment(%q) = %q", a, ea)
		}
		if a != b && ea == eb {
			t.Fatalf("EscapeSegment(%q) == EscapeSegment(%q) == %q", a, b, ea)
		}
	})
}

// FuzzParseCacheKey checks that ParseCacheKey inverts CacheKey.
func FuzzParseCacheKey(f *testing.F) {
	f.Add("ns", "example.com/m/p.F", "0123456789abcdef", "fedcba9876543210")
	f.Add("", "", "a", "b")
	f.Add("a/b", "p.Map[int,string]%", "x", "y")
	f.Fuzz(func(t *testing.T, ns, task, fp, digest string) {
		if fp == "" || digest == "" || strings.Contains(fp+digest, "/") {
			return
		}
		key := backends.CacheKey(ns, task, fp, digest)
		got, ok := backends.ParseCacheKey(key)
		if want := (backends.CacheName{Namespace: ns, Task: task, Fingerprint: fp, Digest: digest}); !ok || got != want {
			t.Errorf("ParseCacheKey(%q) = %+v %v, want %+v", key, got, ok, want)
		}
	})
}
