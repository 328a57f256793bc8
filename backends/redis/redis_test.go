package redis_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/backends/redis"
	"github.com/cachegen/cachegen/backends/storetest"
	"github.com/cachegen/cachegen/internal/testserver"
	"github.com/cachegen/cachegen/runtime/jobcachetest"
)

// stores counts the stores fresh made, for their prefixes.
var stores atomic.Int64

// open returns a store on the shared server under prefix, closed when t
// ends.
func open(t testing.TB, prefix string) *redis.Store {
	t.Helper()
	srv := needServer(t)
	s, err := redis.New(context.Background(), redis.Config{Addr: srv.Addr, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fresh returns a store under a prefix no other store uses.
func fresh(t testing.TB) *redis.Store {
	return open(t, fmt.Sprintf("t%d/", stores.Add(1)))
}

func TestConformance(t *testing.T) {
	storetest.RunOptions(t, func(t *testing.T) backends.Store { return fresh(t) }, storetest.Options{
		Large:     10 << 20, // past the 1 MiB inline limit: a chunked value
		ListCount: 600,      // past the 256 keys of one index page
		Prefixed: func(t *testing.T, prefix string) backends.Store {
			return open(t, t.Name()+"|"+prefix)
		},
	})
}

func TestConformanceNoPrefix(t *testing.T) {
	srv := testserver.StartRedis(t) // its own server: no prefix to keep stores apart
	storetest.Run(t, func(t *testing.T) backends.Store {
		s, err := redis.New(context.Background(), redis.Config{Addr: srv.Addr})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			s.Client().FlushDB(context.Background())
			s.Close()
		})
		return s
	})
}

func TestJobCache(t *testing.T) {
	large := int64(64 << 20)
	if testing.Short() {
		large = 32 << 20
	}
	jobcachetest.Run(t, func(t *testing.T) backends.Store { return fresh(t) }, jobcachetest.Options{Large: large})
}

func TestParseURL(t *testing.T) {
	t.Setenv(redis.EnvPassword, "from-env")
	for _, c := range []struct {
		url, addr, user, pass, prefix, err string
		db                                 int
		tls                                bool
	}{
		{url: "redis://localhost", addr: "localhost:6379", pass: "from-env"},
		{url: "redis://u:p@cache:6380/3?prefix=team-a/", addr: "cache:6380", user: "u", pass: "p", db: 3, prefix: "team-a/"},
		{url: "rediss://cache/1", addr: "cache:6379", pass: "from-env", db: 1, tls: true},
		{url: "redis://[::1]:7000", addr: "[::1]:7000", pass: "from-env"},
		{url: "redis://cache/x", err: `database "x" is not a number`},
		{url: "redis:///0", err: "no host"},
		{url: "redis://cache?prefx=a", err: `unknown URL parameter "prefx"`},
		{url: "redis://cache?ca=/x", err: "ca= needs rediss://"},
		{url: "redis://cache?timeout=0s", err: "positive Go duration"},
	} {
		u, err := url.Parse(c.url)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := redis.ParseURL(u)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseURL(%s) = %v, want an error containing %q", c.url, err, c.err)
			}
			continue
		}
		if err != nil || cfg.Addr != c.addr || cfg.Username != c.user || cfg.Password != c.pass || cfg.DB != c.db || cfg.Prefix != c.prefix || (cfg.TLS != nil) != c.tls {
			t.Errorf("ParseURL(%s) = %+v, %v", c.url, cfg, err)
		}
	}
}

// TestTTL writes an object with a TTL: Redis expires it, Get misses, and
// the next listing leaves it out and drops it from the index.
func TestTTL(t *testing.T) {
	ctx := t.Context()
	s := fresh(t)
	if _, err := s.Put(ctx, "dies", strings.NewReader("x"), backends.PutOptions{TTL: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, "lives", strings.NewReader("y"), backends.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	ttl, err := s.Client().PTTL(ctx, s.ObjectKey("dies")).Result()
	if err != nil || ttl <= 0 || ttl > 50*time.Millisecond {
		t.Fatalf("PTTL = %v, %v; want the TTL the put gave", ttl, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Client().Exists(ctx, s.ObjectKey("dies")).Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("the object did not expire")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, _, err := s.Get(ctx, "dies"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Get of an expired object: %v", err)
	}
	var keys []string
	for info, err := range s.List(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	if !slices.Equal(keys, []string{"lives"}) {
		t.Errorf("List = %q, want [lives]", keys)
	}
	if n := s.Client().ZCard(ctx, s.IndexKey()).Val(); n != 1 {
		t.Errorf("index holds %d keys after the listing, want 1", n)
	}
}

// TestNoSecretPrinted opens stores with a wrong password in the URL and in
// the environment: the errors never show it.
func TestNoSecretPrinted(t *testing.T) {
	srv := testserver.StartRedis(t, "--requirepass", "right-secret")
	for _, c := range []struct{ url, env string }{
		{"redis://:wrong-secret-1@" + srv.Addr, ""},
		{"redis://" + srv.Addr, "wrong-secret-2"},
	} {
		t.Setenv(redis.EnvPassword, c.env)
		_, err := backends.Open(t.Context(), c.url)
		if err == nil {
			t.Fatalf("%s opened with a wrong password", backends.Redact(c.url))
		}
		if strings.Contains(err.Error(), "wrong-secret") {
			t.Errorf("error shows the password: %v", err)
		}
	}
	t.Setenv(redis.EnvPassword, "right-secret")
	s, err := backends.Open(t.Context(), "redis://"+srv.Addr+"?prefix=p/")
	if err != nil {
		t.Fatalf("open with the password from the environment: %v", err)
	}
	s.(backends.Closer).Close()
}

// TestJobCacheTiered runs the job cache suite on a file store in front of
// Redis.
func TestJobCacheTiered(t *testing.T) {
	large := int64(64 << 20)
	if testing.Short() {
		large = 32 << 20
	}
	jobcachetest.Run(t, func(t *testing.T) backends.Store {
		local, err := fs.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		ts, err := backends.NewTiered(local, fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}, jobcachetest.Options{Large: large})
}

// TestTLS connects with rediss:// to a server that serves TLS only: with
// the server's certificate as ca= it passes the conformance basics; without
// it, verification fails.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeCert(t, dir)
	srv := testserver.StartRedisTLS(t, cert, key)
	u := "rediss://" + srv.Addr + "?prefix=tls/&ca=" + url.QueryEscape(cert)
	s, err := backends.Open(t.Context(), u)
	if err != nil {
		t.Fatalf("open %s: %v", backends.Redact(u), err)
	}
	defer s.(backends.Closer).Close()
	if _, err := s.Put(t.Context(), "k", strings.NewReader("over tls"), backends.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	rc, _, err := s.Get(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if b, _ := io.ReadAll(rc); string(b) != "over tls" {
		t.Fatalf("read %q", b)
	}
	if _, err := backends.Open(t.Context(), "rediss://"+srv.Addr); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("open without the CA: %v, want a certificate error", err)
	}
	if _, err := backends.Open(t.Context(), "redis://"+srv.Addr+"?timeout=1s"); err == nil {
		t.Error("a plain connection to a TLS-only server succeeded")
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1 and its key as
// PEM files.
func writeCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cachegen test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = dir+"/cert.pem", dir+"/key.pem"
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
