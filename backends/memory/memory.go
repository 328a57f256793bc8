package memory

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"iter"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cachegen/cachegen/backends"
)

func init() {
	backends.Register("mem", func(context.Context, *url.URL) (backends.Store, error) {
		return New(), nil
	})
}

// Store is an in-memory [backends.Store]. The zero value is an empty store
// ready to use; a Store must not be copied after first use.
type Store struct {
	mu      sync.Mutex         // guards objects and written
	objects map[string]*object // by key; each *object is immutable once stored
	written uint64             // number of writes so far; the source of versions
}

// object is one stored value and its description. It is never modified
// after it is put in the map: a write replaces the pointer.
type object struct {
	data []byte
	info backends.Info
}

// New returns an empty store.
func New() *Store { return &Store{} }

// Len returns the number of objects in the store.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.objects)
}

// lookup returns the object stored under key, or nil.
func (s *Store) lookup(key string) *object {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.objects[key]
}

// Get returns a reader over a copy of the object's value.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	data, info, err := s.readAll(ctx, "get", key)
	if err != nil {
		return nil, backends.Info{}, err
	}
	return io.NopCloser(bytes.NewReader(data)), info, nil
}

// ReadAll returns a copy of the object's value and its Info; it is the fast
// path the runtime uses when a store offers it.
func (s *Store) ReadAll(ctx context.Context, key string) ([]byte, backends.Info, error) {
	return s.readAll(ctx, "read", key)
}

func (s *Store) readAll(ctx context.Context, op, key string) ([]byte, backends.Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, backends.Info{}, fmt.Errorf("memory: %s %s: %w", op, key, err)
	}
	o := s.lookup(key)
	if o == nil {
		return nil, backends.Info{}, fmt.Errorf("memory: %s %s: %w", op, key, backends.ErrNotFound)
	}
	return bytes.Clone(o.data), o.info, nil
}

// Put reads all of r and stores it under key if the conditions in opts hold.
// A read error or a cancelled context leaves the store unchanged.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, opts backends.PutOptions) (backends.Info, error) {
	if opts.IfAbsent && opts.IfVersion != "" {
		return backends.Info{}, fmt.Errorf("memory: put %s: IfAbsent and IfVersion are both set", key)
	}
	var buf bytes.Buffer
	if opts.Size > 0 {
		buf.Grow(int(min(opts.Size, 64<<20)))
	}
	if _, err := buf.ReadFrom(backends.ContextReader(ctx, r)); err != nil {
		return backends.Info{}, fmt.Errorf("memory: put %s: read value: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return backends.Info{}, fmt.Errorf("memory: put %s: %w", key, err)
	}
	data := buf.Bytes()
	if buf.Cap()-len(data) > 4096 {
		data = bytes.Clone(data) // do not keep a mostly empty buffer alive
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.objects[key]
	switch {
	case opts.IfAbsent && old != nil:
		return backends.Info{}, fmt.Errorf("memory: put %s: exists: %w", key, backends.ErrPrecondition)
	case opts.IfVersion != "" && (old == nil || old.info.Version != opts.IfVersion):
		return backends.Info{}, fmt.Errorf("memory: put %s: version is not %s: %w", key, opts.IfVersion, backends.ErrPrecondition)
	}
	s.written++
	o := &object{data: data, info: backends.Info{
		Key:      key,
		Size:     int64(len(data)),
		Modified: time.Now(),
		Version:  strconv.FormatUint(s.written, 10),
	}}
	if s.objects == nil {
		s.objects = make(map[string]*object)
	}
	s.objects[key] = o
	return o.info, nil
}

// Delete removes the object stored under key.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: delete %s: %w", key, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.objects[key]; !ok {
		return fmt.Errorf("memory: delete %s: %w", key, backends.ErrNotFound)
	}
	delete(s.objects, key)
	return nil
}

// List yields the objects whose keys start with prefix, sorted by key. It
// lists a snapshot taken when iteration starts, and holds no lock while the
// consumer runs, so the loop body may use the store.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(backends.Info{}, fmt.Errorf("memory: list %s: %w", prefix, err))
			return
		}
		for _, info := range s.snapshot(prefix) {
			if err := ctx.Err(); err != nil {
				yield(backends.Info{}, fmt.Errorf("memory: list %s: %w", prefix, err))
				return
			}
			if !yield(info, nil) {
				return
			}
		}
	}
}

// snapshot returns the Info of every object under prefix, sorted by key.
func (s *Store) snapshot(prefix string) []backends.Info {
	s.mu.Lock()
	infos := make([]backends.Info, 0, len(s.objects))
	for k, o := range s.objects {
		if strings.HasPrefix(k, prefix) {
			infos = append(infos, o.info)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(infos, func(a, b backends.Info) int { return strings.Compare(a.Key, b.Key) })
	return infos
}
