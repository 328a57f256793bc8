package seal

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
)

func keys(t testing.TB) (hm, ed, edPub, other *Key) {
	pub, priv, err := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	hm = &Key{Name: "ci-2026", Alg: HMACSHA256, Secret: []byte("0123456789abcdef0123456789abcdef")}
	ed = &Key{Name: "ci-ed", Alg: Ed25519, Private: priv, Public: pub}
	edPub = &Key{Name: "ci-ed", Alg: Ed25519, Public: pub}
	other = &Key{Name: "ci-2026", Alg: HMACSHA256, Secret: []byte("another secret of the same name")}
	return
}

// TestSealVerify checks both algorithms, and every way a planted entry
// fails: no trailer, an untrusted key, a secret that is not the trusted
// one under the same name, a signature over other bytes, and one over the
// same bytes under another object name.
func TestSealVerify(t *testing.T) {
	hm, ed, edPub, other := keys(t)
	ent := []byte("entry bytes")
	for _, c := range []struct {
		name    string
		signer  *Key
		trusted map[string]*Key
	}{
		{"hmac", hm, map[string]*Key{hm.Name: hm}},
		{"ed25519 with the public key only", ed, map[string]*Key{edPub.Name: edPub}},
	} {
		sealed := Append(bytes.Clone(ent), "cache/ns/t/fp/d1", c.signer)
		trailer := sealed[len(ent):]
		if name, err := Verify(c.trusted, "cache/ns/t/fp/d1", ent, trailer); err != nil || name != c.signer.Name {
			t.Errorf("%s: a good signature: %q, %v", c.name, name, err)
		}
		bad := map[string]error{}
		_, bad["unsigned"] = Verify(c.trusted, "cache/ns/t/fp/d1", ent, nil)
		_, bad["other object name"] = Verify(c.trusted, "cache/ns/t/fp/d2", ent, trailer)
		_, bad["other bytes"] = Verify(c.trusted, "cache/ns/t/fp/d1", []byte("entry bytez"), trailer)
		_, bad["truncated"] = Verify(c.trusted, "cache/ns/t/fp/d1", ent, trailer[:len(trailer)-1])
		_, bad["untrusted key"] = Verify(map[string]*Key{}, "cache/ns/t/fp/d1", ent, trailer)
		for what, err := range bad {
			if !errors.Is(err, ErrUnverified) {
				t.Errorf("%s: %s: %v, want ErrUnverified", c.name, what, err)
			}
		}
	}
	forged := Append(bytes.Clone(ent), "k", other)
	if _, err := Verify(map[string]*Key{hm.Name: hm}, "k", ent, forged[len(ent):]); !errors.Is(err, ErrUnverified) {
		t.Errorf("a secret other than the trusted one, under its name: %v", err)
	}
	if edPub.CanSign() || !ed.CanSign() || !hm.CanSign() {
		t.Errorf("CanSign: public %v, private %v, hmac %v", edPub.CanSign(), ed.CanSign(), hm.CanSign())
	}
}

// FuzzVerify checks that no trailer an attacker writes panics Verify or
// verifies without the secret.
func FuzzVerify(f *testing.F) {
	hm, _, _, _ := keys(f)
	good := Append(nil, "name", hm)
	f.Add(good, "name")
	f.Add([]byte(Magic+"\x01\x07ci-2026"), "name")
	f.Add([]byte{}, "")
	f.Fuzz(func(t *testing.T, trailer []byte, name string) {
		_, err := Verify(map[string]*Key{hm.Name: hm}, name, nil, trailer)
		if err == nil && !(name == "name" && bytes.Equal(trailer, good)) {
			t.Fatalf("a trailer verified that the key did not make: %q", trailer)
		}
	})
}
