package fs

import (
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
	"unsafe"

	"github.com/cachegen/cachegen/backends"
)

// tempPrefix starts the name of every temporary file. Escaped names never
// start with '.', so a temp file is never taken for an object.
const tempPrefix = ".tmp-"

// Store is a [backends.Store] on a local directory; make one with [New]
// (every operation of the zero Store fails). It is safe for concurrent
// use, and several Store values or processes may share one directory:
// writes to a key are serialised by a lock on its fan-out directory.
type Store struct {
	root string // absolute, cleaned
	// dir is root opened as an os.Root: every write goes through it, so no
	// symbolic link can make a write land outside the store.
	dir *os.Root
	// now is the clock that stamps writes; it is time.Now outside tests.
	now   func() time.Time
	locks locker // cross-process on Unix; per-Store elsewhere
}

// New returns a store rooted at dir, creating it with permission 0700 if
// needed. A relative dir is made absolute first, so later changes of the
// working directory do not move the store.
func New(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("fs: new: empty directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("fs: new %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("fs: new %s: %w", dir, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("fs: new %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("fs: new %s: not a directory", dir)
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("fs: new %s: %w", dir, err)
	}
	return &Store{root: abs, dir: r, now: time.Now}, nil
}

// Close releases the store's handle on its directory.
func (s *Store) Close() error {
	if s.dir == nil {
		return nil
	}
	return s.dir.Close()
}

// errZero is the error of every operation of the zero Store: it has no
// directory, and must never fall back to the file system's root.
var errZero = errors.New("the zero Store has no directory; make one with New")

// checkKey rejects a key no store could hold, and any use of the zero
// Store, before any I/O.
func (s *Store) checkKey(op, key string) error {
	if s.dir == nil {
		return fmt.Errorf("fs: %s %s: %w", op, key, errZero)
	}
	if len(key) > backends.MaxKeyLen {
		return fmt.Errorf("fs: %s %.40s...: the key is %d bytes; keys are at most %d", op, key, len(key), backends.MaxKeyLen)
	}
	return nil
}

// Dir returns the store's root directory.
func (s *Store) Dir() string { return s.root }

// objectPath returns the absolute path of key's object file and the length
// of its prefix naming the key's fan-out directory.
func (s *Store) objectPath(key string) (path string, fanEnd int) {
	b := make([]byte, 0, len(s.root)+len(key)+len(key)/4+16)
	b = append(b, s.root...)
	b = append(b, filepath.Separator)
	b, fanEnd = appendKeyPath(b, key, filepath.Separator)
	// b is never written again, so the string may share its memory (as
	// strings.Builder does): one allocation fewer on the hit path.
	return unsafe.String(unsafe.SliceData(b), len(b)), fanEnd
}

// isNotFound reports whether err from opening an object means it is absent.
func isNotFound(err error) bool {
	return errors.Is(err, iofs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// fail wraps err with the operation and key; a missing object becomes
// backends.ErrNotFound.
func fail(op, key string, err error) error {
	if isNotFound(err) {
		return fmt.Errorf("fs: %s %s: %w", op, key, backends.ErrNotFound)
	}
	return fmt.Errorf("fs: %s %s: %w", op, key, err)
}

// Get opens the object's file and returns it as the reader, with Info from
// one fstat: the hit path does nothing else.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, backends.Info{}, fail("get", key, err)
	}
	if err := s.checkKey("get", key); err != nil {
		return nil, backends.Info{}, err
	}
	path, _ := s.objectPath(key)
	f, err := openObject(path)
	if err != nil {
		return nil, backends.Info{}, fail("get", key, err)
	}
	info, err := fileInfo(f, key)
	if err != nil {
		f.Close()
		return nil, backends.Info{}, fail("get", key, err)
	}
	return f, info, nil
}

// ReadAll returns the object's whole value in one exactly sized buffer,
// and its Info. It is the runtime's fast path for hits: open, fstat, read
// and close, with no other system call and no allocation besides the path
// and the value (and the Version string).
func (s *Store) ReadAll(ctx context.Context, key string) ([]byte, backends.Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, backends.Info{}, fail("read", key, err)
	}
	if err := s.checkKey("read", key); err != nil {
		return nil, backends.Info{}, err
	}
	path, _ := s.objectPath(key)
	b, info, err := readFile(path, key)
	if err != nil {
		return nil, backends.Info{}, fail("read", key, err)
	}
	return b, info, nil
}

// Put writes r to a temporary file next to the object, stamps it, and
// renames it over the object while holding the key's lock, after checking
// the conditions in opts. A failed or cancelled Put leaves the old value
// (or no value) in place. Files are not fsynced: see the package doc.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, opts backends.PutOptions) (backends.Info, error) {
	if opts.IfAbsent && opts.IfVersion != "" {
		return backends.Info{}, fmt.Errorf("fs: put %s: IfAbsent and IfVersion are both set", key)
	}
	if err := ctx.Err(); err != nil {
		return backends.Info{}, fail("put", key, err)
	}
	if err := s.checkKey("put", key); err != nil {
		return backends.Info{}, err
	}
	path, fanEnd := s.objectPath(key)
	dir, err := s.objectDir(path)
	if err != nil {
		return backends.Info{}, fmt.Errorf("fs: put %s: %w", key, err)
	}
	defer dir.Close()
	tmp, fi, err := s.writeTemp(ctx, dir, r, opts.Size)
	if err != nil {
		return backends.Info{}, fmt.Errorf("fs: put %s: %w", key, err)
	}
	defer func() {
		if tmp != "" {
			dir.Remove(tmp)
		}
	}()
	if opts.IfAbsent || opts.IfVersion != "" {
		// A conditional write checks and renames under the key's lock. An
		// unconditional one only renames, which is atomic by itself: it
		// takes no lock (the runtime never mixes the two on one key).
		unlock, err := s.locks.lock(path[:fanEnd])
		if err != nil {
			return backends.Info{}, fmt.Errorf("fs: put %s: %w", key, err)
		}
		defer unlock()
	}
	if err := s.check(path, opts); err != nil {
		return backends.Info{}, fmt.Errorf("fs: put %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return backends.Info{}, fail("put", key, err)
	}
	if err := dir.Rename(tmp, filepath.Base(path)); err != nil {
		return backends.Info{}, fmt.Errorf("fs: put %s: %w", key, err)
	}
	tmp = ""
	return infoOf(key, fi), nil
}

// check tests the conditions of a Put against the object file at path; the
// caller holds the key's lock.
func (s *Store) check(path string, opts backends.PutOptions) error {
	if !opts.IfAbsent && opts.IfVersion == "" {
		return nil
	}
	fi, err := os.Lstat(path)
	switch {
	case isNotFound(err) && opts.IfAbsent:
		return nil
	case isNotFound(err):
		return fmt.Errorf("version is not %s: object missing: %w", opts.IfVersion, backends.ErrPrecondition)
	case err != nil:
		return err
	case opts.IfAbsent:
		return fmt.Errorf("exists: %w", backends.ErrPrecondition)
	case version(fi) != opts.IfVersion:
		return fmt.Errorf("version is not %s: %w", opts.IfVersion, backends.ErrPrecondition)
	}
	return nil
}

// objectDir opens the directory of the object file at path inside the
// store's root, creating it if needed. It fails rather than follow a
// symbolic link out of the root.
func (s *Store) objectDir(path string) (*os.Root, error) {
	rel, err := filepath.Rel(s.root, filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	d, err := s.dir.OpenRoot(rel)
	if errors.Is(err, iofs.ErrNotExist) {
		if err = s.dir.MkdirAll(rel, 0o700); err == nil {
			d, err = s.dir.OpenRoot(rel)
		}
	}
	return d, err
}

// writeTemp copies r (of size bytes, if not negative) into a new
// temporary file in dir, stamps its modification time with s.now, and
// returns its name and its final FileInfo. On error it removes the file:
// no temporary file outlives a failed write.
func (s *Store) writeTemp(ctx context.Context, dir *os.Root, r io.Reader, size int64) (name string, fi iofs.FileInfo, err error) {
	var f *os.File
	for range 100 {
		name = tempPrefix + strconv.FormatUint(rand.Uint64(), 36)
		f, err = dir.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if !errors.Is(err, iofs.ErrExist) {
			break
		}
	}
	if err != nil {
		return "", nil, err
	}
	created := name
	defer func() {
		if err != nil {
			dir.Remove(created)
		}
	}()
	_, err = io.CopyBuffer(writerOnly{f}, backends.ContextReader(ctx, r), make([]byte, bufferSize(size)))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", nil, fmt.Errorf("write value: %w", err)
	}
	// The kernel's file clock ticks coarsely; an explicit nanosecond stamp
	// makes the version (inode, mtime, size) change on every write.
	t := s.now()
	if err = dir.Chtimes(name, t, t); err != nil {
		return "", nil, err
	}
	if fi, err = dir.Lstat(name); err != nil {
		return "", nil, err
	}
	return name, fi, nil
}

// Delete removes the object's file under the key's lock. Directories are
// left in place: removing them would race with concurrent writers.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return fail("delete", key, err)
	}
	if err := s.checkKey("delete", key); err != nil {
		return err
	}
	path, fanEnd := s.objectPath(key)
	unlock, err := s.locks.lock(path[:fanEnd])
	if err != nil {
		return fail("delete", key, err)
	}
	defer unlock()
	rel, err := filepath.Rel(s.root, path)
	if err != nil {
		return fail("delete", key, err)
	}
	if err := s.dir.Remove(rel); err != nil {
		return fail("delete", key, err)
	}
	return nil
}

// infoOf describes the object key from its file's FileInfo.
func infoOf(key string, fi iofs.FileInfo) backends.Info {
	return backends.Info{Key: key, Size: fi.Size(), Modified: fi.ModTime(), Version: version(fi)}
}

// formatVersion renders a version from a file's inode number, modification
// time in nanoseconds and size.
func formatVersion(ino uint64, mtimeNs, size int64) string {
	var buf [48]byte
	b := strconv.AppendUint(buf[:0], ino, 36)
	b = append(b, '.')
	b = strconv.AppendInt(b, mtimeNs, 36)
	b = append(b, '.')
	b = strconv.AppendInt(b, size, 36)
	return string(b)
}

// bufferSize is the copy buffer for a value of the given size: small
// values need no 32 KiB buffer. PutOptions.Size is only a hint (0 may mean
// unknown), so the buffer is never tiny.
func bufferSize(size int64) int {
	if size <= 0 || size >= 32<<10 {
		return 32 << 10
	}
	return max(int(size)+1, 4<<10) // +1 to see EOF in the same read
}

// writerOnly hides the temp file's ReadFrom, so io.CopyBuffer uses the
// buffer it is given instead of allocating its own.
type writerOnly struct{ io.Writer }
