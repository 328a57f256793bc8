// Package seal signs stored entries and verifies their signatures.
//
// A signed entry is the entry's bytes (package entry) followed by a
// trailer:
//
//	"CGS1" | algorithm (1 byte) | key name length (1 byte) | key name | signature
//
// The signature covers a domain string, the object name the entry is
// stored under and the entry's bytes, so an entry (or its trailer) copied
// under another key does not verify. Two algorithms: HMAC-SHA256 with a
// shared secret, and ed25519, where writers hold a private key and readers
// only public keys, so a job that can write the bucket but holds no
// private key cannot make an entry trusted readers accept. Keys are named
// in the trailer, so readers can trust several (rotation).
package seal
