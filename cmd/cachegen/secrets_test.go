package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// secrets are planted in store URLs and in the environment; no output of
// the runtime or the command may contain any of them.
var secrets = []string{"AKIAURLUSER", "URLSECRETVALUE", "QUERYTOKENVALUE", "ENDPOINTPASS", "AKIAENVUSER", "ENVSECRETVALUE"}

// TestNoSecretPrinted runs the runtime (logging at debug level) and the
// store commands against S3 URLs that carry credentials, in the URL and in
// the environment, with a dead endpoint on loopback so every operation
// fails and is reported, and greps everything they printed.
func TestNoSecretPrinted(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAENVUSER")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "ENVSECRETVALUE")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	dead := "endpoint=http://127.0.0.1:1&path_style=true"
	urls := []string{
		"s3://AKIAURLUSER:URLSECRETVALUE@bucket/prefix?" + dead,
		"s3://bucket/prefix?" + dead + "&token=QUERYTOKENVALUE",
		"s3://bucket/prefix?endpoint=http://user:ENDPOINTPASS@127.0.0.1:1",
		"s3://AKIAURLUSER:URLSECRETVALUE@bucket/prefix%zz", // does not parse
		"s3://bucket/prefix?" + dead,                       // opens; every call fails
	}
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	task := &runtime.Task{ID: "example.com/m.Secret", Fingerprint: "0123456789abcdef"}
	for _, u := range urls {
		rt, err := runtime.New(ctx, runtime.WithStoreURL(u), runtime.WithLogger(log))
		if err != nil {
			out.WriteString(err.Error() + "\n")
		}
		if rt != nil {
			v, err := runtime.Cached(runtime.WithRuntime(ctx, rt), task, []byte("k"), nil, func(context.Context) (int, error) { return 7, nil })
			if err != nil || v != 7 {
				t.Errorf("%s: Cached = %d, %v; want the function's result", backends.Redact(u), v, err)
			}
		}
		t.Setenv("CACHEGEN_STORE", u)
		for _, args := range [][]string{{"ls", "-store", u}, {"stats"}, {"purge", "-n", "-all", "-store", u}, {"inspect", "-store", u, "cache/default/x/0123456789abcdef/0123456789abcdef"}} {
			run(ctx, args, &out, &out)
		}
	}
	text := out.String()
	if !strings.Contains(text, "xxxxx") || !strings.Contains(text, "127.0.0.1:1") {
		t.Fatalf("the output does not show the failures it should (redacted URLs, the dead endpoint):\n%s", text)
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("the output contains the secret %s:\n%s", s, text)
		}
	}
}

// TestRedact checks the redaction of each place a URL can hold a secret.
func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"s3://KEY:SECRET@bucket/p":                            "s3://xxxxx@bucket/p",
		"s3://bucket/p?region=eu&token=T":                     "s3://bucket/p?region=eu&token=xxxxx",
		"s3://bucket/p?endpoint=http://u:p@h:9000":            "s3://bucket/p?endpoint=http%3A%2F%2Fxxxxx%40h%3A9000",
		"file:///tmp/store":                                   "file:///tmp/store",
		"s3://KEY:SECRET@bucket/%zz":                          "s3://<unparsable URL>",
		"redis://user:pw@host:6379/0?prefix=x&Access_Key=abc": "redis://xxxxx@host:6379/0?Access_Key=xxxxx&prefix=x",
	} {
		if got := backends.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
