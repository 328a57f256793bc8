package entry

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/cespare/xxhash/v2"
)

// Format constants; see the package documentation for the layout.
const (
	// Magic starts every entry.
	Magic = "CGE"
	// Version is the format version written by Append and the only one
	// Parse accepts.
	Version = 1
	// HeaderSize is the fixed size of the header that precedes the payload.
	HeaderSize = 45

	offCodec    = 4
	offKeyCheck = 5
	offCreated  = 13
	offCompute  = 21
	offSize     = 29
	offChecksum = 37
)

// ErrCorrupt is wrapped by every error Parse returns.
var ErrCorrupt = errors.New("entry: corrupt")

// Header describes a stored entry.
type Header struct {
	// Codec identifies the payload's encoding (codec.ID).
	Codec uint8
	// KeyCheck is a check of the full key material, computed by the
	// runtime and compared by it on every read.
	KeyCheck uint64
	// Created is when the entry was made, stored as Unix nanoseconds (so
	// without location or monotonic reading); the zero Time round-trips.
	Created time.Time
	// Compute is how long the function ran to produce the result.
	Compute time.Duration
	// PayloadSize is the payload's length. Append ignores the field and
	// writes the real length; Parse fills it in.
	PayloadSize int64
	// Checksum is the entry's checksum. Append ignores the field and
	// computes it; Parse fills it in after verifying it.
	Checksum uint64
}

// Append appends the header for payload and then payload to b.
func Append(b []byte, h Header, payload []byte) []byte {
	start := len(b)
	b = append(b, Magic...)
	b = append(b, Version, h.Codec)
	b = binary.LittleEndian.AppendUint64(b, h.KeyCheck)
	b = binary.LittleEndian.AppendUint64(b, uint64(unixNano(h.Created)))
	b = binary.LittleEndian.AppendUint64(b, uint64(h.Compute))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(payload)))
	b = binary.LittleEndian.AppendUint64(b, checksum(b[start:], payload))
	return append(b, payload...)
}

// TrailerMagic starts the only bytes an entry may be followed by: a
// signature trailer (see runtime/internal/seal).
const TrailerMagic = "CGS"

// Split separates an entry from the signature trailer that may follow it,
// using the payload size its header gives. The trailer is nil when there is
// none; an entry followed by anything but a trailer is corrupt.
func Split(data []byte) (ent, trailer []byte, err error) {
	h, err := ParseHeader(data)
	if err != nil {
		return nil, nil, err
	}
	n := int64(HeaderSize) + h.PayloadSize
	if h.PayloadSize < 0 || n > int64(len(data)) {
		return nil, nil, fmt.Errorf("entry: parse: %d bytes, header says %d: %w", len(data), uint64(n), ErrCorrupt)
	}
	ent, trailer = data[:n], data[n:]
	if len(trailer) == 0 {
		return ent, nil, nil
	}
	if len(trailer) < len(TrailerMagic) || string(trailer[:len(TrailerMagic)]) != TrailerMagic {
		return nil, nil, fmt.Errorf("entry: parse: %d bytes after the payload: %w", len(trailer), ErrCorrupt)
	}
	return ent, trailer, nil
}

// Parse checks data and returns its header and payload (a sub-slice of data,
// not a copy). A wrong magic or format version, truncated or overlong data
// (other than a signature trailer, which Parse ignores: verifying it is the
// runtime's business) and a bad checksum are errors wrapping ErrCorrupt.
func Parse(data []byte) (Header, []byte, error) {
	data, _, err := Split(data)
	if err != nil {
		return Header{}, nil, err
	}
	h, err := ParseHeader(data)
	if err != nil {
		return Header{}, nil, err
	}
	payload := data[HeaderSize:]
	if h.PayloadSize != int64(len(payload)) {
		return Header{}, nil, fmt.Errorf("entry: parse: payload of %d bytes, header says %d: %w", len(payload), uint64(h.PayloadSize), ErrCorrupt)
	}
	if sum := checksum(data[:offChecksum], payload); sum != h.Checksum {
		return Header{}, nil, fmt.Errorf("entry: parse: checksum %016x, header says %016x: %w", sum, h.Checksum, ErrCorrupt)
	}
	return h, payload, nil
}

// ParseHeader reads the header from the first HeaderSize bytes of an entry,
// checking the magic and format version only: without the payload it
// cannot verify the checksum. Tools use it to summarise many entries
// cheaply; Parse is what trusts one.
func ParseHeader(data []byte) (Header, error) {
	if len(data) < HeaderSize {
		return Header{}, fmt.Errorf("entry: parse: %d bytes, shorter than the %d-byte header: %w", len(data), HeaderSize, ErrCorrupt)
	}
	if string(data[:3]) != Magic {
		return Header{}, fmt.Errorf("entry: parse: magic %q, want %q: %w", data[:3], Magic, ErrCorrupt)
	}
	if data[3] != Version {
		return Header{}, fmt.Errorf("entry: parse: format version %d, want %d: %w", data[3], Version, ErrCorrupt)
	}
	le := binary.LittleEndian
	return Header{
		Codec:       data[offCodec],
		KeyCheck:    le.Uint64(data[offKeyCheck:]),
		Created:     fromUnixNano(int64(le.Uint64(data[offCreated:]))),
		Compute:     time.Duration(le.Uint64(data[offCompute:])),
		PayloadSize: int64(le.Uint64(data[offSize:])),
		Checksum:    le.Uint64(data[offChecksum:]),
	}, nil
}

// checksum is xxhash64 of the payload folded, with xxhash64 again, into the
// header bytes before the checksum field: one pass over the payload, and
// every header byte counts.
func checksum(header, payload []byte) uint64 {
	var buf [offChecksum + 8]byte
	copy(buf[:], header[:offChecksum])
	binary.LittleEndian.PutUint64(buf[offChecksum:], xxhash.Sum64(payload))
	return xxhash.Sum64(buf[:])
}

// unixNano maps the zero Time to 0, so that it survives a round trip
// (time.Time{}.UnixNano is out of range).
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
