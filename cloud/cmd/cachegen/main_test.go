package main

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/internal/cli"
	"github.com/cachegen/cachegen/internal/testmod"
	"github.com/cachegen/cachegen/internal/testserver"
	"github.com/cachegen/cachegen/runtime"
)

var updateScripts = flag.Bool("update", false, "rewrite the scripts' expected output files (cmp) with the actual output")

// TestMain lets the test binary act as this build of the command, so
// scripts run "go generate" and the store commands with s3:// and gs://.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"cachegen": func() { os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs testdata/*.txtar against an S3-compatible server and
// the GCS emulator on loopback: $S3_ENDPOINT, $S3_BUCKET, $GCS_ENDPOINT and
// $GCS_BUCKET name them, and the AWS SDK's default credential chain finds
// its keys in the environment.
func TestScripts(t *testing.T) {
	s3 := testserver.StartS3(t)
	s3.CreateBucket(t, "scripts")
	gcs := testserver.StartGCS(t)
	gcs.CreateBucket(t, "scripts")
	testscript.Run(t, testmod.ScriptParams(t, testmod.Script{
		Dir:    "testdata",
		Update: *updateScripts,
		Nested: []string{"backends/s3", "backends/gcs"},
		Env: func(e *testscript.Env) {
			e.Setenv("S3_ENDPOINT", s3.Endpoint)
			e.Setenv("S3_BUCKET", "scripts")
			e.Setenv("GCS_ENDPOINT", gcs.Endpoint)
			e.Setenv("GCS_BUCKET", "scripts")
			for _, kv := range s3.Env() {
				k, v, _ := strings.Cut(kv, "=")
				e.Setenv(k, v)
			}
		},
	}))
}

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
			cli.Main(ctx, args, &out, &out)
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
