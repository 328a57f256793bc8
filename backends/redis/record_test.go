package redis

import (
	"fmt"
	"testing"
	"time"
)

// FuzzParseHeader checks that parseHeader never panics, and that a header
// it accepts describes its bytes: an inline value of exactly the size.
func FuzzParseHeader(f *testing.F) {
	f.Add([]byte("cg1 0123456789abcdef 3 1700000000000000000 0\nabc"))
	f.Add([]byte("cg1 0123456789abcdef 9000000 1700000000000000000 9\n"))
	f.Add([]byte("cg1 0123456789abcdef -1 0 0\n"))
	f.Add([]byte("cg1 zz 1 1 0\nx"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, rest, err := parseHeader(b)
		if err != nil {
			return
		}
		if h.size < 0 || h.chunks < 0 || len(h.version) != 16 {
			t.Fatalf("accepted %q as %+v", b, h)
		}
		if h.chunks == 0 && int64(len(rest)) != h.size {
			t.Fatalf("accepted %q: size %d, %d bytes inline", b, h.size, len(rest))
		}
	})
}

func TestHeaderRoundTrip(t *testing.T) {
	at := time.Unix(1700000000, 123456000)
	line := fmt.Sprintf("cg1 %s %d %d %d\n", "00000000000000ff", 5, at.UnixNano(), 0)
	h, rest, err := parseHeader(append([]byte(line), "hello"...))
	if err != nil || h.version != "00000000000000ff" || h.size != 5 || !h.modified.Equal(at) || string(rest) != "hello" {
		t.Fatalf("parseHeader = %+v %q %v", h, rest, err)
	}
	if len(line) > headerMax {
		t.Fatalf("header %d bytes, longer than headerMax", len(line))
	}
}
