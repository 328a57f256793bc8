package redis

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// The environment variables that give the credentials when the URL has
// none.
const (
	EnvUsername = "CACHEGEN_REDIS_USERNAME"
	EnvPassword = "CACHEGEN_REDIS_PASSWORD"
)

func init() {
	open := func(ctx context.Context, u *url.URL) (backends.Store, error) {
		cfg, err := ParseURL(u)
		if err != nil {
			return nil, err
		}
		return New(ctx, cfg)
	}
	backends.Register("redis", open)
	backends.Register("rediss", open)
}

// ParseURL returns the Config a redis:// or rediss:// URL names:
//
//	redis://[user:password@]host[:port][/db][?prefix=P&timeout=D]
//	rediss://host/db?prefix=P&ca=/path/ca.pem
//
// The port defaults to 6379 and the database to 0. rediss connects with
// TLS, verified against the system's roots or the PEM file ca= names.
// Credentials missing from the URL come from CACHEGEN_REDIS_USERNAME and
// CACHEGEN_REDIS_PASSWORD. Any other parameter is an error, so a misspelt
// one is not ignored.
func ParseURL(u *url.URL) (Config, error) {
	const want = "want redis://[user:password@]host[:port][/db][?prefix=P]"
	switch {
	case u.Scheme != "redis" && u.Scheme != "rediss":
		return Config{}, fmt.Errorf("redis: URL scheme is %q; %s", u.Scheme, want)
	case u.Opaque != "" || u.Hostname() == "":
		return Config{}, fmt.Errorf("redis: URL has no host; %s", want)
	case u.Fragment != "":
		return Config{}, fmt.Errorf("redis: URL takes no fragment; %s", want)
	}
	port := u.Port()
	if port == "" {
		port = "6379"
	}
	cfg := Config{Addr: net.JoinHostPort(u.Hostname(), port)}
	if db := strings.Trim(u.Path, "/"); db != "" {
		n, err := strconv.Atoi(db)
		if err != nil || n < 0 {
			return Config{}, fmt.Errorf("redis: database %q is not a number; %s", db, want)
		}
		cfg.DB = n
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	if cfg.Username == "" && cfg.Password == "" {
		cfg.Username, cfg.Password = os.Getenv(EnvUsername), os.Getenv(EnvPassword)
	}
	if u.Scheme == "rediss" {
		cfg.TLS = &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("redis: URL query: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		vals := q[name]
		if len(vals) != 1 {
			return Config{}, fmt.Errorf("redis: URL parameter %q given %d times", name, len(vals))
		}
		switch v := vals[0]; name {
		case "prefix":
			cfg.Prefix = v
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return Config{}, fmt.Errorf("redis: URL parameter timeout=%q: want a positive Go duration", v)
			}
			cfg.Timeout = d
		case "ca":
			if cfg.TLS == nil {
				return Config{}, fmt.Errorf("redis: ca= needs rediss:// (TLS)")
			}
			pem, err := os.ReadFile(v)
			if err != nil {
				return Config{}, fmt.Errorf("redis: ca=: %w", err)
			}
			cfg.TLS.RootCAs = x509.NewCertPool()
			if !cfg.TLS.RootCAs.AppendCertsFromPEM(pem) {
				return Config{}, fmt.Errorf("redis: ca=%s holds no PEM certificate", v)
			}
		default:
			return Config{}, fmt.Errorf("redis: unknown URL parameter %q (known: prefix, timeout, ca)", name)
		}
	}
	return cfg, nil
}
