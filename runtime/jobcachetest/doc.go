// Package jobcachetest is the conformance suite of job caches
// (runtime.JobCache, NamedCache, SharedCache) over a store. A backend's
// tests call [Run] with a function that makes a fresh, empty store, and the
// suite checks, one subtest per behaviour, that job caches work on it:
//
//	func TestJobCache(t *testing.T) {
//		jobcachetest.Run(t, func(t *testing.T) backends.Store {
//			return mystore.New(t.TempDir())
//		}, jobcachetest.Options{Large: 256 << 20})
//	}
//
// It covers save, load, overwrite and missing keys; isolation between jobs,
// shared caches and named caches in their own store; nested groups and
// sorted direct listings; a key and a group of the same name; deletes;
// every rejected shape of key, group, job ID and cache name (with no store
// I/O); streaming a large value with bounded memory; and concurrent
// writers in one group.
//
// Subtests do not run in parallel with each other.
package jobcachetest
