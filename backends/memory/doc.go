// Package memory is the in-memory cachegen store, registered under the URL
// scheme mem.
//
// Objects live in a map guarded by a mutex; versions come from a counter of
// writes, so every write (including a delete followed by a re-create) gets a
// version never used before by that store. Values are copied on Put, Get and
// ReadAll, so callers can never change stored bytes.
//
// Every open of a mem:// URL (the host, path and query are ignored) returns a
// fresh, empty store: nothing is shared between opens or outlives the
// process. It is meant for tests and for runs that need no persistence:
//
//	s, err := backends.Open(ctx, "mem://")
package memory
