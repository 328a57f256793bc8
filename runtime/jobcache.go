package runtime

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cachegen/cachegen/backends"
)

// Job caches (Tilebox Workflows' job_cache): a job's tasks share
// intermediate data by key, isolated from other jobs. Objects live under
//
//	job/<namespace>/<job-id>/<group>/.../<key>     JobCache, NamedCache
//	shared/<namespace>/<name>/<group>/.../<key>    SharedCache
//
// Keys, group names, job IDs and cache names are validated rather than
// escaped, so the names in a store read the same as in the program.

// EnvCachePrefix starts the environment variables that give named caches
// their store URLs: CACHEGEN_CACHE_<NAME>=url, where <NAME> is the cache's
// name upper-cased with every character other than A-Z, 0-9 and '_'
// replaced by '_'.
const EnvCachePrefix = "CACHEGEN_CACHE_"

// ErrNotFound is returned (wrapped) by [Cache.Load], [Cache.Reader] and
// [Cache.Delete] when a key holds no value. The errors also match
// [backends.ErrNotFound].
var ErrNotFound = errors.New("runtime: job cache: key not found")

// notFound is the error of a missing key: it matches both ErrNotFound and
// the store's error.
type notFound struct {
	op, key string
	err     error // the store's error, matching backends.ErrNotFound
}

func (e *notFound) Error() string   { return fmt.Sprintf("job cache: %s %q: %v", e.op, e.key, e.err) }
func (e *notFound) Unwrap() []error { return []error{ErrNotFound, e.err} }

// WithJob returns a context whose job is id, for [JobCache] and
// [NamedCache]. The ID is validated when a cache is made.
func WithJob(ctx context.Context, id string) context.Context {
	return withScope(ctx, func(s *scope) { s.job = id })
}

// JobID returns the job ID in ctx, or "" when ctx is not in a job.
func JobID(ctx context.Context) string { return scopeOf(ctx).job }

// A Cache is a job's (or a shared) key-value cache, or one group of it.
// It is safe for concurrent use; a Cache made by Group with an invalid
// name returns that validation error from every method.
type Cache struct {
	store  backends.Store
	prefix string // object name prefix of this group; ends with "/"
	err    error  // validation error; non-nil makes every method fail
}

// JobCache returns the cache of the job in ctx (see [WithJob]) over the
// store of ctx's runtime ([FromContext]). It fails when ctx has no job, the
// job ID is invalid, or the runtime has no store.
func JobCache(ctx context.Context) (*Cache, error) {
	rt := FromContext(ctx)
	if rt.store == nil {
		return nil, errors.New("job cache: no store (caching is off or the store failed to open)")
	}
	return jobCacheOver(ctx, rt, rt.store)
}

// NamedCache returns the cache of the job in ctx in the named cache: a
// store of its own, given by [WithCache] or else by the environment
// variable CACHEGEN_CACHE_<NAME> (see [EnvCachePrefix]). Its objects have
// the same names as [JobCache]'s. The store is opened on first use and
// kept by the runtime.
func NamedCache(ctx context.Context, name string) (*Cache, error) {
	if err := ValidCacheName(name); err != nil {
		return nil, err
	}
	rt := FromContext(ctx)
	st, err := rt.caches.open(ctx, name)
	if err != nil {
		return nil, err
	}
	return jobCacheOver(ctx, rt, st)
}

// SharedCache returns the cache called name that every job in ctx's
// namespace shares, in the store of ctx's runtime. It needs no job.
func SharedCache(ctx context.Context, name string) (*Cache, error) {
	if err := ValidCacheName(name); err != nil {
		return nil, err
	}
	rt := FromContext(ctx)
	if rt.store == nil {
		return nil, fmt.Errorf("shared cache %q: no store (caching is off or the store failed to open)", name)
	}
	return &Cache{store: rt.store, prefix: backends.SharedPrefix(rt.Namespace(ctx), name)}, nil
}

// jobCacheOver is the cache of ctx's job over st.
func jobCacheOver(ctx context.Context, rt *Runtime, st backends.Store) (*Cache, error) {
	id := scopeOf(ctx).job
	if id == "" {
		return nil, errors.New("job cache: no job in the context (use runtime.WithJob)")
	}
	if err := ValidJobID(id); err != nil {
		return nil, err
	}
	return &Cache{store: st, prefix: backends.JobPrefix(rt.Namespace(ctx), id)}, nil
}

// Group returns the sub-cache called name. A name with slashes is a path
// of groups: Group("a/b") is Group("a").Group("b"). An invalid name gives
// a Cache whose every method returns the validation error.
func (c *Cache) Group(name string) *Cache {
	if c.err != nil {
		return c
	}
	if err := validPath("group", name); err != nil {
		return &Cache{err: err}
	}
	return &Cache{store: c.store, prefix: c.prefix + name + "/"}
}

