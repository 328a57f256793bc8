package s3_test

import (
	"github.com/cachegen/cachegen/backends/storetest"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/cachegen/cachegen/backends"
)

// genReader streams n deterministic pseudo-random bytes without holding
// them: byte i depends only on i.
type genReader struct{ off, n int64 }

func (g *genReader) Read(p []byte) (int, error) {
	if g.off >= g.n {
		return 0, io.EOF
	}
	m := min(int64(len(p)), g.n-g.off)
	for i := range m {
		p[i] = byte(uint64(g.off+i) * 0x9E3779B97F4A7C15 >> 56)
	}
	g.off += m
	return int(m), nil
}

// peakRSS is the process's resident high-water mark (VmHWM) in bytes, or 0
// where /proc is missing.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestLargeValue writes and reads back 1 GiB through a reader of unknown
// length, checking the content by hash and that neither direction holds
// the value in memory.
func TestLargeValue(t *testing.T) {
	if testing.Short() {
		t.Skip("1 GiB round trip skipped in -short mode")
	}
	srv := needServer(t)
	st := srv.open(t, srv.newBucket(t), "big")
	const n = 1 << 30
	const budget = 96 << 20 // parts in flight plus SDK buffers, far below n

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	rssBefore := peakRSS()
	stop := storetest.HeapPeak()

	start := time.Now()
	sent := xxhash.New()
	info, err := st.Put(t.Context(), "k/huge", io.TeeReader(&genReader{n: n}, sent), backends.PutOptions{Size: -1})
	if err != nil {
		stop()
		t.Fatalf("Put of 1 GiB: %v", err)
	}
	putTime := time.Since(start)
	if info.Size != n {
		t.Errorf("Put Info.Size = %d, want %d", info.Size, n)
	}

	start = time.Now()
	rc, gi, err := st.Get(t.Context(), "k/huge")
	if err != nil {
		stop()
		t.Fatalf("Get: %v", err)
	}
	got := xxhash.New()
	m, err := io.Copy(got, rc)
	rc.Close()
	getTime := time.Since(start)
	heapInuse := stop()
	if err != nil || m != n || gi.Size != n {
		t.Fatalf("Get read %d bytes (Info.Size %d), err %v; want %d", m, gi.Size, err, n)
	}
	if got.Sum64() != sent.Sum64() {
		t.Fatalf("read back hash %x, wrote %x", got.Sum64(), sent.Sum64())
	}
	growth := int64(heapInuse) - int64(base.HeapInuse)
	t.Logf("1 GiB: put %v, get %v; peak HeapInuse %d MiB (+%d MiB over the start); peak RSS %d MiB (was %d MiB)",
		putTime.Round(time.Millisecond), getTime.Round(time.Millisecond),
		heapInuse>>20, growth>>20, peakRSS()>>20, rssBefore>>20)
	if growth > budget {
		t.Errorf("HeapInuse grew by %d MiB during the round trip, want under %d MiB: is the value buffered?", growth>>20, budget>>20)
	}
	if err := st.Delete(t.Context(), "k/huge"); err != nil {
		t.Errorf("Delete: %v", err)
	}
}
