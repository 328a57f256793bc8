// Package storetest is the conformance suite of cachegen stores. Every
// backend's tests call [Run] with a [Harness] that makes a fresh, empty store;
// Run then checks each behaviour of the backends.Store contract in its own
// subtest, so a failure names the broken behaviour. To check your own store,
// put this in its package's tests and run go test:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) backends.Store {
//			return mystore.New(t.TempDir())
//		})
//	}
//
// A remote store passes [Options] to [RunOptions] instead, to raise the
// large value past its part size, list past one server page, and check that
// stores under different prefixes of one bucket stay apart:
//
//	storetest.RunOptions(t, newStore, storetest.Options{
//		Large:     20 << 20,
//		ListCount: 1100,
//		Prefixed:  func(t *testing.T, prefix string) backends.Store { return open(t, bucketOf(t), prefix) },
//	})
//
// The suite covers missing keys, round trips, overwrites, empty and large
// (streamed) values, the key layout the runtime writes, keys that are both an
// object and a prefix, deletes, the IfAbsent and IfVersion preconditions
// (including the check that fails when a server silently ignores one),
// concurrent writers and compare-and-swap loops, listing order and prefix
// semantics, pagination, early exit from a listing, failed and cancelled
// writes, cancelled contexts and, with Options.Prefixed, prefix isolation.
// It runs in well under a few seconds against a local store and performs a
// few thousand small operations against a remote one.
//
// Subtests do not run in parallel with each other, so a harness may hand out
// stores that share a server; each subtest must still get an empty store.
package storetest
