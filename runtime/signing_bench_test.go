package runtime

import (
	"crypto/ed25519"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends/fs"
)

// benchSigned measures hits of a signed entry: cold (memory off: each hit
// reads and verifies) or warm (the in-process layer, verified once).
func benchSigned(b *testing.B, key EntryKey, memory int64) {
	store, err := fs.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	benchHits(b, &benchTask, memory > 0, WithStore(store), WithMemoryLimit(memory), WithSigning(key))
}

func benchKeys() (EntryKey, EntryKey) {
	_, priv, _ := ed25519.GenerateKey(strings.NewReader(strings.Repeat("k", 64)))
	return HMACKey("ci", []byte("a shared secret of 32 bytes.....")), Ed25519SigningKey("ci", priv)
}

// BenchmarkHitColdSigned is BenchmarkHitCold with each hit's signature
// verified: HMAC-SHA256 and ed25519.
func BenchmarkHitColdSigned(b *testing.B) {
	hm, ed := benchKeys()
	b.Run("hmac", func(b *testing.B) { benchSigned(b, hm, 0) })
	b.Run("ed25519", func(b *testing.B) { benchSigned(b, ed, 0) })
}

// BenchmarkHitWarmSigned is BenchmarkHitWarm with signed entries: the
// in-process layer holds verified payloads, so a warm hit verifies
// nothing.
func BenchmarkHitWarmSigned(b *testing.B) {
	hm, ed := benchKeys()
	b.Run("hmac", func(b *testing.B) { benchSigned(b, hm, DefaultMemoryLimit) })
	b.Run("ed25519", func(b *testing.B) { benchSigned(b, ed, DefaultMemoryLimit) })
}
