package cli

import (
	"testing"

	"github.com/cachegen/cachegen/backends"
)

// TestRedact checks the redaction of each place a URL can hold a secret.
// The cloud module's TestNoSecretPrinted runs the command on such URLs.
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
