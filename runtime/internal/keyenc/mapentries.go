package keyenc

import (
	"bytes"
	"slices"
)

// MapEntries collects the encoded entries of one map so they can be appended
// in sorted order. Its zero value is ready to use. For each entry the caller
// appends the encoded key to Buf and calls EndKey, then appends the encoded
// value to Buf and calls EndValue; AppendSorted then appends all entries
// ordered by their encoded keys (and, for equal keys, encoded values).
type MapEntries struct {
	// Buf is the scratch buffer that encoded keys and values are appended to.
	Buf []byte
	// ents holds where each entry's key and value lie in Buf.
	ents []span
	// start and keyEnd delimit the key of the entry being added.
	start, keyEnd int
}

// span records where one entry lies in Buf: the key is Buf[start:key], the
// value Buf[key:value].
type span struct{ start, key, value int }

// EndKey marks the end of the current entry's encoded key in Buf.
func (m *MapEntries) EndKey() { m.keyEnd = len(m.Buf) }

// EndValue marks the end of the current entry's encoded value in Buf.
func (m *MapEntries) EndValue() {
	m.ents = append(m.ents, span{start: m.start, key: m.keyEnd, value: len(m.Buf)})
	m.start = len(m.Buf)
}

// Add appends an entry from an encoded key and an encoded value.
func (m *MapEntries) Add(key, value []byte) {
	m.Buf = append(m.Buf, key...)
	m.EndKey()
	m.Buf = append(m.Buf, value...)
	m.EndValue()
}

// Len reports the number of entries added.
func (m *MapEntries) Len() int { return len(m.ents) }

// AppendSorted appends every entry, key then value, sorted by encoded key
// bytes and then by encoded value bytes, and returns the extended slice.
// It reorders the entries, so call it once, after the last EndValue.
func (m *MapEntries) AppendSorted(b []byte) []byte {
	buf := m.Buf
	slices.SortFunc(m.ents, func(x, y span) int {
		if c := bytes.Compare(buf[x.start:x.key], buf[y.start:y.key]); c != 0 {
			return c
		}
		return bytes.Compare(buf[x.key:x.value], buf[y.key:y.value])
	})
	for _, e := range m.ents {
		b = append(b, buf[e.start:e.value]...)
	}
	return b
}
