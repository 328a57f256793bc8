package runtime

import (
	"context"
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
	rt, err := New(context.Background(), WithStore(store), WithMemoryLimit(memory), WithLogger(quiet()), WithSigning(key))
	if err != nil {
		b.Fatal(err)
	}
	ctx := WithRuntime(context.Background(), rt)
	var buf [128]byte
	Cached(ctx, &benchTask, benchKey(buf[:0], "sample-42", 7), nil, benchBody)
	b.ReportAllocs()
	for b.Loop() {
		k := benchKey(buf[:0], "sample-42", 7)
		if _, err := Cached(ctx, &benchTask, k, nil, benchBody); err != nil {
			b.Fatal(err)
		}
	}
	if s := rt.Stats(); s.Misses != 1 || s.Unverified != 0 {
		b.Fatalf("stats %+v: the loop missed", s)
	}
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
