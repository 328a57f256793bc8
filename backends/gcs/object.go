package gcs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strconv"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"

	"github.com/cachegen/cachegen/backends"
)

// copyBufferSize is the buffer a Put copies the caller's reader through.
const copyBufferSize = 32 << 10

// errNoResponse is the cause of a Get that got no response in time.
var errNoResponse = errors.New("no response within the store's timeout")

// Get opens the object holding key with one request. The returned reader
// streams the value; Info comes from the response (size, last
// modification, generation as Version).
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	r, cancel, err := s.open(ctx, "get", key)
	if err != nil {
		return nil, backends.Info{}, err
	}
	return &objectReader{r: r, cancel: cancel, key: key}, s.readerInfo(key, r), nil
}

// ReadAll reads the whole object holding key into one buffer of its exact
// size; the runtime uses it for hits instead of Get and io.ReadAll.
func (s *Store) ReadAll(ctx context.Context, key string) ([]byte, backends.Info, error) {
	r, cancel, err := s.open(ctx, "read", key)
	if err != nil {
		return nil, backends.Info{}, err
	}
	defer cancel()
	defer r.Close()
	info := s.readerInfo(key, r)
	var b []byte
	if n := r.Remain(); n >= 0 {
		b = make([]byte, n)
		_, err = io.ReadFull(r, b)
	} else {
		b, err = io.ReadAll(r) // a decompressed object of unknown length
	}
	if err != nil {
		return nil, backends.Info{}, fmt.Errorf("gcs: read %s: %w", key, err)
	}
	return b, info, nil
}

// open starts reading key. Its request must start answering within the
// store's timeout; the body then streams under ctx alone, until the
// returned cancel (which the caller calls when done reading).
func (s *Store) open(ctx context.Context, op, key string) (*storage.Reader, context.CancelFunc, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("gcs: %s %s: %w", op, key, err)
	}
	rctx, cancel := context.WithCancelCause(ctx)
	var timer *time.Timer
	if s.timeout > 0 {
		timer = time.AfterFunc(s.timeout, func() { cancel(errNoResponse) })
	}
	r, err := s.object(key).NewReader(rctx)
	if timer != nil && !timer.Stop() && err == nil {
		r.Close()
		err = errNoResponse
	}
	if err != nil {
		cancel(nil)
		if cause := context.Cause(rctx); errors.Is(cause, errNoResponse) {
			err = fmt.Errorf("%w (%v): %w", errNoResponse, s.timeout, err)
		}
		return nil, nil, wrap(op, key, err)
	}
	return r, func() { cancel(nil) }, nil
}

// readerInfo is the Info of the object r reads.
func (s *Store) readerInfo(key string, r *storage.Reader) backends.Info {
	return backends.Info{
		Key:      key,
		Size:     r.Attrs.Size,
		Modified: r.Attrs.LastModified,
		Version:  strconv.FormatInt(r.Attrs.Generation, 10),
	}
}

// objectReader is the reader Get returns; closing it ends the request.
type objectReader struct {
	r      *storage.Reader
	cancel context.CancelFunc
	key    string
}

func (o *objectReader) Read(p []byte) (int, error) {
	n, err := o.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gcs: get %s: read: %w", o.key, err)
	}
	return n, err
}

func (o *objectReader) Close() error {
	err := o.r.Close()
	o.cancel()
	if err != nil {
		return fmt.Errorf("gcs: get %s: close: %w", o.key, err)
	}
	return nil
}

