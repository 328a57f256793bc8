package gcs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/storage"
	"github.com/googleapis/gax-go/v2"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"

	"github.com/cachegen/cachegen/backends"
)

// Defaults of the [Config] fields left zero.
const (
	// DefaultChunkSize is the upload chunk size: the most of a value a Put
	// holds in memory at once.
	DefaultChunkSize = 8 << 20
	// DefaultTimeout bounds each request (see Config.Timeout).
	DefaultTimeout = 30 * time.Second
	// DefaultMaxAttempts is how many times a store-made client tries a
	// retryable request (see Config.MaxAttempts).
	DefaultMaxAttempts = 3
)

// Config configures a [Store]. Only Bucket is required.
type Config struct {
	// Bucket is the name of an existing bucket.
	Bucket string
	// Prefix scopes every object: key k is stored as Prefix + "/" + k (a
	// trailing slash is added when missing). Info.Key never includes it.
	Prefix string
	// Endpoint overrides the service address, for an emulator:
	// "http://127.0.0.1:4443". An http:// endpoint is used without
	// credentials (they would travel in clear text); an https:// one with
	// the default credentials. The SDK's STORAGE_EMULATOR_HOST works too.
	Endpoint string
	// Client is an existing client to use. The store then neither changes
	// its retry settings nor closes it; Endpoint and MaxAttempts are ignored.
	Client *storage.Client
	// ChunkSize is the upload chunk size (DefaultChunkSize if zero). A Put
	// whose PutOptions.Size is smaller uses a chunk just large enough.
	ChunkSize int
	// Timeout bounds one request: a Get until the response starts, a Delete,
	// a Put whose PutOptions.Size fits one chunk, and each chunk of another
	// Put. A server that stopped answering thus fails the operation instead
	// of hanging it.
	// Zero means DefaultTimeout; negative means no bound but the context's.
	Timeout time.Duration
	// MaxAttempts is how many times a client made by the store tries a
	// request that failed with a retryable error (connection refused, 5xx,
	// 429) before giving up; DefaultMaxAttempts if zero. The SDK's default
	// is to retry until the context ends, which would turn a dead server
	// into a hung program.
	MaxAttempts int
	// ListPageSize is how many objects one listing request asks for; zero
	// leaves it to the server (1000 for GCS).
	ListPageSize int
}

// Store is a [backends.Store] over a Google Cloud Storage bucket. It is safe
// for concurrent use; Close releases its client.
type Store struct {
	client      *storage.Client
	bucket      *storage.BucketHandle
	bucketName  string
	prefix      string // "" or ending in "/"
	ownClient   bool   // the store made client and closes it
	chunkSize   int
	timeout     time.Duration // 0: none
	listPage    int
	copyBuffers sync.Pool // of *[]byte, copyBufferSize long, for Put
}

var _ backends.Closer = (*Store)(nil)

// New returns a store for cfg.Bucket. Unless cfg.Client is given, it makes
// a client with the SDK's default credential chain (or none for an http://
// endpoint). It checks that the bucket exists, so a misspelt name fails
// here rather than as a miss on every call; a credential without permission
// to read bucket metadata (HTTP 403) skips the check.
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("gcs: new: no bucket")
	}
	s := &Store{
		bucketName: cfg.Bucket,
		prefix:     normPrefix(cfg.Prefix),
		chunkSize:  cfg.ChunkSize,
		timeout:    cfg.Timeout,
		listPage:   cfg.ListPageSize,
		client:     cfg.Client,
	}
	if s.chunkSize <= 0 {
		s.chunkSize = DefaultChunkSize
	}
	switch {
	case s.timeout == 0:
		s.timeout = DefaultTimeout
	case s.timeout < 0:
		s.timeout = 0
	}
	if s.client == nil {
		c, err := newClient(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("gcs: new client for bucket %s: %w", cfg.Bucket, err)
		}
		s.client, s.ownClient = c, true
	}
	s.bucket = s.client.Bucket(cfg.Bucket)
	if err := s.checkBucket(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// newClient makes the client of a store: credentials from the default
// chain, or none for a plain-http endpoint; bounded retries.
func newClient(ctx context.Context, cfg Config) (*storage.Client, error) {
	var opts []option.ClientOption
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("endpoint %q is not an http:// or https:// URL", backends.Redact(cfg.Endpoint))
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = "/storage/v1/"
		}
		opts = append(opts, option.WithEndpoint(u.String()))
		if u.Scheme == "http" {
			opts = append(opts, option.WithoutAuthentication())
		}
	}
	c, err := storage.NewClient(ctx, opts...)
	if err != nil {
		return nil, err
	}
	attempts := cfg.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultMaxAttempts
	}
	c.SetRetry(
		storage.WithMaxAttempts(attempts),
		storage.WithBackoff(gax.Backoff{Initial: 50 * time.Millisecond, Max: 2 * time.Second, Multiplier: 2}),
	)
	return c, nil
}

// checkBucket fails unless the bucket exists (or cannot be checked for
// lack of permission).
func (s *Store) checkBucket(ctx context.Context) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	_, err := s.bucket.Attrs(ctx)
	var apiErr *googleapi.Error
	switch {
	case err == nil:
		return nil
	case errors.Is(err, storage.ErrBucketNotExist):
		return fmt.Errorf("gcs: open bucket %s: bucket does not exist: %w", s.bucketName, err)
	case errors.As(err, &apiErr) && apiErr.Code == http.StatusForbidden:
		return nil // object permissions may still be enough
	}
	return fmt.Errorf("gcs: open bucket %s: %w", s.bucketName, err)
}

// Close closes the client if the store made it.
func (s *Store) Close() error {
	if !s.ownClient {
		return nil
	}
	if err := s.client.Close(); err != nil {
		return fmt.Errorf("gcs: close: %w", err)
	}
	return nil
}

// Bucket returns the name of the store's bucket.
func (s *Store) Bucket() string { return s.bucketName }

// Prefix returns the prefix of every object name, "" or ending in "/".
func (s *Store) Prefix() string { return s.prefix }

// normPrefix makes a non-empty prefix end in exactly one "/" segment end.
func normPrefix(p string) string {
	p = strings.TrimLeft(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		return p
	}
	return p + "/"
}

// object returns the handle of the object holding key.
func (s *Store) object(key string) *storage.ObjectHandle { return s.bucket.Object(s.prefix + key) }

// withTimeout bounds ctx by the store's request timeout, if any.
func (s *Store) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.timeout)
}

// wrap adds the operation and key to err, and the backends sentinel the
// SDK error stands for: a missing object is ErrNotFound, a failed
// precondition (HTTP 412) ErrPrecondition.
func wrap(op, key string, err error) error {
	var apiErr *googleapi.Error
	switch {
	case errors.Is(err, storage.ErrObjectNotExist):
		return fmt.Errorf("gcs: %s %s: %w: %w", op, key, backends.ErrNotFound, err)
	case errors.As(err, &apiErr) && apiErr.Code == http.StatusPreconditionFailed:
		return fmt.Errorf("gcs: %s %s: %w: %w", op, key, backends.ErrPrecondition, err)
	}
	return fmt.Errorf("gcs: %s %s: %w", op, key, err)
}