// object returns the object name of key, or the validation error.
func (c *Cache) object(key string) (string, error) {
	if c.err != nil {
		return "", c.err
	}
	if err := validPath("key", key); err != nil {
		return "", err
	}
	if n := len(c.prefix) + len(key); n > backends.MaxKeyLen {
		return "", fmt.Errorf("job cache: key %.40q...: its object name would be %d bytes; stores take at most %d", key, n, backends.MaxKeyLen)
	}
	return c.prefix + key, nil
}

// Save stores data under key, replacing any value it held.
func (c *Cache) Save(ctx context.Context, key string, data []byte) error {
	obj, err := c.object(key)
	if err != nil {
		return err
	}
	_, err = c.store.Put(ctx, obj, bytes.NewReader(data), backends.PutOptions{Size: int64(len(data))})
	if err != nil {
		return fmt.Errorf("job cache: save %q: %w", key, err)
	}
	return nil
}

// Load returns the value under key; a missing key is [ErrNotFound].
func (c *Cache) Load(ctx context.Context, key string) ([]byte, error) {
	r, err := c.Reader(ctx, key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("job cache: load %q: %w", key, err)
	}
	return data, nil
}

// Reader opens the value under key as a stream, which the caller closes; a
// missing key is [ErrNotFound].
func (c *Cache) Reader(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := c.object(key)
	if err != nil {
		return nil, err
	}
	r, _, err := c.store.Get(ctx, obj)
	if errors.Is(err, backends.ErrNotFound) {
		return nil, &notFound{op: "load", key: key, err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("job cache: load %q: %w", key, err)
	}
	return r, nil
}

// Writer returns a writer whose bytes become the value under key, streamed
// to the store without being held in memory. The value is stored only when
// Close returns nil; Close must be called. The writer also has a
// CloseWithError(err) method that abandons the value.
func (c *Cache) Writer(ctx context.Context, key string) (io.WriteCloser, error) {
	obj, err := c.object(key)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	w := &cacheWriter{pw: pw, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		_, err := c.store.Put(ctx, obj, pr, backends.PutOptions{Size: -1})
		if err != nil {
			w.err = fmt.Errorf("job cache: save %q: %w", key, err)
		}
		pr.CloseWithError(w.errOr(io.ErrClosedPipe)) // unblock writes after a failed Put
	}()
	return w, nil
}

// cacheWriter feeds a store Put running in its own goroutine.
type cacheWriter struct {
	pw   *io.PipeWriter
	done chan struct{} // closed when the Put returned
	err  error         // the Put's error; read only after done is closed
}

// errOr returns the Put's error, or def when it succeeded.
func (w *cacheWriter) errOr(def error) error {
	if w.err != nil {
		return w.err
	}
	return def
}

func (w *cacheWriter) Write(p []byte) (int, error) {
	n, err := w.pw.Write(p)
	if err != nil {
		<-w.done
		return n, w.errOr(err)
	}
	return n, nil
}

// Close ends the value and waits for the store to hold it.
func (w *cacheWriter) Close() error {
	w.pw.Close()
	<-w.done
	return w.err
}

// CloseWithError abandons the value: the store's Put fails with err and
// the key keeps its old value.
func (w *cacheWriter) CloseWithError(err error) error {
	w.pw.CloseWithError(err)
	<-w.done
	return nil
}

// Delete removes the value under key; a missing key is [ErrNotFound].
func (c *Cache) Delete(ctx context.Context, key string) error {
	obj, err := c.object(key)
	if err != nil {
		return err
	}
	err = c.store.Delete(ctx, obj)
	if errors.Is(err, backends.ErrNotFound) {
		return &notFound{op: "delete", key: key, err: err}
	}
	if err != nil {
		return fmt.Errorf("job cache: delete %q: %w", key, err)
	}
	return nil
}

// Keys yields the keys directly in this group (not in its sub-groups), in
// sorted order. An error ends the sequence.
func (c *Cache) Keys(ctx context.Context) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if c.err != nil {
			yield("", c.err)
			return
		}
		for info, err := range c.store.List(ctx, c.prefix) {
			if err != nil {
				yield("", fmt.Errorf("job cache: list %q: %w", c.prefix, err))
				return
			}
			rest := strings.TrimPrefix(info.Key, c.prefix)
			if rest == "" || strings.Contains(rest, "/") {
				continue
			}
			if !yield(rest, nil) {
				return
			}
		}
	}
}

// Groups yields the names of this group's direct sub-groups, in sorted
// order. An error ends the sequence.
func (c *Cache) Groups(ctx context.Context) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if c.err != nil {
			yield("", c.err)
			return
		}
		var names []string
		for info, err := range c.store.List(ctx, c.prefix) {
			if err != nil {
				yield("", fmt.Errorf("job cache: list %q: %w", c.prefix, err))
				return
			}
			first, _, deeper := strings.Cut(strings.TrimPrefix(info.Key, c.prefix), "/")
			if deeper && first != "" {
				names = append(names, first)
			}
		}
		// The listing is in key order, where "a-b/x" precedes "a/x", so
		// the names need sorting; each group's keys are contiguous.
		slices.Sort(names)
		for _, name := range slices.Compact(names) {
			if !yield(name, nil) {
				return
			}
		}
	}
}

