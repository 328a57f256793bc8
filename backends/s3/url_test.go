package s3

import (
	"net/url"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in   string
		want Config
		err  string
	}{
		{in: "s3://bucket", want: Config{Bucket: "bucket"}},
		{in: "s3://bucket/", want: Config{Bucket: "bucket"}},
		{in: "s3://bucket/a/b/", want: Config{Bucket: "bucket", Prefix: "a/b"}},
		{in: "S3://bucket/p?region=eu-west-1", want: Config{Bucket: "bucket", Prefix: "p", Region: "eu-west-1"}},
		{
			in:   "s3://b/p?endpoint=http://127.0.0.1:7070&path_style=true&checksum=when_required",
			want: Config{Bucket: "b", Prefix: "p", Endpoint: "http://127.0.0.1:7070", PathStyle: true, ChecksumWhenRequired: true},
		},
		{in: "s3://b?checksum=when_supported&path_style=0", want: Config{Bucket: "b"}},
		{in: "s3:///prefix", err: "no bucket"},
		{in: "s3://key:secret@b/p", err: "credentials do not belong"},
		{in: "s3://b?regoin=x", err: `unknown parameter "regoin"`},
		{in: "s3://b?path_style=yes", err: "path_style"},
		{in: "s3://b?checksum=never", err: "checksum"},
		{in: "s3://b?endpoint=127.0.0.1:7070", err: "endpoint"},
		{in: "gs://b", err: "not s3"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatalf("url.Parse(%q): %v", tt.in, err)
		}
		got, err := ParseURL(u)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseURL(%q) err = %v, want one containing %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestNewPrefix(t *testing.T) {
	for prefix, want := range map[string]string{"": "", "a": "a/", "a/": "a/", "/a/b": "a/b/"} {
		s, err := New(t.Context(), Config{Bucket: "b", Prefix: prefix, Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		if s.Prefix() != want {
			t.Errorf("New with Prefix %q: Prefix() = %q, want %q", prefix, s.Prefix(), want)
		}
	}
	if _, err := New(t.Context(), Config{}); err == nil {
		t.Error("New without a bucket succeeded")
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"s3://b/p", "s3://b?region=r&endpoint=http://h:1&path_style=true", "s3://", "s3://u@b", "s3://b?checksum=when_required"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		cfg, err := ParseURL(u)
		if err != nil {
			return
		}
		if cfg.Bucket == "" {
			t.Errorf("ParseURL(%q) accepted an empty bucket", s)
		}
		if strings.HasPrefix(cfg.Prefix, "/") || strings.HasSuffix(cfg.Prefix, "/") {
			t.Errorf("ParseURL(%q) prefix %q keeps a leading or trailing slash", s, cfg.Prefix)
		}
		if cfg.Endpoint != "" && !strings.HasPrefix(cfg.Endpoint, "http") {
			t.Errorf("ParseURL(%q) accepted endpoint %q", s, cfg.Endpoint)
		}
	})
}
