package redis

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/cachegen/cachegen/backends"
)

// chunkSize is the largest value kept inline with its header, and the size
// of each chunk of a larger one.
const chunkSize = 1 << 20

// listPage is how many keys List reads from the index at a time.
const listPage = 256

// Config says which server and which part of it a Store uses.
type Config struct {
	Addr     string // host:port
	Username string
	Password string
	DB       int    // database number
	Prefix   string // prepended to every Redis key the store uses
	// TLS, when not nil, connects with TLS (rediss://).
	TLS *tls.Config
	// Timeout bounds dialling and each command's reads and writes; zero is
	// 5 s to dial and 3 s to read or write, the client's defaults.
	Timeout time.Duration
}

// Store is a [backends.Store] on a Redis or Valkey server. Make one with
// [New]; the zero Store is not usable. It is safe for concurrent use.
type Store struct {
	client *goredis.Client
	prefix string
	index  string // the sorted set of every key
}

// New connects to the server cfg names and checks it answers.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Addr == "" {
		return nil, errors.New("redis: no server address")
	}
	opts := &goredis.Options{
		Addr: cfg.Addr, Username: cfg.Username, Password: cfg.Password, DB: cfg.DB, TLSConfig: cfg.TLS,
		DialTimeout: cfg.Timeout, ReadTimeout: cfg.Timeout, WriteTimeout: cfg.Timeout,
		DisableIdentity: true, // no CLIENT SETINFO: older servers and Valkey forks refuse it
		// One dial per attempt: a refused dial is not transient, and the
		// runtime's circuit breaker decides when to try again. Commands keep
		// the client's retries, which replace a pooled connection the
		// server closed.
		DialerRetries: 1,
	}
	client := goredis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis: connect to %s: %w", cfg.Addr, err)
	}
	return &Store{client: client, prefix: cfg.Prefix, index: cfg.Prefix + "index"}, nil
}

// Close closes the store's connections.
func (s *Store) Close() error { return s.client.Close() }

// Client returns the underlying client, for benchmarks that measure the
// store against raw commands.
func (s *Store) Client() *goredis.Client { return s.client }

// ObjectKey is the Redis key of the object called key.
func (s *Store) ObjectKey(key string) string { return s.prefix + "o:" + key }

// IndexKey is the Redis key of the sorted set that indexes every key.
func (s *Store) IndexKey() string { return s.index }

func (s *Store) chunkPrefix() string { return s.prefix + "c:" }

func (s *Store) chunkKey(version string, i int) string {
	return s.chunkPrefix() + version + ":" + strconv.Itoa(i)
}

func checkKey(op, key string) error {
	if len(key) > backends.MaxKeyLen {
		return fmt.Errorf("redis: %s %.40s...: the key is %d bytes; keys are at most %d", op, key, len(key), backends.MaxKeyLen)
	}
	return nil
}

// Get opens the object. A value kept inline was read by the one GET; a
// chunked one is read chunk by chunk as the reader is read.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	if err := checkKey("get", key); err != nil {
		return nil, backends.Info{}, err
	}
	b, err := s.client.Get(ctx, s.ObjectKey(key)).Bytes()
	if errors.Is(err, goredis.Nil) {
		return nil, backends.Info{}, fmt.Errorf("redis: get %s: %w", key, backends.ErrNotFound)
	}
	if err != nil {
		return nil, backends.Info{}, fmt.Errorf("redis: get %s: %w", key, err)
	}
	h, rest, err := parseHeader(b)
	if err != nil {
		return nil, backends.Info{}, fmt.Errorf("redis: get %s: %w", key, err)
	}
	info := h.info(key)
	if h.chunks == 0 {
		return io.NopCloser(bytes.NewReader(rest)), info, nil
	}
	return &chunkReader{ctx: ctx, s: s, key: key, h: h}, info, nil
}

func (h header) info(key string) backends.Info {
	return backends.Info{Key: key, Size: h.size, Modified: h.modified, Version: h.version}
}

// chunkReader reads a chunked value one chunk at a time.
type chunkReader struct {
	ctx  context.Context
	s    *Store
	key  string
	h    header
	next int    // the next chunk to fetch
	buf  []byte // the rest of the current chunk
	read int64  // bytes returned so far
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.next == r.h.chunks {
			if r.read != r.h.size {
				return 0, fmt.Errorf("redis: get %s: %d of %d bytes in its chunks", r.key, r.read, r.h.size)
			}
			return 0, io.EOF
		}
		b, err := r.s.client.Get(r.ctx, r.s.chunkKey(r.h.version, r.next)).Bytes()
		if errors.Is(err, goredis.Nil) {
			return 0, fmt.Errorf("redis: get %s: chunk %d is gone (the object was replaced or deleted over a minute ago)", r.key, r.next)
		}
		if err != nil {
			return 0, fmt.Errorf("redis: get %s: chunk %d: %w", r.key, r.next, err)
		}
		r.buf, r.next = b, r.next+1
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.read += int64(n)
	return n, nil
}

func (r *chunkReader) Close() error { r.buf = nil; return nil }

