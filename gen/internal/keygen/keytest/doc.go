// Package keytest holds the two key encoders together: it declares types
// covering every rule of the canonical key encoding and tasks taking them
// (tasks.go), commits the key functions that keygen emits for those tasks
// (keys_gen.go), and its tests check that the generated file is up to date
// and that generated and reflective encoders agree on many values, fuzzed
// and random. It exists only for those tests.
//
// Regenerate keys_gen.go with
//
//	go test ./gen/internal/keygen/keytest -run TestGeneratedUpToDate -update
package keytest
