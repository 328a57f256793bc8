package testserver

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServersStart starts each server and checks it answers HTTP. The
// buckets CreateBucket makes are used by the store modules' tests (S3 in
// backends/s3 and cloud, GCS in backends/gcs), which put and read objects.
func TestServersStart(t *testing.T) {
	s := StartS3(t)
	s.CreateBucket(t, "probe")
	resp, err := http.Get(s.Endpoint + "/probe")
	if err != nil {
		t.Fatalf("S3 server: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "<Error>") && !strings.Contains(string(body), "ListBucketResult") {
		t.Fatalf("S3 server: an unsigned GET got %s %q, want an S3 answer", resp.Status, body)
	}
	g := StartGCS(t)
	g.CreateBucket(t, "probe")
	resp, err = http.Get(g.Endpoint + "b/probe")
	if err != nil {
		t.Fatalf("GCS emulator: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GCS emulator: bucket probe: %s", resp.Status)
	}
}