// Put writes the value: inline with its header up to 1 MiB, else in chunks
// that a final commit makes visible. The commit checks opts' condition.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, opts backends.PutOptions) (backends.Info, error) {
	if err := checkKey("put", key); err != nil {
		return backends.Info{}, err
	}
	if opts.IfAbsent && opts.IfVersion != "" {
		return backends.Info{}, fmt.Errorf("redis: put %s: IfAbsent and IfVersion are exclusive", key)
	}
	version := fmt.Sprintf("%016x", rand.Uint64())
	r = backends.ContextReader(ctx, r)
	first := make([]byte, chunkSize)
	n, err := io.ReadFull(r, first)
	var inline []byte
	var size int64
	chunks := 0
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		inline, size = first[:n], int64(n)
	case err != nil:
		return backends.Info{}, fmt.Errorf("redis: put %s: read value: %w", key, err)
	default:
		if size, chunks, err = s.putChunks(ctx, version, first, r); err != nil {
			return backends.Info{}, fmt.Errorf("redis: put %s: %w", key, err)
		}
	}
	mode := ""
	switch {
	case opts.IfAbsent:
		mode = "absent"
	case opts.IfVersion != "":
		mode = "version"
	}
	ttl := int64(0)
	if opts.TTL > 0 {
		ttl = max(opts.TTL.Milliseconds(), 1)
	}
	res, err := commitScript.Run(ctx, s.client, []string{s.ObjectKey(key), s.index},
		mode, opts.IfVersion, version, size, chunks, ttl, key, s.chunkPrefix(), inline).Text()
	if err != nil {
		if strings.Contains(err.Error(), errPrecondition) {
			return backends.Info{}, fmt.Errorf("redis: put %s: %w", key, backends.ErrPrecondition)
		}
		return backends.Info{}, fmt.Errorf("redis: put %s: commit: %w", key, err)
	}
	nanos, err := strconv.ParseInt(res, 10, 64)
	if err != nil {
		return backends.Info{}, fmt.Errorf("redis: put %s: commit time %q: %w", key, res, err)
	}
	return backends.Info{Key: key, Size: size, Modified: time.Unix(0, nanos), Version: version}, nil
}

// orphanTTL is how long the chunks of a write live before its commit
// gives them the object's expiry: a writer that dies leaves nothing for
// longer.
const orphanTTL = time.Hour

// putChunks writes first and the rest of r as chunks of version, one
// chunkSize buffer at a time, and returns the value's size and the number
// of chunks.
func (s *Store) putChunks(ctx context.Context, version string, first []byte, r io.Reader) (int64, int, error) {
	buf, size, i := first, int64(0), 0
	for len(buf) > 0 {
		if err := s.client.Set(ctx, s.chunkKey(version, i), buf, orphanTTL).Err(); err != nil {
			return 0, 0, fmt.Errorf("chunk %d: %w", i, err)
		}
		size += int64(len(buf))
		i++
		if len(buf) < chunkSize {
			break
		}
		n, err := io.ReadFull(r, first)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, 0, fmt.Errorf("read value: %w", err)
		}
		buf = first[:n]
	}
	return size, i, nil
}

// Delete removes the object; its chunks expire a minute later.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := checkKey("delete", key); err != nil {
		return err
	}
	n, err := deleteScript.Run(ctx, s.client, []string{s.ObjectKey(key), s.index}, key, s.chunkPrefix()).Int()
	if err != nil {
		return fmt.Errorf("redis: delete %s: %w", key, err)
	}
	if n == 0 {
		return fmt.Errorf("redis: delete %s: %w", key, backends.ErrNotFound)
	}
	return nil
}

// List reads the index a page at a time, from prefix on, and each page's
// headers in one pipelined round trip.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		min := "[" + prefix
		if prefix == "" {
			min = "-"
		}
		for {
			keys, err := s.client.ZRangeArgs(ctx, goredis.ZRangeArgs{Key: s.index, Start: min, Stop: "+", ByLex: true, Count: listPage}).Result()
			if err != nil {
				yield(backends.Info{}, fmt.Errorf("redis: list %s: %w", prefix, err))
				return
			}
			end := len(keys)
			for i, k := range keys {
				if !strings.HasPrefix(k, prefix) {
					end = i
					break
				}
			}
			infos, err := s.headers(ctx, keys[:end])
			if err != nil {
				yield(backends.Info{}, fmt.Errorf("redis: list %s: %w", prefix, err))
				return
			}
			for _, info := range infos {
				if !yield(info, nil) {
					return
				}
			}
			if end < len(keys) || len(keys) < listPage {
				return
			}
			min = "(" + keys[len(keys)-1]
		}
	}
}

// headers reads the headers of keys in one pipeline; keys whose objects
// have expired are left out and dropped from the index.
func (s *Store) headers(ctx context.Context, keys []string) ([]backends.Info, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	pipe := s.client.Pipeline()
	cmds := make([]*goredis.StringCmd, len(keys))
	for i, k := range keys {
		cmds[i] = pipe.GetRange(ctx, s.ObjectKey(k), 0, headerMax-1)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, err
	}
	infos := make([]backends.Info, 0, len(keys))
	var gone []any
	for i, c := range cmds {
		b, _ := c.Bytes()
		if len(b) == 0 {
			gone = append(gone, s.ObjectKey(keys[i]), keys[i])
			continue
		}
		h, _, err := parseHeaderLine(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", keys[i], err)
		}
		infos = append(infos, h.info(keys[i]))
	}
	if len(gone) > 0 {
		if err := unindexScript.Run(ctx, s.client, []string{s.index}, gone...).Err(); err != nil && !errors.Is(err, goredis.Nil) {
			return nil, fmt.Errorf("drop expired keys from the index: %w", err)
		}
	}
	return infos, nil
}