// validPath checks a key or group path: one or more valid segments joined
// by "/".
func validPath(what, p string) error {
	if p == "" {
		return fmt.Errorf("job cache: invalid %s %q: empty", what, p)
	}
	if strings.HasPrefix(p, "/") {
		return fmt.Errorf("job cache: invalid %s %q: absolute", what, p)
	}
	if strings.HasSuffix(p, "/") {
		return fmt.Errorf("job cache: invalid %s %q: trailing \"/\"", what, p)
	}
	if strings.Contains(p, "//") {
		return fmt.Errorf("job cache: invalid %s %q: empty segment", what, p)
	}
	for seg := range strings.SplitSeq(p, "/") {
		if err := validChars(what, p, seg); err != nil {
			return err
		}
	}
	return nil
}

// ValidJobID returns the error WithJob gives for id, or nil: a job ID is
// one non-empty key segment with no "/", "..", control characters, '%'
// or backslash. Tools that select a job's objects check IDs with it.
func ValidJobID(id string) error { return validSegment("job ID", id) }

// ValidCacheName returns the error NamedCache and SharedCache give for
// name, or nil; the rules are those of ValidJobID.
func ValidCacheName(name string) error { return validSegment("cache name", name) }

// validSegment checks a job ID or cache name: one segment, no "/".
func validSegment(what, s string) error {
	if s == "" {
		return fmt.Errorf("job cache: invalid %s %q: empty", what, s)
	}
	if strings.Contains(s, "/") {
		return fmt.Errorf("job cache: invalid %s %q: contains \"/\"", what, s)
	}
	return validChars(what, s, s)
}

// validChars checks one segment seg of name: no "." or "..", no control
// characters, no '%' or '\\' (which some stores cannot hold), valid UTF-8.
func validChars(what, name, seg string) error {
	switch {
	case seg == ".":
		return fmt.Errorf("job cache: invalid %s %q: \".\" segment", what, name)
	case strings.Contains(seg, ".."):
		return fmt.Errorf("job cache: invalid %s %q: contains \"..\"", what, name)
	case !utf8.ValidString(seg):
		return fmt.Errorf("job cache: invalid %s %q: not UTF-8", what, name)
	case strings.ContainsFunc(seg, func(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }):
		return fmt.Errorf("job cache: invalid %s %q: control character", what, name)
	case strings.ContainsAny(seg, `%\`):
		return fmt.Errorf("job cache: invalid %s %q: contains '%%' or '\\'", what, name)
	}
	return nil
}

// A cacheSource is where a named cache's store comes from: a store, or a
// URL to open.
type cacheSource struct {
	store backends.Store
	url   string
}

// WithCache configures the named cache name (see [NamedCache]) over src,
// a store URL (string) or a [backends.Store]; it overrides the
// environment. Any other type of src makes NamedCache fail.
func WithCache(name string, src any) Option {
	return func(c *config) {
		if c.caches == nil {
			c.caches = make(map[string]cacheSource)
		}
		switch v := src.(type) {
		case backends.Store:
			c.caches[name] = cacheSource{store: v}
		case string:
			c.caches[name] = cacheSource{url: v}
		default:
			c.caches[name] = cacheSource{url: fmt.Sprintf("invalid source of type %T", src)}
		}
	}
}

// namedCaches holds the stores of a runtime's named caches. The zero value
// is ready to use.
type namedCaches struct {
	sources  map[string]cacheSource // from WithCache; read-only after New
	readOnly bool                   // the runtime is read-only: so are its named caches

	mu     sync.Mutex                // guards opened
	opened map[string]backends.Store // stores opened from URLs, by cache name
}

// close closes the stores opened from URLs (not those given in code,
// which their owner closes).
func (n *namedCaches) close() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	var errs []error
	for name, s := range n.opened {
		if c, ok := s.(backends.Closer); ok {
			errs = append(errs, c.Close())
		}
		delete(n.opened, name)
	}
	return errors.Join(errs...)
}

// open returns the store of the named cache, opening it on first use.
func (n *namedCaches) open(ctx context.Context, name string) (backends.Store, error) {
	src, ok := n.sources[name]
	if ok && src.store != nil {
		if n.readOnly {
			return readOnlyStore{src.store}, nil
		}
		return src.store, nil
	}
	if !ok {
		src.url = os.Getenv(EnvCachePrefix + envName(name))
		if src.url == "" {
			return nil, fmt.Errorf("named cache %q: not configured (runtime.WithCache or %s%s)",
				name, EnvCachePrefix, envName(name))
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if st, ok := n.opened[name]; ok {
		return st, nil
	}
	st, err := Open(context.WithoutCancel(ctx), src.url) // the store outlives this call
	if err != nil {
		return nil, fmt.Errorf("named cache %q: %w", name, err)
	}
	if n.opened == nil {
		n.opened = make(map[string]backends.Store)
	}
	if n.readOnly {
		st = readOnlyStore{st}
	}
	n.opened[name] = st
	return st, nil
}

// envName is a cache name as it appears in its environment variable.
func envName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			return r
		}
		return '_'
	}, name)
}
