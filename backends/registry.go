package backends

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/cachegen/cachegen/internal/suggest"
)

// Opener opens a store from a parsed URL. The URL's scheme is the one the
// opener was registered under.
type Opener func(ctx context.Context, u *url.URL) (Store, error)

// registry is the documented process-wide scheme table, filled by stores'
// init functions (like database/sql drivers).
var registry struct {
	mu      sync.RWMutex // guards openers
	openers map[string]Opener
}

// knownImports names the package that registers each scheme cachegen ships,
// so the error for an unregistered one can say which import to add.
var knownImports = map[string]string{
	"mem":    "github.com/cachegen/cachegen/backends/memory",
	"file":   "github.com/cachegen/cachegen/backends/fs",
	"s3":     "github.com/cachegen/cachegen/backends/s3",
	"gs":     "github.com/cachegen/cachegen/backends/gcs",
	"redis":  "github.com/cachegen/cachegen/backends/redis",
	"rediss": "github.com/cachegen/cachegen/backends/redis",
}

// ownModule marks the schemes whose stores are modules of their own, so
// that their SDKs stay out of the go.mod of programs that do not use them.
var ownModule = map[string]bool{"s3": true, "gs": true}

// UnregisteredError is Open's error for a scheme of a store cachegen ships
// whose package the program does not import. A tool can tell its own user
// what to do instead (the cachegen command names its build with the cloud
// stores).
type UnregisteredError struct {
	URL       string // redacted
	Scheme    string
	Import    string // the package that registers the scheme
	OwnModule bool   // the package is a module of its own (go get it)
}

func (e *UnregisteredError) Error() string {
	mod := ""
	if e.OwnModule {
		mod = " (a module of its own: go get " + e.Import + ")"
	}
	return fmt.Sprintf("backends: open %q: scheme %q is not registered; add import _ %q%s", e.URL, e.Scheme, e.Import, mod)
}

// Register makes a store available under a URL scheme. It is meant to be
// called from an init function; it panics if the scheme is empty, already
// registered, or open is nil, since each is a programming error.
func Register(scheme string, open Opener) {
	if scheme == "" || open == nil {
		panic("backends: Register with empty scheme or nil opener")
	}
	scheme = strings.ToLower(scheme)
	registry.mu.Lock()
	defer registry.mu.Unlock()
	if registry.openers == nil {
		registry.openers = make(map[string]Opener)
	}
	if _, dup := registry.openers[scheme]; dup {
		panic("backends: Register called twice for scheme " + scheme)
	}
	registry.openers[scheme] = open
}

// Schemes returns the registered schemes, sorted.
func Schemes() []string {
	registry.mu.RLock()
	defer registry.mu.RUnlock()
	s := make([]string, 0, len(registry.openers))
	for k := range registry.openers {
		s = append(s, k)
	}
	slices.Sort(s)
	return s
}

// Open opens the store a URL names, through the opener registered for its
// scheme. An unregistered scheme's error names the import that registers it.
//
// A list of URLs joined by [TierSeparator] opens a [Tiered] store of those
// levels, nearest first.
func Open(ctx context.Context, rawURL string) (Store, error) {
	if strings.Contains(rawURL, TierSeparator) {
		return openTiered(ctx, rawURL)
	}
	shown := Redact(rawURL) // never print the URL itself: it may hold a secret
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error's text repeats the whole URL
		}
		return nil, fmt.Errorf("backends: open %q: invalid URL: %w", shown, err)
	}
	if u.Scheme == "" {
		return nil, fmt.Errorf("backends: open %q: no scheme (want mem://, file:///dir, s3://bucket/prefix or gs://bucket/prefix)", shown)
	}
	scheme := strings.ToLower(u.Scheme)
	registry.mu.RLock()
	open := registry.openers[scheme]
	registry.mu.RUnlock()
	if open == nil {
		if imp, ok := knownImports[scheme]; ok {
			return nil, &UnregisteredError{URL: shown, Scheme: scheme, Import: imp, OwnModule: ownModule[scheme]}
		}
		hint := ""
		if c, ok := closestScheme(scheme); ok {
			hint = fmt.Sprintf("; did you mean %s://?", c)
		}
		return nil, fmt.Errorf("backends: open %q: unknown scheme %q%s (registered: %s)", shown, scheme, hint, strings.Join(Schemes(), ", "))
	}
	s, err := open(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("backends: open %q: %w", shown, err)
	}
	return s, nil
}

// closestScheme is the registered or known scheme nearest to scheme: by
// spelling, or as a prefix ("memory" → "mem", "redis-cluster" → "redis").
func closestScheme(scheme string) (string, bool) {
	known := Schemes()
	for k := range knownImports {
		known = append(known, k)
	}
	slices.Sort(known)
	if c, ok := suggest.Closest(scheme, known); ok {
		return c, true
	}
	for _, k := range known {
		if len(k) >= 2 && (strings.HasPrefix(scheme, k) || strings.HasPrefix(k, scheme)) {
			return k, true
		}
	}
	return "", false
}
