//go:build linux || darwin

package fs

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// tempFiles lists the temporary files anywhere under the store's root.
func tempFiles(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(s.root, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), tempPrefix) {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// failingReader yields some bytes and then an error, like a value whose
// producer failed halfway (or a disk that filled up).
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n > 0 {
		r.n = 0
		return copy(p, "partial value"), nil
	}
	return 0, errors.New("producer failed")
}

// TestFailedWriteLeavesNoTempFile checks that a Put whose value fails to
// arrive, or whose context ends while it copies, removes its temp file.
func TestFailedWriteLeavesNoTempFile(t *testing.T) {
	s := newStore(t)
	if _, err := s.Put(t.Context(), "a/b", &failingReader{n: 1}, backends.PutOptions{}); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("some of the value"))
		cancel()
		// A read already waiting on the pipe does not see the context;
		// the producer going away ends it.
		pw.CloseWithError(context.Canceled)
	}()
	if _, err := s.Put(ctx, "a/c", pr, backends.PutOptions{}); err == nil {
		t.Fatal("Put with a cancelled context succeeded")
	}
	if tmp := tempFiles(t, s); len(tmp) > 0 {
		t.Errorf("failed writes left temp files: %v", tmp)
	}
}

// TestFIFOIsNotAnObject checks that a FIFO planted where an object belongs
// reads as a missing object at once, instead of blocking the caller.
func TestFIFOIsNotAnObject(t *testing.T) {
	s := newStore(t)
	mustPut(t, s, "a/b", "value")
	path, _ := s.objectPath("a/b")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 2)
	go func() {
		_, _, err := s.ReadAll(t.Context(), "a/b")
		done <- err
		_, _, err = s.Get(t.Context(), "a/b")
		done <- err
	}()
	for range 2 {
		select {
		case err := <-done:
			if !errors.Is(err, backends.ErrNotFound) {
				t.Errorf("read of a FIFO: %v, want ErrNotFound", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("reading a FIFO in place of an object blocked")
		}
	}
}

// TestSymlinksAreNotFollowed checks that a symbolic link in place of an
// object is not read, and that a directory replaced by a link to a place
// outside the root receives no write.
func TestSymlinksAreNotFollowed(t *testing.T) {
	s := newStore(t)
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("not an entry"), 0o600); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, "ns/task/fp/d1", "value")
	path, _ := s.objectPath("ns/task/fp/d1")
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, path); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ReadAll(t.Context(), "ns/task/fp/d1"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("ReadAll through a link: %v, want ErrNotFound", err)
	}
	if _, _, err := s.Get(t.Context(), "ns/task/fp/d1"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Get through a link: %v, want ErrNotFound", err)
	}

	// Replace the fingerprint directory by a link out of the root.
	fpDir := filepath.Dir(filepath.Dir(path))
	if err := os.RemoveAll(fpDir); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, fpDir); err != nil {
		t.Fatal(err)
	}
	if _, err := put(t, s, "ns/task/fp/d2", "planted", backends.PutOptions{}); err == nil {
		t.Errorf("Put through a directory linked out of the root succeeded")
	}
	entries, err := os.ReadDir(outside)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("a write landed outside the root: %v", entries)
	}
}

// TestLongKeysRejected checks that a key longer than any store allows is
// an error before any I/O.
func TestLongKeysRejected(t *testing.T) {
	s := newStore(t)
	long := "cache/" + strings.Repeat("x", 5000)
	if _, err := put(t, s, long, "v", backends.PutOptions{}); err == nil || !strings.Contains(err.Error(), "at most 1024") {
		t.Errorf("Put of a 5,006-byte key: %v, want the limit named", err)
	}
	if _, _, err := s.ReadAll(t.Context(), long); err == nil || errors.Is(err, backends.ErrNotFound) {
		t.Errorf("ReadAll of a 5,006-byte key: %v, want the limit, not a miss", err)
	}
	entries, err := os.ReadDir(s.root)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("a rejected key created %v", entries)
	}
}

// TestZeroStore checks that every operation of the zero Store fails
// without touching the file system (its keys must never root at /).
func TestZeroStore(t *testing.T) {
	var s Store
	ctx := t.Context()
	if _, err := s.Put(ctx, "tmp/cachegen-zero-store", strings.NewReader("v"), backends.PutOptions{}); err == nil {
		t.Error("Put on the zero Store succeeded")
	}
	if _, _, err := s.Get(ctx, "k"); err == nil || errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Get: %v, want the zero Store's error", err)
	}
	if _, _, err := s.ReadAll(ctx, "k"); err == nil || errors.Is(err, backends.ErrNotFound) {
		t.Errorf("ReadAll: %v, want the zero Store's error", err)
	}
	if err := s.Delete(ctx, "k"); err == nil || errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Delete: %v, want the zero Store's error", err)
	}
	for _, err := range s.List(ctx, "") {
		if err == nil {
			t.Error("List of the zero Store yielded an object")
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
