package redis

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// headerMax bounds the length of an object's header line; listings read
// this many bytes of each object.
const headerMax = 128

// header is the first line of an object's Redis string:
//
//	cg1 <version> <size> <modified> <chunks>\n
//
// version is 16 hex digits, new on every write; size the value's length;
// modified the commit time in Unix nanoseconds, by the server's clock;
// chunks 0 when the value follows the line, else how many chunks hold it.
type header struct {
	version  string
	size     int64
	modified time.Time
	chunks   int
}

var errBadHeader = errors.New("not a cachegen object header")

// parseHeader parses the header at the start of a whole object b and
// returns the value after it when the value is inline.
func parseHeader(b []byte) (header, []byte, error) {
	h, rest, err := parseHeaderLine(b)
	if err == nil && h.chunks == 0 && int64(len(rest)) != h.size {
		return header{}, nil, fmt.Errorf("%w: size %d, %d bytes inline", errBadHeader, h.size, len(rest))
	}
	return h, rest, err
}

// parseHeaderLine parses the header at the start of b, which may be only
// the object's first bytes, and returns the bytes after it.
func parseHeaderLine(b []byte) (header, []byte, error) {
	end := -1
	for i := 0; i < len(b) && i < headerMax; i++ {
		if b[i] == '\n' {
			end = i
			break
		}
	}
	if end < 0 {
		return header{}, nil, errBadHeader
	}
	f := strings.Fields(string(b[:end]))
	if len(f) != 5 || f[0] != "cg1" || len(f[1]) != 16 || !isHex(f[1]) {
		return header{}, nil, errBadHeader
	}
	size, err1 := strconv.ParseInt(f[2], 10, 64)
	nanos, err2 := strconv.ParseInt(f[3], 10, 64)
	chunks, err3 := strconv.Atoi(f[4])
	if err := errors.Join(err1, err2, err3); err != nil || size < 0 || chunks < 0 {
		return header{}, nil, fmt.Errorf("%w: %q", errBadHeader, b[:end])
	}
	return header{version: f[1], size: size, modified: time.Unix(0, nanos), chunks: chunks}, b[end+1:], nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
