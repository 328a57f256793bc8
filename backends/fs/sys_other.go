//go:build !linux && !darwin

package fs

import (
	"io"
	iofs "io/fs"
	"os"
	"sync"

	"github.com/cachegen/cachegen/backends"
)

// version returns the version of the object file fi describes. Without a
// portable inode number it is the nanosecond write stamp and the size.
func version(fi iofs.FileInfo) string {
	return formatVersion(0, fi.ModTime().UnixNano(), fi.Size())
}

// fileInfo describes the open object file f.
func fileInfo(f *os.File, key string) (backends.Info, error) {
	fi, err := f.Stat()
	if err != nil {
		return backends.Info{}, err
	}
	if !fi.Mode().IsRegular() {
		return backends.Info{}, &os.PathError{Op: "open", Path: f.Name(), Err: iofs.ErrNotExist}
	}
	return infoOf(key, fi), nil
}

// openObject opens the object file at path for Get.
func openObject(path string) (*os.File, error) { return os.Open(path) }

// readFile reads the whole object file at path.
func readFile(path, key string) ([]byte, backends.Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, backends.Info{}, err
	}
	defer f.Close()
	info, err := fileInfo(f, key)
	if err != nil {
		return nil, backends.Info{}, err
	}
	b := make([]byte, info.Size)
	n, err := io.ReadFull(f, b)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, backends.Info{}, err
	}
	info.Size = int64(n)
	return b[:n], info, nil
}

// locker serialises writes to a key within this Store only: on platforms
// without flock(2), two processes (or two Store values) sharing a directory
// do not exclude each other's conditional writes.
type locker struct {
	mu [64]sync.Mutex // guards writes to fan-out directories hashing to each slot
}

// lock takes the lock of dir and returns its release.
func (l *locker) lock(dir string) (unlock func(), err error) {
	m := &l.mu[fan(dir)%64]
	m.Lock()
	return m.Unlock, nil
}
