package runtime

import (
	"sync/atomic"
	"time"
)

// counters are the runtime's statistics, updated atomically on the cache path.
type counters struct {
	memoryHits  counter // striped: every hit from every core adds to it
	storeHits   atomic.Int64
	misses      atomic.Int64
	storeErrors atomic.Int64
	corrupt     atomic.Int64
	uncached    atomic.Int64
	saved       counter // nanoseconds of compute time that hits did not spend
	memoHits    counter
	memoMisses  atomic.Int64
	unverified  atomic.Int64
}

// Stats are a runtime's counters since it was built.
type Stats struct {
	// Hits is MemoryHits + StoreHits.
	Hits int64
	// MemoryHits are hits served by the in-process layer.
	MemoryHits int64
	// StoreHits are hits read from the store.
	StoreHits int64
	// Misses are calls that ran the function (once per key for concurrent
	// identical calls).
	Misses int64
	// StoreErrors counts store operations that failed and were survived by
	// computing (or by not storing).
	StoreErrors int64
	// Unverified counts entries that were not signed by a trusted key
	// (see WithSigning) and were treated as misses.
	Unverified int64
	// StoreSkipped counts store operations the circuit breaker did not
	// send to a store that kept failing (see Budget).
	StoreSkipped int64
	// BreakerOpens counts the times the circuit breaker opened.
	BreakerOpens int64
	// Corrupt counts entries that failed a check (checksum, key, decoding)
	// and were treated as misses.
	Corrupt int64
	// Uncached counts calls that bypassed the cache: caching off, an
	// argument that could not be encoded, or a result type the codec rejects;
	// and memoised calls that ran unmemoised (a key that could not be
	// encoded, a digest collision).
	Uncached int64
	// TimeSaved is the sum, over hits, of how long the function took when
	// its result was computed.
	TimeSaved time.Duration
	// MemoHits are memoised calls (//memo:task) that returned an earlier
	// execution's result: from the run, a parent run, the store of a
	// durable run, or a concurrent execution they waited for.
	MemoHits int64
	// MemoMisses are memoised calls that executed the function.
	MemoMisses int64
}

// Stats returns a snapshot of the runtime's counters.
func (rt *Runtime) Stats() Stats {
	s := Stats{
		MemoryHits:  rt.stats.memoryHits.Load(),
		StoreHits:   rt.stats.storeHits.Load(),
		Misses:      rt.stats.misses.Load(),
		StoreErrors: rt.stats.storeErrors.Load(),
		Corrupt:     rt.stats.corrupt.Load(),
		Uncached:    rt.stats.uncached.Load(),
		TimeSaved:   time.Duration(rt.stats.saved.Load()),
		MemoHits:    rt.stats.memoHits.Load(),
		MemoMisses:  rt.stats.memoMisses.Load(),
		Unverified:  rt.stats.unverified.Load(),
	}
	for _, br := range rt.brs {
		s.StoreSkipped += br.skipped.Load()
		s.BreakerOpens += br.opens.Load()
	}
	s.Hits = s.MemoryHits + s.StoreHits
	return s
}
