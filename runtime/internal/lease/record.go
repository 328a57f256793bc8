package lease

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// maxRecord bounds the size of a lease object that is read and decoded; a
// larger object at a lock key is not ours and is treated as corrupt.
const maxRecord = 4 << 10

// record is the content of a lease object, stored as JSON so that a person
// listing a store can read who holds a lease and until when:
//
//	{"owner":"host/4242/9f86d081884c7d65","expires":"2026-01-02T15:04:05.123456789Z"}
//
// A released lease whose deletion was unsafe is a record whose expiry is the
// zero time.
type record struct {
	// Owner identifies the holder (by default hostname/pid/random); it is
	// only informative: ownership is proved by the object's version.
	Owner string `json:"owner"`
	// Expires is when the lease ends unless renewed, on the holder's clock,
	// in UTC.
	Expires time.Time `json:"expires"`
}

// expired reports whether the lease has ended at now (on the reader's clock).
func (r record) expired(now time.Time) bool { return !now.Before(r.Expires) }

// marshal encodes the record.
func (r record) marshal() []byte {
	r.Expires = r.Expires.UTC().Round(0)
	b, err := json.Marshal(r)
	if err != nil {
		// A string and a time.Time within JSON's range always encode.
		panic(fmt.Sprintf("lease: encode record: %v", err))
	}
	return b
}

// errBadRecord reports a lease object that is not a lease record.
var errBadRecord = errors.New("not a lease record")

// parseRecord decodes a lease object. Unknown fields are rejected, so that an
// object that only happens to be JSON is not read as a lease.
func parseRecord(data []byte) (record, error) {
	if len(data) > maxRecord {
		return record{}, fmt.Errorf("%w: %d bytes", errBadRecord, len(data))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r record
	if err := dec.Decode(&r); err != nil {
		return record{}, fmt.Errorf("%w: %w", errBadRecord, err)
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) != 0 {
		return record{}, fmt.Errorf("%w: trailing data", errBadRecord)
	}
	if r.Owner == "" {
		return record{}, fmt.Errorf("%w: no owner", errBadRecord)
	}
	return r, nil
}
