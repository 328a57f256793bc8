package backends

import (
	"net/url"
	"strings"
)

// secretParams are query parameter names (lower case) whose values are
// redacted: a URL may carry a token or key in its query.
var secretParams = []string{"secret", "token", "password", "passwd", "key", "credential", "signature", "sig", "auth"}

// Redact returns a store URL safe to print: a user name and password are
// replaced by "xxxxx" (an access key ID is half a credential), and so are
// the values of query parameters whose names mention a secret, token,
// password, key, credential, signature or auth, and the user info of a URL
// nested in a parameter (endpoint=https://user:pass@host). A URL that does
// not parse prints as its scheme alone. The levels of a tiered store's URL
// list are redacted one by one. Every error and log line that names a
// store URL goes through it.
func Redact(rawURL string) string {
	if strings.Contains(rawURL, TierSeparator) {
		parts := strings.Split(rawURL, TierSeparator)
		for i, p := range parts {
			parts[i] = Redact(strings.TrimSpace(p))
		}
		return strings.Join(parts, " "+TierSeparator+" ")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		scheme, _, ok := strings.Cut(rawURL, "://")
		if !ok || strings.ContainsAny(scheme, "/@:?") {
			return "<unparsable URL>"
		}
		return scheme + "://<unparsable URL>"
	}
	if u.User != nil {
		u.User = url.User("xxxxx")
	}
	if u.RawQuery != "" {
		q := u.Query()
		for name, vals := range q {
			lower := strings.ToLower(name)
			secret := false
			for _, s := range secretParams {
				secret = secret || strings.Contains(lower, s)
			}
			for i, v := range vals {
				switch {
				case secret:
					vals[i] = "xxxxx"
				case strings.Contains(v, "@") && strings.Contains(v, "://"):
					vals[i] = Redact(v)
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
