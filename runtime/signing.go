package runtime

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cachegen/cachegen/runtime/internal/entry"
	"github.com/cachegen/cachegen/runtime/internal/seal"
)

// Signed entries. Anyone who can write to a shared store can plant an
// entry under the key a trusted run will compute next (the attack that made
// Nx withdraw its bucket caches). A runtime given a signing key signs every
// entry it writes (cached results and durable memo entries); a runtime that
// trusts keys serves only entries that verify with one of them: an
// unsigned entry, one signed with another key, and one whose signature was
// copied from another object are misses, logged once per task and counted
// (Stats.Unverified). A signature covers the object name as well as the
// bytes. With HMAC-SHA256 every holder of the secret can sign; with
// ed25519 a CI pipeline holds the private key and every reader, pull
// requests included, only public keys. Keys are named, so a reader can
// trust the old and the new key while a writer switches (rotation). Hits
// from the in-process layer were verified when they were read, and are
// not verified again.

// Environment variables for signing; keys are never logged.
const (
	// EnvSignKey is the key this process signs entries with:
	// "name:hmac:BASE64" (a shared secret) or "name:ed25519:BASE64" (a
	// 32-byte seed or 64-byte private key).
	EnvSignKey = "CACHEGEN_SIGN_KEY"
	// EnvTrustedKeys are the keys entries must be signed with to be served,
	// comma-separated: "name:hmac:BASE64" or "name:ed25519:BASE64" (a
	// 32-byte public key). A signing key is trusted too.
	EnvTrustedKeys = "CACHEGEN_TRUSTED_KEYS"
)

// EntryKey is a named key that signs entries or verifies their signatures;
// build one with [HMACKey], [Ed25519SigningKey] or [Ed25519PublicKey].
type EntryKey struct {
	k seal.Key
}

// HMACKey is a shared secret: it signs and verifies.
func HMACKey(name string, secret []byte) EntryKey {
	return EntryKey{seal.Key{Name: name, Alg: seal.HMACSHA256, Secret: secret}}
}

// Ed25519SigningKey is a private key: it signs, and its public half
// verifies.
func Ed25519SigningKey(name string, key ed25519.PrivateKey) EntryKey {
	return EntryKey{seal.Key{Name: name, Alg: seal.Ed25519, Private: key, Public: key.Public().(ed25519.PublicKey)}}
}

// Ed25519PublicKey is a public key: it only verifies.
func Ed25519PublicKey(name string, key ed25519.PublicKey) EntryKey {
	return EntryKey{seal.Key{Name: name, Alg: seal.Ed25519, Public: key}}
}

// WithSigning makes the runtime sign the entries it writes with sign (a
// zero EntryKey: sign nothing) and serve only entries signed by sign or by
// one of trusted (none of either: serve unsigned entries too).
func WithSigning(sign EntryKey, trusted ...EntryKey) Option {
	return func(c *config) {
		c.signing = &signingConfig{sign: sign, trusted: trusted}
	}
}

type signingConfig struct {
	sign    EntryKey
	trusted []EntryKey
}

// signer is a runtime's keys. The zero value signs nothing and accepts
// every entry.
type signer struct {
	sign    *seal.Key            // nil: entries are not signed
	trusted map[string]*seal.Key // empty: entries are not verified
}

// newSigner checks a configuration.
func newSigner(c *signingConfig) (signer, error) {
	var s signer
	if c == nil {
		return s, nil
	}
	if c.sign.k.Name != "" {
		if !c.sign.k.CanSign() {
			return s, fmt.Errorf("signing key %q cannot sign (a public key?)", c.sign.k.Name)
		}
		k := c.sign.k
		s.sign = &k
	}
	all := c.trusted
	if s.sign != nil {
		all = append([]EntryKey{c.sign}, all...)
	}
	for _, t := range all {
		k := t.k
		if k.Name == "" || len(k.Name) > 255 {
			return s, errors.New("an entry key needs a name of 1 to 255 bytes")
		}
		if s.trusted == nil {
			s.trusted = make(map[string]*seal.Key)
		}
		s.trusted[k.Name] = &k
	}
	return s, nil
}

// seal signs an entry about to be stored under name.
func (s *signer) seal(name string, data []byte) []byte {
	if s.sign == nil {
		return data
	}
	return seal.Append(data, name, s.sign)
}

// open returns the entry stored under name without its signature, or an
// error wrapping seal.ErrUnverified when the runtime trusts keys and none
// signed it.
func (s *signer) open(name string, data []byte) ([]byte, error) {
	if len(s.trusted) == 0 {
		return data, nil // entry.Parse skips a trailer it does not verify
	}
	ent, trailer, err := entry.Split(data)
	if err != nil {
		return nil, err
	}
	if _, err := seal.Verify(s.trusted, name, ent, trailer); err != nil {
		return nil, err
	}
	return ent, nil
}

// unverified counts and reports an entry that did not verify.
func (rt *Runtime) unverified(ctx context.Context, task, name string, err error) {
	rt.stats.unverified.Add(1)
	rt.logOnce(ctx, task, "cachegen: an entry is not signed by a trusted key; computing instead", "task", task, "key", name, "err", err)
}

// signingFromEnv reads EnvSignKey and EnvTrustedKeys.
func signingFromEnv() (*signingConfig, error) {
	sign, trusted := os.Getenv(EnvSignKey), os.Getenv(EnvTrustedKeys)
	if sign == "" && trusted == "" {
		return nil, nil
	}
	c := &signingConfig{}
	if sign != "" {
		k, err := parseEntryKey(EnvSignKey, sign, true)
		if err != nil {
			return nil, err
		}
		c.sign = k
	}
	for _, item := range strings.Split(trusted, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		k, err := parseEntryKey(EnvTrustedKeys, item, false)
		if err != nil {
			return nil, err
		}
		c.trusted = append(c.trusted, k)
	}
	return c, nil
}

// parseEntryKey parses "name:hmac:BASE64" or "name:ed25519:BASE64". Its
// errors never quote the key material.
func parseEntryKey(env, v string, signing bool) (EntryKey, error) {
	name, rest, ok1 := strings.Cut(v, ":")
	alg, b64, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 || name == "" {
		return EntryKey{}, fmt.Errorf("%s: want name:hmac:BASE64 or name:ed25519:BASE64", env)
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		raw, err = base64.RawURLEncoding.DecodeString(strings.TrimSpace(b64))
	}
	if err != nil {
		return EntryKey{}, fmt.Errorf("%s: key %q: the key is not base64", env, name)
	}
	switch alg {
	case "hmac":
		if len(raw) < 16 {
			return EntryKey{}, fmt.Errorf("%s: key %q: an HMAC secret needs at least 16 bytes", env, name)
		}
		return HMACKey(name, raw), nil
	case "ed25519":
		switch {
		case signing && len(raw) == ed25519.SeedSize:
			return Ed25519SigningKey(name, ed25519.NewKeyFromSeed(raw)), nil
		case signing && len(raw) == ed25519.PrivateKeySize:
			return Ed25519SigningKey(name, ed25519.PrivateKey(raw)), nil
		case !signing && len(raw) == ed25519.PublicKeySize:
			return Ed25519PublicKey(name, ed25519.PublicKey(raw)), nil
		}
		return EntryKey{}, fmt.Errorf("%s: key %q: an ed25519 key of %d bytes; want a 32-byte seed or 64-byte private key to sign, a 32-byte public key to trust", env, name, len(raw))
	}
	return EntryKey{}, fmt.Errorf("%s: key %q: algorithm %q; want hmac or ed25519", env, name, alg)
}
