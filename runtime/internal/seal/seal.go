package seal

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
)

// Alg is a signature algorithm.
type Alg byte

// The algorithms.
const (
	HMACSHA256 Alg = 1
	Ed25519    Alg = 2
)

// Magic starts a trailer.
const Magic = "CGS1"

// domain separates these signatures from any other use of the keys.
const domain = "cachegen-entry-signature-v1\x00"

// ErrUnverified is wrapped by every verification failure.
var ErrUnverified = errors.New("seal: entry not signed by a trusted key")

// Key is a named key. An HMAC key signs and verifies; an ed25519 key with
// Private signs (and verifies with its public half); with only Public it
// verifies.
type Key struct {
	Name    string
	Alg     Alg
	Secret  []byte             // HMAC
	Private ed25519.PrivateKey // ed25519, signing
	Public  ed25519.PublicKey  // ed25519, verifying
}

// CanSign reports whether k can sign.
func (k *Key) CanSign() bool {
	return k.Alg == HMACSHA256 && len(k.Secret) > 0 || k.Alg == Ed25519 && len(k.Private) == ed25519.PrivateKeySize
}

// Append appends to ent, the bytes of an entry stored under name, the
// trailer that signs it with k (which must be able to sign).
func Append(ent []byte, name string, k *Key) []byte {
	out := ent
	out = append(out, Magic...)
	out = append(out, byte(k.Alg), byte(len(k.Name)))
	out = append(out, k.Name...)
	switch k.Alg {
	case HMACSHA256:
		out = append(out, mac(k.Secret, name, ent).Sum(nil)...)
	case Ed25519:
		out = append(out, ed25519.Sign(k.Private, message(name, ent))...)
	}
	return out
}

// Verify checks the trailer of an entry stored under name against the
// trusted keys (by name), and returns the name of the key that signed it.
func Verify(trusted map[string]*Key, name string, ent, trailer []byte) (string, error) {
	if len(trailer) < len(Magic)+2 || string(trailer[:len(Magic)]) != Magic {
		return "", fmt.Errorf("not signed: %w", ErrUnverified)
	}
	alg, n := Alg(trailer[len(Magic)]), int(trailer[len(Magic)+1])
	rest := trailer[len(Magic)+2:]
	if len(rest) < n {
		return "", fmt.Errorf("truncated signature: %w", ErrUnverified)
	}
	keyName, sig := string(rest[:n]), rest[n:]
	k := trusted[keyName]
	if k == nil {
		return keyName, fmt.Errorf("signed with key %q, which is not trusted: %w", keyName, ErrUnverified)
	}
	if k.Alg != alg {
		return keyName, fmt.Errorf("key %q: algorithm %d, want %d: %w", keyName, alg, k.Alg, ErrUnverified)
	}
	ok := false
	switch alg {
	case HMACSHA256:
		ok = hmac.Equal(sig, mac(k.Secret, name, ent).Sum(nil))
	case Ed25519:
		pub := k.Public
		if pub == nil && len(k.Private) == ed25519.PrivateKeySize {
			pub = k.Private.Public().(ed25519.PublicKey)
		}
		ok = len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, message(name, ent), sig)
	}
	if !ok {
		return keyName, fmt.Errorf("bad signature by key %q: %w", keyName, ErrUnverified)
	}
	return keyName, nil
}

// mac returns the HMAC of the signed message, fed in pieces.
func mac(secret []byte, name string, ent []byte) hash.Hash {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(domain))
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write(ent)
	return h
}

// message is the signed message in one piece, for ed25519.
func message(name string, ent []byte) []byte {
	m := make([]byte, 0, len(domain)+len(name)+1+len(ent))
	m = append(m, domain...)
	m = append(m, name...)
	m = append(m, 0)
	return append(m, ent...)
}
