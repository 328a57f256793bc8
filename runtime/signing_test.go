package runtime_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends"
	_ "github.com/cachegen/cachegen/backends/redis" // redis://
	"github.com/cachegen/cachegen/internal/testserver"
	"github.com/cachegen/cachegen/runtime"
)

// signingRuntime builds a runtime over the store URL with the signing
// options, its memory layer off so every hit is read and verified.
func signingRuntime(t *testing.T, url string, opts ...runtime.Option) (*runtime.Runtime, context.Context) {
	t.Helper()
	opts = append(opts, runtime.WithStoreURL(url), runtime.WithMemoryLimit(0), runtime.WithLogger(slog.New(slog.DiscardHandler)))
	rt, err := runtime.New(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rt, runtime.WithRuntime(context.Background(), rt)
}

var signTask = &runtime.Task{ID: "example.com/m.Signed", Fingerprint: "0123456789abcdef"}

// value calls the task for key k; the function's own result is len(k).
func value(t *testing.T, ctx context.Context, k string) int {
	t.Helper()
	v, err := runtime.Cached(ctx, signTask, []byte(k), nil, func(context.Context) (int, error) { return len(k), nil })
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// plant writes raw bytes under the object of key k.
func plant(t *testing.T, rt *runtime.Runtime, k string, data []byte) {
	t.Helper()
	name := runtime.ObjectKey(runtime.DefaultNamespace, signTask, []byte(k))
	if _, err := rt.Store().Put(context.Background(), name, bytes.NewReader(data), backends.PutOptions{Size: int64(len(data))}); err != nil {
		t.Fatal(err)
	}
}

// read returns the raw bytes of the object of key k.
func read(t *testing.T, rt *runtime.Runtime, k string) []byte {
	t.Helper()
	rc, _, err := rt.Store().Get(context.Background(), runtime.ObjectKey(runtime.DefaultNamespace, signTask, []byte(k)))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// plantAndRead runs the attack on one store: the trusted writer stores a
// result; an attacker who can write the store plants a wrong value for
// other keys, unsigned, signed with its own key, or under a signature
// copied from the trusted entry; a trusted reader serves the first and
// none of the others.
func plantAndRead(t *testing.T, url string, writer, attacker, reader []runtime.Option) {
	w, wctx := signingRuntime(t, url, writer...)
	if v := value(t, wctx, "aaaa"); v != 4 {
		t.Fatalf("writer computed %d", v)
	}
	good := read(t, w, "aaaa")

	// The attacker's own runtime computes "wrong" values (999) for keys the
	// reader will ask for next, then swaps in wrong values.
	a, actx := signingRuntime(t, url, attacker...)
	for _, k := range []string{"bbbbb", "cccccc"} {
		if _, err := runtime.Cached(actx, signTask, []byte(k), nil, func(context.Context) (int, error) { return 999, nil }); err != nil {
			t.Fatal(err)
		}
	}
	// A valid trusted signature copied onto a wrong entry for another key,
	// and the trusted entry copied whole under another key.
	wrong := read(t, a, "bbbbb")
	entryLen := len(wrong) - trailerLen(wrong)
	plant(t, a, "ddddddd", append(bytes.Clone(wrong[:entryLen]), good[len(good)-trailerLen(good):]...))
	plant(t, a, "eeeeeeee", good)

	r, rctx := signingRuntime(t, url, reader...)
	if v := value(t, rctx, "aaaa"); v != 4 || r.Stats().StoreHits != 1 {
		t.Errorf("the trusted entry: %d, stats %+v; want a hit of 4", v, r.Stats())
	}
	for _, k := range []string{"bbbbb", "cccccc", "ddddddd", "eeeeeeee"} {
		if v := value(t, rctx, k); v != len(k) {
			t.Errorf("planted entry %s was served: %d, want the function's %d", k, v, len(k))
		}
	}
	if s := r.Stats(); s.StoreHits != 1 || s.Unverified < 3 {
		t.Errorf("stats %+v; want one hit and the planted entries unverified", s)
	}
}

// trailerLen is the length of the signature trailer at the end of an
// entry, 0 when it has none.
func trailerLen(b []byte) int {
	if i := bytes.LastIndex(b, []byte("CGS1")); i > 0 {
		return len(b) - i
	}
	return 0
}

// TestSignedEntries plants entries on a file store and on a real shared
// store (redis-server on loopback), with HMAC and with ed25519 keys.
func TestSignedEntries(t *testing.T) {
	secret := []byte("a shared secret of 32 bytes.....")
	pub, priv, err := ed25519.GenerateKey(strings.NewReader(strings.Repeat("k", 64)))
	if err != nil {
		t.Fatal(err)
	}
	_, attackerPriv, _ := ed25519.GenerateKey(strings.NewReader(strings.Repeat("x", 64)))
	modes := map[string]struct{ writer, attacker, reader []runtime.Option }{
		"hmac": {
			writer:   []runtime.Option{runtime.WithSigning(runtime.HMACKey("ci", secret))},
			attacker: []runtime.Option{runtime.WithSigning(runtime.HMACKey("ci", []byte("the attacker's own secret......")))},
			reader:   []runtime.Option{runtime.WithSigning(runtime.EntryKey{}, runtime.HMACKey("ci", secret))},
		},
		"ed25519": {
			writer:   []runtime.Option{runtime.WithSigning(runtime.Ed25519SigningKey("ci", priv))},
			attacker: []runtime.Option{runtime.WithSigning(runtime.Ed25519SigningKey("ci", attackerPriv))},
			reader:   []runtime.Option{runtime.WithSigning(runtime.EntryKey{}, runtime.Ed25519PublicKey("ci", pub))},
		},
		"unsigned attacker": {
			writer:   []runtime.Option{runtime.WithSigning(runtime.Ed25519SigningKey("ci", priv))},
			attacker: nil,
			reader:   []runtime.Option{runtime.WithSigning(runtime.EntryKey{}, runtime.Ed25519PublicKey("ci", pub))},
		},
	}
	srv := testserver.StartRedis(t)
	for name, m := range modes {
		t.Run(name+"/fs", func(t *testing.T) { plantAndRead(t, "file://"+t.TempDir(), m.writer, m.attacker, m.reader) })
		t.Run(name+"/redis", func(t *testing.T) {
			url := "redis://" + srv.Addr + "/0?prefix=" + strings.ReplaceAll(name, " ", "-")
			plantAndRead(t, url, m.writer, m.attacker, m.reader)
		})
	}
}

// TestKeyRotation checks that a reader trusting the old and the new key
// serves entries of both, and that dropping the old key drops its entries.
func TestKeyRotation(t *testing.T) {
	url := "file://" + t.TempDir()
	k1, k2 := runtime.HMACKey("k1", []byte("first secret, 32 bytes long....")), runtime.HMACKey("k2", []byte("second secret, 32 bytes long..."))
	_, w1 := signingRuntime(t, url, runtime.WithSigning(k1))
	value(t, w1, "old")
	_, w2 := signingRuntime(t, url, runtime.WithSigning(k2, k1))
	value(t, w2, "new!")
	both, bctx := signingRuntime(t, url, runtime.WithSigning(runtime.EntryKey{}, k1, k2))
	value(t, bctx, "old")
	value(t, bctx, "new!")
	if s := both.Stats(); s.StoreHits != 2 || s.Unverified != 0 {
		t.Errorf("trusting both keys: stats %+v, want two hits", s)
	}
	only2, octx := signingRuntime(t, url, runtime.WithSigning(runtime.EntryKey{}, k2))
	value(t, octx, "old")
	value(t, octx, "new!")
	if s := only2.Stats(); s.StoreHits != 1 || s.Unverified != 1 {
		t.Errorf("trusting the new key only: stats %+v, want the old entry unverified", s)
	}
}

// TestSignedDurableMemo checks that a planted durable memo entry is not
// replayed by a run that trusts keys.
func TestSignedDurableMemo(t *testing.T) {
	url := "file://" + t.TempDir()
	key := runtime.HMACKey("ci", []byte("a shared secret of 32 bytes....."))
	memo := &runtime.Task{ID: "example.com/m.Notify", Signature: "0123456789abcdef"}
	_, plain := signingRuntime(t, url)
	if _, err := runtime.Memo(runtime.NewRun(plain, runtime.RunID("r1")), memo, []byte("k"), nil, func(context.Context) (int, error) { return 666, nil }); err != nil {
		t.Fatal(err)
	}
	rt, ctx := signingRuntime(t, url, runtime.WithSigning(key))
	v, err := runtime.Memo(runtime.NewRun(ctx, runtime.RunID("r1")), memo, []byte("k"), nil, func(context.Context) (int, error) { return 1, nil })
	if err != nil || v != 1 || rt.Stats().Unverified != 1 {
		t.Errorf("memo = %d, %v, stats %+v; want the planted 666 refused", v, err, rt.Stats())
	}
}

// TestSigningEnv checks the environment's key syntax and that a bad key
// is an error that does not print the key.
func TestSigningEnv(t *testing.T) {
	t.Setenv(runtime.EnvSignKey, "ci:hmac:c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0") // "secretsecretsecretsecret"
	if _, err := runtime.New(context.Background(), runtime.WithStoreURL("mem://")); err != nil {
		t.Errorf("a good key: %v", err)
	}
	t.Setenv(runtime.EnvSignKey, "ci:hmac:TOPSECRET!!")
	_, err := runtime.New(context.Background(), runtime.WithStoreURL("mem://"))
	if err == nil || strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("a bad key: %v; want an error that does not show it", err)
	}
}
