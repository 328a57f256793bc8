package cli

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuf is an output buffer the command's goroutine and the test share.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startUI runs cachegen ui with args until the test ends and returns the
// URL it prints.
func startUI(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errs syncBuf
	done := make(chan int)
	go func() { done <- runUI(ctx, args, &out, &errs) }()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != exitOK {
			t.Errorf("cachegen ui exited %d: %s", code, errs.String())
		}
	})
	re := regexp.MustCompile(`on (http://\S+)`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("cachegen ui printed no URL: %q %q", out.String(), errs.String())
	return ""
}

func status(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestUICommand serves on loopback without a token, and beyond loopback
// with one that the printed URL carries.
func TestUICommand(t *testing.T) {
	u := startUI(t, "-store", "mem://")
	if !strings.HasPrefix(u, "http://127.0.0.1:") || strings.Contains(u, "token") || status(t, u) != http.StatusOK {
		t.Errorf("loopback URL %s", u)
	}
	u = startUI(t, "-store", "mem://", "-addr", "0.0.0.0:0")
	base, token, ok := strings.Cut(u, "?token=")
	if !ok || len(token) != 32 {
		t.Fatalf("URL beyond loopback has no token: %s", u)
	}
	base = strings.Replace(base, "0.0.0.0", "127.0.0.1", 1)
	if status(t, base) != http.StatusUnauthorized || status(t, base+"?token="+token) != http.StatusOK {
		t.Errorf("the token is not required, or not accepted")
	}
	if status(t, base+"purge?key=x&token="+token) != http.StatusForbidden {
		t.Error("purge allowed without -allow-purge")
	}
}
