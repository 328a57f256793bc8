package runtime

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/cachegen/cachegen/runtime/internal/entry"
)

// EntryHeaderSize is how many leading bytes of a stored entry
// ParseEntryHeader needs: tools that only summarise entries read this much
// of each and no more.
const EntryHeaderSize = entry.HeaderSize

// EntryInfo is what a stored cache entry says about itself, for tools such
// as cachegen inspect and stats.
type EntryInfo struct {
	// Created is when the entry was made.
	Created time.Time `json:"created"`
	// Compute is how long the function ran to produce the result: the time
	// a hit saves.
	Compute time.Duration `json:"compute"`
	// PayloadSize is the encoded result's length in bytes.
	PayloadSize int64 `json:"payload_size"`
	// Codec identifies the payload's encoding.
	Codec uint8 `json:"codec"`
}

// ParseEntry checks a whole stored entry (header, payload and checksum) and
// returns what its header says. A corrupt entry is an error.
func ParseEntry(data []byte) (EntryInfo, error) {
	h, _, err := entry.Parse(data)
	if err != nil {
		return EntryInfo{}, err
	}
	return EntryInfo{Created: h.Created, Compute: h.Compute, PayloadSize: h.PayloadSize, Codec: h.Codec}, nil
}

// ParseEntryHeader reads the header from the first EntryHeaderSize bytes of
// a stored entry without the payload, so it checks the magic and format
// version but cannot verify the checksum: use it to summarise many entries
// cheaply, and ParseEntry to trust one.
func ParseEntryHeader(data []byte) (EntryInfo, error) {
	if len(data) < entry.HeaderSize {
		return EntryInfo{}, fmt.Errorf("parse entry header: %d bytes, shorter than the %d-byte header: %w", len(data), entry.HeaderSize, entry.ErrCorrupt)
	}
	if string(data[:len(entry.Magic)]) != entry.Magic || data[len(entry.Magic)] != entry.Version {
		return EntryInfo{}, fmt.Errorf("parse entry header: not a format %d entry: %w", entry.Version, entry.ErrCorrupt)
	}
	// The header layout is documented in runtime/internal/entry: magic,
	// version, codec, key check, created, compute, payload size, checksum.
	le := binary.LittleEndian
	info := EntryInfo{
		Codec:       data[4],
		Compute:     time.Duration(le.Uint64(data[21:])),
		PayloadSize: int64(le.Uint64(data[29:])),
	}
	if n := int64(le.Uint64(data[13:])); n != 0 {
		info.Created = time.Unix(0, n)
	}
	return info, nil
}
