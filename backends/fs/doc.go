// Package fs is the file-system cachegen store, registered under the URL
// scheme file. It is the default store:
//
//	file:///abs/dir   the store rooted at /abs/dir (created, 0700, if needed)
//	file://           the default directory, DefaultDir: a "cachegen" folder
//	                  in os.UserCacheDir (e.g. ~/.cache/cachegen)
//
// Relative paths (file:rel/dir, file://rel/dir), hosts other than localhost,
// and queries are rejected with an error that shows the expected form.
//
// # Layout
//
// A key's segments s1/…/sn map to the path
//
//	<root>/esc(s1)/…/esc(s(n-1))/#hh/esc(sn)#
//
// esc makes any byte string a safe, portable file name: upper case letters
// become '!' plus the lower case letter (as in Go's module cache, so keys
// that differ only in case stay apart on case-insensitive disks); '%', '/',
// '\', '#', '!', spaces, control and non-ASCII bytes, the characters Windows
// forbids, and a leading '.' become %xx (lower case hex, so no name holds an
// upper case letter); the empty segment is "%". An escaped segment longer
// than 200 bytes is split into directories named "<chunk>#c" followed by the
// final chunk, so no name exceeds the usual 255-byte limit. Escaped names never contain '#' and never start with '.',
// which reserves both: "name#" is an object file, "#hh" a fan-out directory,
// "chunk#c" a chunk directory, and ".tmp-*" a temporary file. So the key
// "a/b" is the file a/#hh/b# and "a/b/c" is a/b/#hh/c#: a key can be both an
// object and a prefix of others.
//
// Fan-out: hh is two hex digits of a hash (FNV-1a, folded to a byte) of the
// last segment, so a directory that the runtime fills with argument digests
// (cache/<ns>/<task>/<fp>/<argdigest>) holds at most 256 subdirectories, each
// with 1/256 of the entries.
//
// # Writes, versions and locking
//
// Put writes the value to a temporary file ".tmp-*" (0600) in the object's
// directory (created 0700), sets its modification time to the current time in
// nanoseconds, and renames it over the object file. Readers see the old file
// or the new one, never a part, and a crash mid-write leaves only a temporary
// file, which Get and List never return (RemoveTemp deletes old ones). Files
// are not fsynced: a cache prefers speed, and after an operating-system crash
// a lost or empty entry is only a miss, since the runtime treats an entry
// that does not decode as one.
//
// An object's Version is its file's inode number, modification time in
// nanoseconds and size. Each write creates a new file (a new inode) stamped
// explicitly (the kernel's own file clock ticks only every few
// milliseconds), so the version changes on every write, and Get computes it
// from the fstat it does anyway, without reading the file. On file systems
// that keep coarse timestamps (FAT, some network file systems), a write that
// reuses a just-freed inode within one timestamp tick and keeps the size
// could repeat a version.
//
// Writes and deletes of a key hold an exclusive flock(2) on the key's
// fan-out directory while they check conditions and rename, so IfAbsent and
// IfVersion are atomic across goroutines, Store values and processes that
// share the directory (Linux and macOS). Other platforms lock only within
// one Store value. Delete leaves empty directories behind, as removing them
// would race with writers.
//
// # Reads
//
// Get opens the object file and returns it as the reader, with Info from
// one fstat. ReadAll, which the runtime uses when a store has it, reads the
// whole value into one exactly sized buffer with open, fstat, read and close.
// List reads only the directories under the prefix's whole segments and
// sorts what it finds by key.
package fs
