package runtime

import (
	"fmt"
	"time"

	"github.com/cachegen/cachegen/runtime/internal/codec"
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
	h, err := entry.ParseHeader(data)
	if err != nil {
		return EntryInfo{}, err
	}
	return EntryInfo{Created: h.Created, Compute: h.Compute, PayloadSize: h.PayloadSize, Codec: h.Codec}, nil
}

// DecodeEntry checks a whole stored entry and decodes its result as R: for
// tools that show a stored value (cachegen inspect -value), in a program
// that knows the task's result type.
func DecodeEntry[R any](data []byte) (R, error) {
	var r R
	h, payload, err := entry.Parse(data)
	if err != nil {
		return r, err
	}
	if h.Codec != codec.ID {
		return r, fmt.Errorf("codec %d, want %d", h.Codec, codec.ID)
	}
	c, err := codec.For[R]()
	if err != nil {
		return r, err
	}
	err = c.Decode(payload, &r)
	return r, err
}
