package s3

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cachegen/cachegen/backends"
)

// Defaults for the client New builds when Config.Client is nil. They make
// an unreachable or stalled server fail an operation within a few seconds
// instead of stalling the program that caches through it.
const (
	// DefaultMaxAttempts is the number of attempts of one request,
	// retries included.
	DefaultMaxAttempts = 3
	// DefaultMaxBackoff caps the delay between two attempts.
	DefaultMaxBackoff = 500 * time.Millisecond
	// DefaultDialTimeout bounds establishing a TCP connection.
	DefaultDialTimeout = 3 * time.Second
	// DefaultReadTimeout is how long a connection may deliver no byte
	// before the request fails; a slow but progressing transfer is fine.
	DefaultReadTimeout = 10 * time.Second
	// DefaultPartSize is the part size of multipart uploads, and the most
	// a Put buffers before it switches from one PutObject to a multipart
	// upload.
	DefaultPartSize = 8 << 20
	// DefaultConcurrency is the number of parts uploaded at once; a Put
	// holds at most about (DefaultConcurrency+1) * DefaultPartSize bytes.
	DefaultConcurrency = 2
)

// Config says which bucket and prefix a [Store] uses and how it reaches
// them. Only Bucket is required.
type Config struct {
	// Bucket is the bucket's name.
	Bucket string
	// Prefix scopes every object of the store: a key k is stored as
	// Prefix+"/"+k. A trailing slash is added when missing, so prefixes
	// "team" and "team2" never see each other's objects.
	Prefix string
	// Region overrides the region of the SDK's default chain
	// (AWS_REGION, the shared config file); when neither gives one,
	// "us-east-1" is used.
	Region string
	// Endpoint is the base URL of an S3-compatible server
	// ("http://127.0.0.1:7070"); empty means AWS.
	Endpoint string
	// PathStyle addresses the bucket in the path (endpoint/bucket/key)
	// instead of the host name, as most S3-compatible servers need.
	PathStyle bool
	// ChecksumWhenRequired makes the SDK send and check the newer
	// request/response checksums only when an operation requires them, for
	// S3-compatible servers that reject them.
	ChecksumWhenRequired bool
	// Credentials, when set, replace the SDK's default credential chain
	// (environment, shared files, SSO, instance roles).
	Credentials aws.CredentialsProvider
	// MaxAttempts, PartSize and Concurrency override DefaultMaxAttempts,
	// DefaultPartSize (at least 5 MiB) and DefaultConcurrency when positive.
	MaxAttempts int
	PartSize    int64
	Concurrency int
	// Client, when set, is used as is; Region, Endpoint, PathStyle,
	// ChecksumWhenRequired, Credentials and MaxAttempts are then ignored.
	Client *s3.Client
}

// Store is a backends.Store on an S3 bucket. It is safe for concurrent use.
type Store struct {
	client   *s3.Client
	uploader *manager.Uploader
	bucket   string
	prefix   string // "" or ends in "/"
}

var _ backends.Store = (*Store)(nil)

// New returns a store on the bucket and prefix of cfg. It does not contact
// the server: a missing bucket or refused credentials surface as errors of
// the first operation, or of [Store.Check].
func New(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("s3: new: no bucket")
	}
	client := cfg.Client
	if client == nil {
		var err error
		if client, err = newClient(ctx, cfg); err != nil {
			return nil, err
		}
	}
	prefix := strings.TrimLeft(cfg.Prefix, "/")
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	partSize := cmpPositive(cfg.PartSize, DefaultPartSize)
	partSize = max(partSize, manager.MinUploadPartSize)
	uploader := manager.NewUploader(client, func(u *manager.Uploader) {
		u.PartSize = partSize
		u.Concurrency = int(cmpPositive(int64(cfg.Concurrency), DefaultConcurrency))
		u.LeavePartsOnError = false
	})
	return &Store{client: client, uploader: uploader, bucket: cfg.Bucket, prefix: prefix}, nil
}

func cmpPositive(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}

