package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cachegen/cachegen/backends"
)

// Read-only clients (Turborepo's remote:r, Bazel's
// --remote_upload_local_results=false): a runtime that reads the store and
// never writes to it. A pull request's job can use the main branch's cache
// without being able to change it. Hits are served as usual; a miss
// computes and keeps the result in this process only; no entry, key
// manifest, lease or durable memo entry is written, and a job cache's
// Save, Writer and Delete fail with ErrReadOnly.

// EnvReadOnly makes the default runtime read-only: "1" or "true".
const EnvReadOnly = "CACHEGEN_READONLY"

// ErrReadOnly is returned by writes to a job, shared or named cache of a
// read-only runtime.
var ErrReadOnly = errors.New("runtime: the store is read-only (CACHEGEN_READONLY)")

// WithReadOnly makes the runtime read the store and never write to it
// (default: $CACHEGEN_READONLY).
func WithReadOnly(readOnly bool) Option { return func(c *config) { c.readOnly = readOnly } }

// parseBool reads a boolean environment value: "", "0", "false", "no" and
// "off" are false; "1", "true", "yes" and "on" are true; anything else is
// an error.
func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "no", "off":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	}
	return false, fmt.Errorf("%s=%q: want 1 or 0", name, v)
}

// readOnlyStore refuses every write to the store it wraps: whatever path a
// write would take, it cannot reach the store of a read-only runtime. The
// runtime's own write paths check Runtime.readOnly first and skip quietly;
// this is the backstop.
type readOnlyStore struct {
	backends.Store
}

// Put refuses the write.
func (s readOnlyStore) Put(ctx context.Context, key string, r io.Reader, opts backends.PutOptions) (backends.Info, error) {
	return backends.Info{}, fmt.Errorf("put %s: %w", key, ErrReadOnly)
}

// Delete refuses the delete.
func (s readOnlyStore) Delete(ctx context.Context, key string) error {
	return fmt.Errorf("delete %s: %w", key, ErrReadOnly)
}

// Close closes the wrapped store, if it can be closed.
func (s readOnlyStore) Close() error {
	if c, ok := s.Store.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
