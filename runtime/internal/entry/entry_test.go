package entry

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"
)

func sample() (Header, []byte) {
	h := Header{
		Codec:    1,
		KeyCheck: 0x0123456789abcdef,
		Created:  time.Date(2025, 6, 1, 12, 0, 0, 42, time.UTC),
		Compute:  1500 * time.Millisecond,
	}
	return h, []byte("the encoded result")
}

func TestRoundTrip(t *testing.T) {
	h, payload := sample()
	prefix := []byte("keep")
	data := Append(bytes.Clone(prefix), h, payload)
	if !bytes.HasPrefix(data, prefix) {
		t.Fatalf("Append dropped its prefix: %q", data)
	}
	data = data[len(prefix):]
	if len(data) != HeaderSize+len(payload) {
		t.Fatalf("entry of %d bytes, want %d", len(data), HeaderSize+len(payload))
	}
	got, gotPayload, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotPayload, payload) {
		t.Errorf("payload %q, want %q", gotPayload, payload)
	}
	if &gotPayload[0] != &data[HeaderSize] {
		t.Error("payload is a copy, want a sub-slice")
	}
	if got.Codec != h.Codec || got.KeyCheck != h.KeyCheck || !got.Created.Equal(h.Created) || got.Compute != h.Compute {
		t.Errorf("header %+v, want %+v", got, h)
	}
	if got.PayloadSize != int64(len(payload)) || got.Checksum == 0 {
		t.Errorf("PayloadSize %d, Checksum %x", got.PayloadSize, got.Checksum)
	}
}

func TestLayout(t *testing.T) {
	h, payload := sample()
	data := Append(nil, h, payload)
	if string(data[:4]) != "CGE\x01" || data[4] != 1 {
		t.Errorf("header starts %q", data[:5])
	}
	want := xxhash.Sum64(append(bytes.Clone(data[:37]), le64(xxhash.Sum64(payload))...))
	if got := data[37:45]; !bytes.Equal(got, le64(want)) {
		t.Errorf("checksum bytes %x, want %x", got, le64(want))
	}
	if got := data[29:37]; !bytes.Equal(got, le64(uint64(len(payload)))) {
		t.Errorf("size bytes %x", got)
	}
}

func le64(x uint64) []byte {
	b := make([]byte, 8)
	for i := range b {
		b[i] = byte(x >> (8 * i))
	}
	return b
}

func TestZeroValues(t *testing.T) {
	for _, payload := range [][]byte{nil, {}, {0}} {
		got, p, err := Parse(Append(nil, Header{}, payload))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Created.IsZero() || got.Compute != 0 || len(p) != len(payload) {
			t.Errorf("zero header came back as %+v, payload %q", got, p)
		}
	}
}

// TestEveryCorruption flips every byte of an entry in several ways, and
// truncates and extends it: each must be an ErrCorrupt.
func TestEveryCorruption(t *testing.T) {
	h, payload := sample()
	data := Append(nil, h, payload)
	for i := range data {
		for _, mask := range []byte{0x01, 0x80, 0xff, 0x5a} {
			bad := bytes.Clone(data)
			bad[i] ^= mask
			if _, _, err := Parse(bad); !errors.Is(err, ErrCorrupt) {
				t.Errorf("byte %d ^ %#x: err = %v, want ErrCorrupt", i, mask, err)
			}
		}
	}
	for n := range data {
		if _, _, err := Parse(data[:n]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("truncated to %d bytes: err = %v, want ErrCorrupt", n, err)
		}
	}
	if _, _, err := Parse(append(bytes.Clone(data), 0)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("trailing byte: err = %v, want ErrCorrupt", err)
	}
}

func FuzzParse(f *testing.F) {
	h, payload := sample()
	f.Add(Append(nil, h, payload))
	f.Add(Append(nil, Header{}, nil))
	f.Add([]byte("CGE\x01"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, p, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			// Whatever the bytes, wrapping them as a payload round-trips.
			h2 := Header{Codec: 3, KeyCheck: uint64(len(data)), Compute: time.Duration(len(data))}
			g2, p2, err := Parse(Append(nil, h2, data))
			if err != nil || !bytes.Equal(p2, data) || g2.KeyCheck != h2.KeyCheck || g2.Compute != h2.Compute || g2.Codec != 3 {
				t.Fatalf("round trip of %d-byte payload: %+v, %v", len(data), g2, err)
			}
			return
		}
		// A parsed entry re-appends to the same bytes.
		if again := Append(nil, got, p); !bytes.Equal(again, data) {
			t.Fatalf("Parse then Append: %x, want %x", again, data)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	h, _ := sample()
	payload := bytes.Repeat([]byte("0123456789abcdef"), 64) // 1 KiB
	data := Append(nil, h, payload)
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := Parse(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("xxhash", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			_ = xxhash.Sum64(data)
		}
	})
}

// TestParseHeaderAlone reads a header from its bytes only, as tools that
// summarise many entries do, and rejects what is not a header.
func TestParseHeaderAlone(t *testing.T) {
	h := Header{Codec: 1, KeyCheck: 7, Created: time.Unix(1700000000, 5), Compute: 3 * time.Second}
	data := Append(nil, h, []byte("payload"))
	got, err := ParseHeader(data[:HeaderSize])
	if err != nil {
		t.Fatal(err)
	}
	if got.Codec != h.Codec || got.KeyCheck != h.KeyCheck || !got.Created.Equal(h.Created) || got.Compute != h.Compute || got.PayloadSize != 7 {
		t.Fatalf("ParseHeader = %+v, want the fields of %+v and a 7-byte payload", got, h)
	}
	for _, bad := range [][]byte{data[:HeaderSize-1], append([]byte("XYZ"), data[3:HeaderSize]...)} {
		if _, err := ParseHeader(bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("ParseHeader(%q...) = %v, want ErrCorrupt", bad[:4], err)
		}
	}
}
