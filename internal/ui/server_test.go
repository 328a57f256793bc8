package ui_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/internal/ui"
)

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestToken checks that a server with a token refuses requests without
// it, and accepts the URL's token and then the cookie it sets.
func TestToken(t *testing.T) {
	srv, err := ui.New(ui.Config{Store: memory.New(), Token: "s3cret-token", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	if code, _ := get(t, hs.Client(), hs.URL+"/"); code != http.StatusUnauthorized {
		t.Errorf("without the token: %d", code)
	}
	if code, _ := get(t, hs.Client(), hs.URL+"/?token=wrong"); code != http.StatusUnauthorized {
		t.Errorf("with a wrong token: %d", code)
	}
	jar := &cookieJar{}
	c := &http.Client{Jar: jar}
	if code, body := get(t, c, hs.URL+"/?token=s3cret-token"); code != http.StatusOK || strings.Contains(body, "s3cret-token") {
		t.Errorf("with the token: %d, or the page shows it", code)
	}
	if code, _ := get(t, c, hs.URL+"/objects?kind=job"); code != http.StatusOK {
		t.Errorf("with the cookie: %d", code)
	}
}

// TestNoSecretOnPages opens pages of a store named by a URL with a
// password: the page shows the URL redacted.
func TestNoSecretOnPages(t *testing.T) {
	srv, err := ui.New(ui.Config{Store: memory.New(), StoreURL: "redis://admin:hunter2@cache:6379/0?prefix=a/", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	for _, path := range []string{"/", "/objects?kind=run", "/task?id=x"} {
		code, body := get(t, hs.Client(), hs.URL+path)
		if code != http.StatusOK || strings.Contains(body, "hunter2") || strings.Contains(body, "admin") {
			t.Errorf("%s: %d, secret shown: %v", path, code, strings.Contains(body, "hunter2"))
		}
	}
}

// TestPurgeNeedsCSRF posts a purge without the form's token to a server
// that allows purging: refused.
func TestPurgeNeedsCSRF(t *testing.T) {
	srv, err := ui.New(ui.Config{Store: memory.New(), AllowPurge: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	resp, err := hs.Client().PostForm(hs.URL+"/purge", url.Values{"key": {"cache/default/t/f/d"}, "csrf": {"guess"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("purge with a wrong CSRF token: %d", resp.StatusCode)
	}
}

// cookieJar keeps the cookies of one host.
type cookieJar struct{ cookies []*http.Cookie }

func (j *cookieJar) SetCookies(_ *url.URL, cs []*http.Cookie) { j.cookies = append(j.cookies, cs...) }
func (j *cookieJar) Cookies(*url.URL) []*http.Cookie          { return j.cookies }
