package s3

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/cachegen/cachegen/backends"
)

func init() {
	backends.Register("s3", func(ctx context.Context, u *url.URL) (backends.Store, error) {
		cfg, err := ParseURL(u)
		if err != nil {
			return nil, err
		}
		return New(ctx, cfg)
	})
}

// ParseURL turns s3://bucket/prefix?region=R&endpoint=E&path_style=true&checksum=when_required
// into a Config. Every query parameter is optional; an unknown one is an
// error, so a misspelt option is not silently ignored.
func ParseURL(u *url.URL) (Config, error) {
	if !strings.EqualFold(u.Scheme, "s3") {
		return Config{}, fmt.Errorf("s3: url: scheme %q is not s3", u.Scheme)
	}
	if u.User != nil {
		return Config{}, fmt.Errorf("s3: url: credentials do not belong in the URL; use the AWS credential chain")
	}
	if u.Host == "" {
		return Config{}, fmt.Errorf("s3: url: no bucket (want s3://bucket/prefix)")
	}
	cfg := Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	for name, vals := range u.Query() {
		v := vals[len(vals)-1]
		switch name {
		case "region":
			cfg.Region = v
		case "endpoint":
			e, err := url.Parse(v)
			if err != nil || e.Host == "" || (e.Scheme != "http" && e.Scheme != "https") {
				return Config{}, fmt.Errorf("s3: url: endpoint %q is not an http(s) URL", backends.Redact(v))
			}
			cfg.Endpoint = v
		case "path_style":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return Config{}, fmt.Errorf("s3: url: path_style=%q: want true or false", v)
			}
			cfg.PathStyle = b
		case "checksum":
			switch v {
			case "when_required":
				cfg.ChecksumWhenRequired = true
			case "when_supported", "":
				cfg.ChecksumWhenRequired = false
			default:
				return Config{}, fmt.Errorf("s3: url: checksum=%q: want when_required or when_supported", v)
			}
		default:
			return Config{}, fmt.Errorf("s3: url: unknown parameter %q (known: region, endpoint, path_style, checksum)", name)
		}
	}
	return cfg, nil
}
