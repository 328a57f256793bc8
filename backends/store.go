package backends

import (
	"context"
	"errors"
	"io"
	"iter"
	"time"
)

// ErrNotFound is returned (possibly wrapped) by [Store.Get] and [Store.Delete]
// when no object has the key.
var ErrNotFound = errors.New("backends: object not found")

// ErrPrecondition is returned (possibly wrapped) by [Store.Put] when a
// condition in [PutOptions] does not hold: the object exists for IfAbsent,
// or its version differs (or it is missing) for IfVersion.
var ErrPrecondition = errors.New("backends: precondition failed")

// Info describes a stored object.
type Info struct {
	// Key is the object's key, without any prefix the store was opened with.
	Key string
	// Size is the object's length in bytes.
	Size int64
	// Modified is when the object was last written.
	Modified time.Time
	// Version changes each time the object is written; it is opaque and is
	// only compared for equality, in PutOptions.IfVersion.
	Version string
}

// PutOptions are the conditions of a [Store.Put]. The zero value writes
// unconditionally. At most one of IfAbsent and IfVersion may be set.
type PutOptions struct {
	// IfAbsent makes the put fail with ErrPrecondition if the key exists.
	IfAbsent bool
	// IfVersion, when not empty, makes the put fail with ErrPrecondition
	// unless the key exists with exactly this version (compare-and-swap).
	IfVersion string
	// Size is the length of the value if known, or -1 (0 means empty only
	// when the reader is empty too; stores must not rely on it).
	Size int64
	// TTL, when positive, lets the store drop the object this long after
	// the write (Redis's key expiry); stores without expiry ignore it. The
	// runtime sets it to a task's ttl=, after which an entry is dead
	// anyway, so dead entries do not take space.
	TTL time.Duration
}

// Store is the interface every cachegen backend implements. It is small on
// purpose: a new backend is an afternoon's work, and storetest.Run tells its
// author whether it keeps the contract.
//
// All methods are safe for concurrent use. Errors other than the sentinels
// are wrapped with the operation and key, and never contain credentials.
type Store interface {
	// Get opens the object with the given key. The caller closes the reader.
	// A missing key is ErrNotFound.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Put writes the whole of r as the object's value, atomically: readers
	// see either the old value or the new one, never a part. It returns the
	// new object's Info. Conditions in opts that fail give ErrPrecondition.
	Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error)
	// Delete removes the object. A missing key is ErrNotFound.
	Delete(ctx context.Context, key string) error
	// List yields the objects whose keys start with prefix (a plain string
	// prefix, not only whole segments), sorted by key. An error ends the
	// sequence: it is yielded once, with a zero Info.
	List(ctx context.Context, prefix string) iter.Seq2[Info, error]
}

// ReadAller is implemented by local stores that can read a whole object
// into one buffer faster than Get followed by io.ReadAll (the file store
// does: open, fstat, one read into an exactly sized buffer). The runtime
// uses it for every hit it reads from the store, under its circuit breaker
// but without a deadline of its own: a read that waits on a network
// belongs in Get. ReadAll must return exactly what Get and io.ReadAll
// return, with the same Info, and ErrNotFound for a missing key; storetest
// checks it.
type ReadAller interface {
	ReadAll(ctx context.Context, key string) ([]byte, Info, error)
}

// MaxKeyLen is the longest key, in bytes, that cachegen writes to a store:
// S3's limit, so a key that works on one store works on every one. Stores
// reject longer keys before any I/O; the runtime rejects job cache keys
// that would make one.
const MaxKeyLen = 1024

// Closer is implemented by stores that hold resources (connections, files)
// to release; [Store] users close a store they opened when it implements it.
type Closer interface {
	Close() error
}

// ContextReader returns a reader that fails with ctx's error once ctx is
// done, so a store's Put of a long value stops when its caller gives up.
func ContextReader(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
