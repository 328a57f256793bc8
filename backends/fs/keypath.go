package fs

import "strings"

// The key ↔ path mapping. See the package documentation for the layout; in
// short, for a key with segments s1/…/sn:
//
//	esc(s1)/…/esc(s(n-1))/#hh/esc(sn)#
//
// where esc escapes a segment into a file-name-safe ASCII string that never
// contains the marker '#', never starts with '.', and never holds an upper
// case letter; #hh is the fan-out directory (two hex digits of a hash of sn);
// and the final '#' marks an object file. Names holding a '#' are therefore
// reserved for the store and cannot collide with a segment's directory.
// Escaped segments longer than maxChunk bytes are split into directories
// named "chunk#c" followed by the final chunk.

const (
	// marker is reserved in file names: esc never produces it.
	marker = '#'
	// maxChunk is the longest escaped chunk in one file name, leaving room
	// for the marker suffixes under the usual 255-byte name limit.
	maxChunk = 200
	// fanLen is the length of a fan-out directory name, "#hh".
	fanLen = 3
)

// mustEscape reports whether c is percent-encoded wherever it appears: the
// escape and marker characters, path separators, bytes that some file
// systems forbid or alter (controls, non-ASCII, Windows' reserved ones), and
// '!', which marks an upper case letter. Spaces are escaped too: Windows
// drops a trailing one, and shells split on them.
func mustEscape(c byte) bool {
	switch c {
	case '%', '/', '\\', marker, '!', ':', '*', '?', '"', '<', '>', '|':
		return true
	}
	return c <= ' ' || c >= 0x7f
}

// escLen is the escaped length of c; first says c starts a chunk, where a
// '.' is escaped so no name is ".", ".." or hidden.
func escLen(c byte, first bool) int {
	switch {
	case mustEscape(c) || (first && c == '.'):
		return 3
	case 'A' <= c && c <= 'Z':
		return 2
	}
	return 1
}

// appendEsc appends the escape of c, of length escLen(c, first).
func appendEsc(b []byte, c byte, first bool) []byte {
	const hex = "0123456789abcdef"
	switch {
	case mustEscape(c) || (first && c == '.'):
		return append(b, '%', hex[c>>4], hex[c&15])
	case 'A' <= c && c <= 'Z':
		// Upper case is '!' plus lower case (as in Go's module cache), so
		// keys differing in case stay distinct on case-insensitive disks.
		return append(b, '!', c+('a'-'A'))
	}
	return append(b, c)
}

// appendSegment appends the escape of one segment; chunks before the last
// are followed by "#c" and sep. The empty segment is "%", which no other
// segment escapes to.
func appendSegment(b []byte, seg string, sep byte) []byte {
	if seg == "" {
		return append(b, '%')
	}
	n, first := 0, true
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		l := escLen(c, first)
		if n+l > maxChunk {
			b = append(b, marker, 'c', sep)
			n, first = 0, true
			l = escLen(c, first)
		}
		b = appendEsc(b, c, first)
		n += l
		first = false
	}
	return b
}

// fan returns the fan-out byte of a last segment: FNV-1a, folded.
func fan(seg string) byte {
	h := uint32(2166136261)
	for i := 0; i < len(seg); i++ {
		h ^= uint32(seg[i])
		h *= 16777619
	}
	return byte(h ^ h>>8 ^ h>>16 ^ h>>24)
}

// appendKeyPath appends the relative path of key's object file, with sep
// between names. fanEnd is the length of b up to and including the fan-out
// directory's name (the directory a write of key locks).
func appendKeyPath(b []byte, key string, sep byte) (out []byte, fanEnd int) {
	for {
		i := strings.IndexByte(key, '/')
		if i < 0 {
			break
		}
		b = appendSegment(b, key[:i], sep)
		b = append(b, sep)
		key = key[i+1:]
	}
	const hex = "0123456789abcdef"
	h := fan(key)
	b = append(b, marker, hex[h>>4], hex[h&15])
	fanEnd = len(b)
	b = append(b, sep)
	b = appendSegment(b, key, sep)
	return append(b, marker), fanEnd
}

// appendDirPath appends the relative path of the directory holding every
// key that starts with the whole segments segs (each followed by '/').
func appendDirPath(b []byte, segs string, sep byte) []byte {
	for segs != "" {
		i := strings.IndexByte(segs, '/')
		b = appendSegment(b, segs[:i], sep)
		b = append(b, sep)
		segs = segs[i+1:]
	}
	return b
}

// keyPath returns key's object file path relative to the store's root,
// with '/' separators.
func keyPath(key string) string {
	b, _ := appendKeyPath(make([]byte, 0, len(key)+16), key, '/')
	return string(b)
}

// pathKey is the inverse of keyPath: it returns the key whose object file
// is at rel ('/'-separated, relative to the root), and false if rel is not
// exactly the path keyPath gives for some key (a temp file, a fan-out
// directory in the wrong place, a non-canonical escape, a stray file).
func pathKey(rel string) (string, bool) {
	key := make([]byte, 0, len(rel))
	for p := rel; p != ""; {
		name, rest, more := strings.Cut(p, "/")
		p = rest
		var ok bool
		switch {
		case !more: // the object file
			if len(name) < 2 || name[len(name)-1] != marker {
				return "", false
			}
			key, ok = unescape(key, name[:len(name)-1])
		case len(name) == fanLen && name[0] == marker:
			ok = true // checked below by re-encoding
		case strings.HasSuffix(name, "#c"):
			key, ok = unescape(key, name[:len(name)-2])
		default:
			key, ok = unescape(key, name)
			key = append(key, '/')
		}
		if !ok {
			return "", false
		}
	}
	k := string(key)
	if keyPath(k) != rel {
		return "", false
	}
	return k, true
}

// unescape appends the bytes an escaped name stands for; the name "%" is
// the empty segment. It reports false for a name esc never produces
// characters of (it does not check canonical form; re-encoding does).
func unescape(b []byte, name string) ([]byte, bool) {
	if name == "%" {
		return b, true
	}
	if name == "" || strings.IndexByte(name, marker) >= 0 {
		return b, false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '%':
			if i+2 >= len(name) {
				return b, false
			}
			hi, ok1 := unhex(name[i+1])
			lo, ok2 := unhex(name[i+2])
			if !ok1 || !ok2 {
				return b, false
			}
			b = append(b, hi<<4|lo)
			i += 2
		case '!':
			if i+1 >= len(name) || name[i+1] < 'a' || name[i+1] > 'z' {
				return b, false
			}
			b = append(b, name[i+1]-('a'-'A'))
			i++
		default:
			b = append(b, c)
		}
	}
	return b, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
