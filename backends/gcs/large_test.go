package gcs_test

import (
	"flag"
	"io"
	"os"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/gcs"
	"github.com/cachegen/cachegen/backends/storetest"
)

// peakRSS returns the process's peak resident set (VmHWM) on Linux, or "".
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// largeSize is the length of TestLargeValue's value. The default is 256 MiB,
// not 1 GiB, because of the emulator: fake-gcs-server v1.56.1 copies the
// whole upload so far on each resumable chunk, so its time grows with the
// square of the size (128 MiB: 3 s, 256 MiB: 10 s, 1 GiB: 130 s with 8 MiB
// chunks), while the store's own memory stays at one chunk. Run
// -gcs.large=1073741824 for the full 1 GiB.
var largeSize = flag.Int64("gcs.large", 256<<20, "bytes TestLargeValue writes and reads back")

// TestLargeValue writes and reads back a large value through the store,
// checking every byte, and that neither direction holds the value in memory.
func TestLargeValue(t *testing.T) {
	if testing.Short() {
		t.Skip("large round trip; skipped with -short")
	}
	e := needEmulator(t)
	n := *largeSize
	s := e.newStore(t, gcs.Config{Bucket: e.newBucket(t), Timeout: time.Minute})
	goruntime.GC()
	stop := storetest.HeapPeak()
	start := time.Now()
	info, err := s.Put(t.Context(), "big", storetest.Pattern(n), backends.PutOptions{Size: n})
	if err != nil {
		t.Fatalf("Put of %d bytes: %v", n, err)
	}
	putTime := time.Since(start)
	if info.Size != n {
		t.Fatalf("Put Info.Size = %d, want %d", info.Size, n)
	}
	start = time.Now()
	rc, gi, err := s.Get(t.Context(), "big")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	defer rc.Close()
	if gi.Size != n || gi.Version != info.Version {
		t.Errorf("Get Info %+v, Put Info %+v", gi, info)
	}
	buf := make([]byte, 1<<20)
	var off int64
	for {
		m, err := rc.Read(buf)
		for i := range m {
			if buf[i] != storetest.PatternByte(off+int64(i)) {
				t.Fatalf("byte %d = %#x, want %#x", off+int64(i), buf[i], storetest.PatternByte(off+int64(i)))
			}
		}
		off += int64(m)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read at %d: %v", off, err)
		}
	}
	if off != n {
		t.Fatalf("read %d bytes, want %d", off, n)
	}
	peak := stop()
	t.Logf("%d MiB: put %v, get %v; peak Go heap in use %d MiB, peak RSS %s", n>>20, putTime, time.Since(start), peak>>20, peakRSS())
	if peak > 64<<20 {
		t.Errorf("peak heap %d MiB while streaming %d MiB: the value is being buffered", peak>>20, n>>20)
	}
}