// Put streams r into the object holding key. It holds at most one upload
// chunk in memory: a value no larger than a chunk goes in one request, a
// larger one as a resumable upload, one chunk per request. The object
// appears only when the whole value is written; a read error or a
// cancelled context leaves the old value (or none) in place. IfAbsent and
// IfVersion become GCS generation preconditions, checked by the server.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, opts backends.PutOptions) (backends.Info, error) {
	if opts.IfAbsent && opts.IfVersion != "" {
		return backends.Info{}, fmt.Errorf("gcs: put %s: IfAbsent and IfVersion are both set", key)
	}
	if err := ctx.Err(); err != nil {
		return backends.Info{}, fmt.Errorf("gcs: put %s: %w", key, err)
	}
	obj := s.object(key)
	switch {
	case opts.IfAbsent:
		obj = obj.If(storage.Conditions{DoesNotExist: true})
	case opts.IfVersion != "":
		gen, err := strconv.ParseInt(opts.IfVersion, 10, 64)
		if err != nil || gen <= 0 {
			// No GCS object has this generation.
			return backends.Info{}, fmt.Errorf("gcs: put %s: version %q is not a generation: %w", key, opts.IfVersion, backends.ErrPrecondition)
		}
		obj = obj.If(storage.Conditions{GenerationMatch: gen})
	}
	chunk := s.chunkSize
	var cancel context.CancelFunc
	if opts.Size > 0 && opts.Size <= int64(chunk) {
		chunk = int(min(opts.Size+1, int64(chunk))) // one request (the SDK rounds up to 256 KiB): a timeout bounds it
		ctx, cancel = s.withTimeout(ctx)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	w := obj.NewWriter(ctx)
	w.ChunkSize = chunk
	w.ChunkTransferTimeout = s.timeout
	w.ContentType = "application/octet-stream"
	if err := s.copyValue(w, backends.ContextReader(ctx, r)); err != nil {
		cancel() // abandons the upload: no object is made
		w.Close()
		return backends.Info{}, fmt.Errorf("gcs: put %s: read value: %w", key, err)
	}
	if err := w.Close(); err != nil {
		var apiErr *googleapi.Error
		if errors.As(err, &apiErr) && apiErr.Code == http.StatusNotFound && (opts.IfAbsent || opts.IfVersion != "") {
			// A generation precondition on a missing object: GCS
			// answers 412, an emulator may answer 404.
			return backends.Info{}, fmt.Errorf("gcs: put %s: %w: %w", key, backends.ErrPrecondition, err)
		}
		return backends.Info{}, wrap("put", key, err)
	}
	a := w.Attrs()
	return backends.Info{Key: key, Size: a.Size, Modified: a.Updated, Version: strconv.FormatInt(a.Generation, 10)}, nil
}

// copyValue copies r into w through a pooled buffer.
func (s *Store) copyValue(w io.Writer, r io.Reader) error {
	bp, _ := s.copyBuffers.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, copyBufferSize)
		bp = &b
	}
	defer s.copyBuffers.Put(bp)
	for {
		n, err := r.Read(*bp)
		if n > 0 {
			if _, werr := w.Write((*bp)[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Delete removes the object holding key; a missing one is ErrNotFound.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("gcs: delete %s: %w", key, err)
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	if err := s.object(key).Delete(ctx); err != nil {
		return wrap("delete", key, err)
	}
	return nil
}

// List yields the objects whose keys start with prefix, in key order: GCS
// lists object names in lexicographic byte order, which is Go's string
// order, and the store checks it as it goes. The SDK's iterator fetches
// the pages; breaking out of the loop stops fetching. An object named
// exactly the store's prefix (a "folder" the Cloud Console made) has no key
// and is not listed.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(backends.Info{}, fmt.Errorf("gcs: list %s: %w", prefix, err))
			return
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		q := &storage.Query{Prefix: s.prefix + prefix, Projection: storage.ProjectionNoACL}
		if err := q.SetAttrSelection([]string{"Name", "Size", "Updated", "Generation"}); err != nil {
			yield(backends.Info{}, fmt.Errorf("gcs: list %s: %w", prefix, err))
			return
		}
		it := s.bucket.Objects(ctx, q)
		it.PageInfo().MaxSize = s.listPage
		last := ""
		for first := true; ; first = false {
			a, err := it.Next()
			if err == iterator.Done {
				return
			}
			if err != nil {
				yield(backends.Info{}, wrap("list", prefix, err))
				return
			}
			if !first && a.Name <= last {
				yield(backends.Info{}, fmt.Errorf("gcs: list %s: server listed %q after %q, out of key order", prefix, a.Name, last))
				return
			}
			last = a.Name
			if a.Name == s.prefix {
				continue // a folder placeholder (as the console makes): no key
			}
			info := backends.Info{Key: a.Name[len(s.prefix):], Size: a.Size, Modified: a.Updated, Version: strconv.FormatInt(a.Generation, 10)}
			if !yield(info, nil) {
				return
			}
		}
	}
}
