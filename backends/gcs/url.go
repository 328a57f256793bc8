package gcs

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
)

func init() {
	backends.Register("gs", func(ctx context.Context, u *url.URL) (backends.Store, error) {
		cfg, err := ParseURL(u)
		if err != nil {
			return nil, err
		}
		return New(ctx, cfg)
	})
}

// ParseURL returns the Config a gs:// URL names:
//
//	gs://bucket/prefix?endpoint=http://127.0.0.1:4443&timeout=5s
//
// The host is the bucket and the path the prefix. The query may set
// endpoint (Config.Endpoint) and timeout (Config.Timeout, a Go duration);
// any other parameter is an error, so a misspelt one is not ignored.
func ParseURL(u *url.URL) (Config, error) {
	const want = "want gs://bucket/prefix"
	switch {
	case u.Scheme != "gs":
		return Config{}, fmt.Errorf("gcs: URL scheme is %q; %s", u.Scheme, want)
	case u.Opaque != "":
		return Config{}, fmt.Errorf("gcs: URL %q has no bucket; %s", u.Redacted(), want)
	case u.Host == "":
		return Config{}, fmt.Errorf("gcs: URL has no bucket; %s", want)
	case u.User != nil:
		return Config{}, fmt.Errorf("gcs: URL must not hold credentials (the default credential chain is used); %s", want)
	case u.Port() != "" || strings.Contains(u.Host, ":"):
		return Config{}, fmt.Errorf("gcs: bucket %q contains a colon; %s", u.Host, want)
	case u.Fragment != "":
		return Config{}, fmt.Errorf("gcs: URL takes no fragment; %s", want)
	}
	cfg := Config{Bucket: u.Host, Prefix: strings.TrimLeft(u.Path, "/")}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("gcs: URL query: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		vals := q[name]
		if len(vals) != 1 {
			return Config{}, fmt.Errorf("gcs: URL parameter %q given %d times", name, len(vals))
		}
		switch v := vals[0]; name {
		case "endpoint":
			cfg.Endpoint = v
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil {
				return Config{}, fmt.Errorf("gcs: URL parameter timeout: %w", err)
			}
			cfg.Timeout = d
		default:
			return Config{}, fmt.Errorf("gcs: unknown URL parameter %q (known: endpoint, timeout)", name)
		}
	}
	return cfg, nil
}
