package fs

import "syscall"

// mtime returns the modification time of st in seconds and nanoseconds.
func mtime(st *syscall.Stat_t) (sec, nsec int64) {
	return int64(st.Mtimespec.Sec), int64(st.Mtimespec.Nsec)
}
