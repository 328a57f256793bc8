//go:build linux || darwin

package fs

import (
	"errors"
	iofs "io/fs"
	"os"
	"syscall"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// version returns the version of the object file fi describes.
func version(fi iofs.FileInfo) string {
	var ino uint64
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		ino = uint64(st.Ino)
	}
	return formatVersion(ino, fi.ModTime().UnixNano(), fi.Size())
}

// statInfo describes the object key from its file's raw stat.
func statInfo(key string, st *syscall.Stat_t) backends.Info {
	sec, nsec := mtime(st)
	return backends.Info{
		Key:      key,
		Size:     st.Size,
		Modified: time.Unix(sec, nsec),
		Version:  formatVersion(uint64(st.Ino), sec*1e9+nsec, st.Size),
	}
}

// fileInfo describes the open object file f with one fstat and no
// allocation besides the Version string.
func fileInfo(f *os.File, key string) (backends.Info, error) {
	var st syscall.Stat_t
	if err := fstat(int(f.Fd()), &st); err != nil {
		return backends.Info{}, &os.PathError{Op: "fstat", Path: f.Name(), Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return backends.Info{}, &os.PathError{Op: "open", Path: f.Name(), Err: syscall.ENOENT}
	}
	return statInfo(key, &st), nil
}

// readFlags open an object file for reading: never through a symbolic
// link (an object is a regular file the store wrote), and without blocking
// on a FIFO or device planted in its place (fstat then rejects it).
const readFlags = syscall.O_RDONLY | syscall.O_CLOEXEC | syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// openObject opens the object file at path for Get.
func openObject(path string) (*os.File, error) {
	f, err := os.OpenFile(path, readFlags, 0)
	if errors.Is(err, syscall.ELOOP) {
		return nil, &os.PathError{Op: "open", Path: path, Err: syscall.ENOENT}
	}
	return f, err
}

// readFile reads the object file at path with open, fstat, read and close,
// into a buffer of exactly the file's size. Object files never change once
// renamed into place, so the size is the length.
func readFile(path, key string) ([]byte, backends.Info, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, readFlags, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err == syscall.ELOOP {
		err = syscall.ENOENT // a symbolic link is not an object
	}
	if err != nil {
		return nil, backends.Info{}, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := fstat(fd, &st); err != nil {
		return nil, backends.Info{}, &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, backends.Info{}, &os.PathError{Op: "open", Path: path, Err: syscall.ENOENT}
	}
	b := make([]byte, st.Size)
	n := 0
	for n < len(b) {
		m, err := syscall.Read(fd, b[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, backends.Info{}, &os.PathError{Op: "read", Path: path, Err: err}
		}
		if m == 0 {
			break
		}
		n += m
	}
	info := statInfo(key, &st)
	info.Size = int64(n)
	return b[:n], info, nil
}

func fstat(fd int, st *syscall.Stat_t) error {
	for {
		err := syscall.Fstat(fd, st)
		if err != syscall.EINTR {
			return err
		}
	}
}

// locker serialises writes to a key across goroutines and processes with
// flock(2) on the key's fan-out directory. flock locks belong to an open
// file description, so two opens in one process exclude each other too.
type locker struct{}

// lock takes the exclusive lock of dir and returns its release.
func (locker) lock(dir string) (unlock func(), err error) {
	var fd int
	for {
		fd, err = syscall.Open(dir, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_DIRECTORY, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	for {
		err = syscall.Flock(fd, syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		syscall.Close(fd)
		return nil, &os.PathError{Op: "flock", Path: dir, Err: err}
	}
	return func() { syscall.Close(fd) }, nil
}
