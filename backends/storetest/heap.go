package storetest

import (
	"runtime"
	"time"
)

// HeapPeak samples the Go heap in use (runtime.MemStats.HeapInuse) every
// 10ms until stop is called, which returns the highest sample: for tests
// that stream large values through a store and bound the memory it takes.
func HeapPeak() (stop func() uint64) {
	done, out := make(chan struct{}), make(chan uint64, 1)
	go func() {
		var ms runtime.MemStats
		var peak uint64
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-out }
}