// newClient builds a client from the SDK's default chain plus cfg's
// overrides and the timeouts and retry limits documented at the defaults.
func newClient(ctx context.Context, cfg Config) (*s3.Client, error) {
	attempts := int(cmpPositive(int64(cfg.MaxAttempts), DefaultMaxAttempts))
	httpClient := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = DefaultDialTimeout }).
		WithReadTimeout(DefaultReadTimeout)
	opts := []func(*config.LoadOptions) error{
		config.WithHTTPClient(httpClient),
		config.WithRetryer(func() aws.Retryer {
			r := retry.AddWithMaxAttempts(retry.NewStandard(), attempts)
			return retry.AddWithMaxBackoffDelay(r, DefaultMaxBackoff)
		}),
	}
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.Credentials != nil {
		opts = append(opts, config.WithCredentialsProvider(cfg.Credentials))
	}
	if cfg.ChecksumWhenRequired {
		opts = append(opts,
			config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
			config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("s3: new: load AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	return s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		// Multipart objects have no whole-object checksum to validate; the
		// SDK would log that on every such Get.
		o.DisableLogOutputChecksumValidationSkipped = true
	}), nil
}

// Client returns the S3 client the store uses.
func (s *Store) Client() *s3.Client { return s.client }

// Bucket returns the store's bucket.
func (s *Store) Bucket() string { return s.bucket }

// Prefix returns the store's prefix: empty, or ending in "/".
func (s *Store) Prefix() string { return s.prefix }

// Check makes one request (HeadBucket) to report early whether the bucket
// exists and the credentials are accepted; errors match ErrNoBucket or
// ErrAccessDenied.
func (s *Store) Check(ctx context.Context) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &s.bucket})
	if err != nil {
		return s.wrap("check", "", classify(err, opHeadBucket))
	}
	return nil
}

// Get opens the object with one GetObject request; its Info comes from the
// response. The caller closes the reader.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, backends.Info{}, s.wrap("get", key, err)
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: aws.String(s.prefix + key)})
	if err != nil {
		return nil, backends.Info{}, s.wrap("get", key, classify(err, opGet))
	}
	info := backends.Info{
		Key:      key,
		Size:     aws.ToInt64(out.ContentLength),
		Modified: aws.ToTime(out.LastModified),
		Version:  aws.ToString(out.ETag),
	}
	return out.Body, info, nil
}

// Put streams r to the object. A value whose Size hint is below
// smallPut and proves right is sent with one PutObject from a buffer of
// exactly its size; any other value goes through the uploader, which sends
// one PutObject for less than a part and a multipart upload for more,
// holding only a few parts in memory. IfAbsent sends If-None-Match: * and
// IfVersion sends If-Match: <etag>, on PutObject or on
// CompleteMultipartUpload.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, opts backends.PutOptions) (backends.Info, error) {
	if err := ctx.Err(); err != nil {
		return backends.Info{}, s.wrap("put", key, err)
	}
	if opts.IfAbsent && opts.IfVersion != "" {
		return backends.Info{}, s.wrap("put", key, errors.New("both IfAbsent and IfVersion set"))
	}
	in := &s3.PutObjectInput{Bucket: &s.bucket, Key: aws.String(s.prefix + key)}
	switch {
	case opts.IfAbsent:
		in.IfNoneMatch = aws.String("*")
	case opts.IfVersion != "":
		in.IfMatch = aws.String(opts.IfVersion)
	}
	r = backends.ContextReader(ctx, r)
	if opts.Size > 0 && opts.Size < smallPut {
		buf := make([]byte, opts.Size+1) // one more byte to see the end
		n, err := io.ReadFull(r, buf)
		switch {
		case err == io.ErrUnexpectedEOF || err == io.EOF:
			return s.putSmall(ctx, key, in, buf[:n], opts)
		case err != nil:
			return backends.Info{}, s.wrap("put", key, fmt.Errorf("read value: %w", err))
		}
		r = io.MultiReader(bytes.NewReader(buf), r) // longer than its hint
	}
	counted := &countingReader{r: r}
	in.Body = counted
	var date time.Time
	out, err := s.uploader.Upload(ctx, in, manager.WithUploaderRequestOptions(func(o *s3.Options) {
		o.APIOptions = append(o.APIOptions, dateRecorder(&date))
	}))
	if err != nil {
		if counted.err != nil && !errors.Is(counted.err, io.EOF) {
			return backends.Info{}, s.wrap("put", key, fmt.Errorf("read value: %w", counted.err))
		}
		return backends.Info{}, s.wrap("put", key, putError(err, opts))
	}
	return backends.Info{
		Key:      key,
		Size:     counted.n,
		Modified: cmp.Or(date, time.Now().UTC().Truncate(time.Second)),
		Version:  aws.ToString(out.ETag),
	}, nil
}

