// Package lease runs a function once across every process that shares a
// [backends.Store], for the directive option lock (lock=TIMEOUT): the first
// caller takes a lease on the key and computes; the others wait for its
// result, take the lease over if its holder died, and past their timeout
// compute anyway.
//
// # Protocol
//
// A lease is one small object (a JSON record of the holder's identity and
// the absolute time its lease expires) under the lock key, conventionally
// lock/<namespace>/<task>/<fingerprint>/<argdigest>. Only the Store
// interface is used, so the protocol works on every store whose conditional
// writes are atomic (storetest checks that):
//
//   - acquire: Put with IfAbsent. If the object exists and its expiry has
//     passed (or it does not decode), Put with IfVersion on the version just
//     read: of several waiters that saw the same stale version, exactly one
//     wins the compare-and-swap.
//   - hold: a goroutine rewrites the record with a new expiry every
//     Period/3, with IfVersion on the version of its previous write. A
//     precondition failure means the lease was taken over (or removed), and
//     [Lease.Lost] is closed; so is it when no renewal succeeded before the
//     lease's own expiry.
//   - release: the renewer stops; the object is deleted if it still has the
//     version of our last write. When our expiry is too close for that check
//     to be safe, the record is instead overwritten (compare-and-swap) with
//     an already expired one, which the next caller takes over.
//
// [Run] wraps the protocol around a body: after winning the lease it asks
// ready whether the result has appeared meanwhile (a holder that finished
// between the caller's miss and this acquisition) and computes only if not;
// a waiter polls ready every Poll (with jitter) and returns ran=false as
// soon as it reports the result. A holder that crashes stops renewing, so
// its lease expires at most one Period after its last renewal, and the
// next poll of a waiter takes it over: a crashed holder delays the others
// by at most about one Period.
//
// # Clocks
//
// The expiry is an absolute time from the holder's clock, compared with the
// waiter's clock. The protocol assumes the clocks of processes that share a
// store differ by much less than Period (10s by default; NTP keeps hosts
// within milliseconds): a waiter whose clock runs ahead by d takes over a
// live lease d early, and one whose clock runs behind waits d longer. A
// wrong clock can only make the body run twice or later, never give a wrong
// result: the lease is an optimisation, the cache entry is the truth.
//
// # Failures
//
// The store never breaks the caller: an error from the store (other than the
// caller's own cancelled context) is logged and degrades to running the
// body without a lease; an error from ready does too. A holder that loses
// its lease keeps running its body to the end: its result is still correct,
// and the worst outcome is a second computation.
package lease