// smallPut bounds the values Put buffers whole on the strength of their
// Size hint, skipping the uploader's part-sized buffer.
const smallPut = 1 << 20

// putSmall sends a value already in memory with one PutObject.
func (s *Store) putSmall(ctx context.Context, key string, in *s3.PutObjectInput, val []byte, opts backends.PutOptions) (backends.Info, error) {
	in.Body = bytes.NewReader(val)
	in.ContentLength = aws.Int64(int64(len(val)))
	out, err := s.client.PutObject(ctx, in)
	if err != nil {
		return backends.Info{}, s.wrap("put", key, putError(err, opts))
	}
	modified := time.Now().UTC().Truncate(time.Second)
	if raw, ok := awsmiddleware.GetRawResponse(out.ResultMetadata).(*smithyhttp.Response); ok && raw != nil {
		if d, err := http.ParseTime(raw.Header.Get("Date")); err == nil {
			modified = d.UTC()
		}
	}
	return backends.Info{Key: key, Size: int64(len(val)), Modified: modified, Version: aws.ToString(out.ETag)}, nil
}

// putError classifies a failed upload; If-Match on a missing object is a
// failed precondition, not a missing key.
func putError(err error, opts backends.PutOptions) error {
	err = classify(err, opPut)
	if opts.IfVersion != "" && errors.Is(err, backends.ErrNotFound) {
		err = fmt.Errorf("%w: object is missing", backends.ErrPrecondition)
	}
	return err
}

// dateRecorder is a deserialize step that records the Date header of the
// response that finishes an upload (PutObject or CompleteMultipartUpload):
// the object's Last-Modified to the second, without asking for it again.
func dateRecorder(date *time.Time) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("cachegenDate",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				switch middleware.GetOperationName(ctx) {
				case "PutObject", "CompleteMultipartUpload":
					if raw, ok := out.RawResponse.(*smithyhttp.Response); ok && raw != nil {
						if d, perr := http.ParseTime(raw.Header.Get("Date")); perr == nil {
							*date = d.UTC()
						}
					}
				}
				return out, md, err
			}), middleware.After)
	}
}

// countingReader counts the bytes read through it and keeps the first
// error other than EOF, so Put knows the size without buffering the value
// and can tell a failing reader from a failing server.
type countingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}

// Delete removes the object. S3 reports success for a missing key, so
// Delete first asks for the object (HeadObject) to return ErrNotFound as
// the contract requires; a concurrent delete of the same key between the
// two requests may still report success for both callers, and a missing
// bucket reads as ErrNotFound here (a 404 to HEAD has no body to tell).
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return s.wrap("delete", key, err)
	}
	name := aws.String(s.prefix + key)
	if _, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.bucket, Key: name}); err != nil {
		return s.wrap("delete", key, classify(err, opHead))
	}
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.bucket, Key: name}); err != nil {
		return s.wrap("delete", key, classify(err, opDelete))
	}
	return nil
}

// List yields the objects whose keys start with prefix, through
// ListObjectsV2 pages, in the server's order: S3 lists keys in ascending
// byte order, which is Go's string order.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(backends.Info{}, s.wrap("list", prefix, err))
			return
		}
		pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
			Bucket: &s.bucket,
			Prefix: aws.String(s.prefix + prefix),
		})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				yield(backends.Info{}, s.wrap("list", prefix, classify(err, opList)))
				return
			}
			for _, obj := range page.Contents {
				info := backends.Info{
					Key:      strings.TrimPrefix(aws.ToString(obj.Key), s.prefix),
					Size:     aws.ToInt64(obj.Size),
					Modified: aws.ToTime(obj.LastModified),
					Version:  aws.ToString(obj.ETag),
				}
				if !yield(info, nil) {
					return
				}
			}
		}
	}
}

// wrap names the operation and key of an error: "s3: get k: …".
func (s *Store) wrap(op, key string, err error) error {
	if key == "" {
		return fmt.Errorf("s3: %s bucket %q: %w", op, s.bucket, err)
	}
	return fmt.Errorf("s3: %s %s: %w", op, key, err)
}
