package jobcachetest

import (
	"errors"
	"fmt"
	"io"
	goruntime "runtime"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/storetest"
)

// checker verifies that what is written to it is storetest.Pattern's stream.
type checker struct{ off int64 }

func (c *checker) Write(b []byte) (int, error) {
	for i, v := range b {
		if want := storetest.PatternByte(c.off + int64(i)); v != want {
			return i, fmt.Errorf("byte %d = %#x, want %#x", c.off+int64(i), v, want)
		}
	}
	c.off += int64(len(b))
	return len(b), nil
}

func heapInuse() uint64 {
	goruntime.GC()
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// testStream writes Options.Large bytes through Writer and reads them back
// through Reader; unless the store holds values in the heap, neither
// direction may hold the value in memory.
func testStream(t *testing.T, newStore func(*testing.T) backends.Store, o Options) {
	n := o.large()
	c := jobCache(t, newStore(t), "job-s").Group("big")
	ctx := t.Context()
	base := heapInuse()
	stop := storetest.HeapPeak()
	w, err := c.Writer(ctx, "value")
	if err != nil {
		t.Fatalf("Writer: %v", err)
	}
	if _, err := io.CopyBuffer(w, storetest.Pattern(n), make([]byte, 64<<10)); err != nil {
		t.Fatalf("writing %d bytes: %v", n, err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Writer.Close: %v", err)
	}
	r, err := c.Reader(ctx, "value")
	if err != nil {
		t.Fatalf("Reader: %v", err)
	}
	ck := &checker{}
	_, err = io.CopyBuffer(ck, r, make([]byte, 64<<10))
	r.Close()
	peak := stop()
	if err != nil {
		t.Fatalf("reading back: %v", err)
	}
	if ck.off != n {
		t.Fatalf("read back %d bytes, want %d", ck.off, n)
	}
	growth := int64(peak) - int64(base)
	t.Logf("streamed %d MiB each way; heap in use grew by at most %d MiB", n>>20, growth>>20)
	if !o.HoldsValues && growth > n/4 {
		t.Errorf("heap in use grew by %d bytes for a %d-byte value: the value is held in memory", growth, n)
	}
}

// testAbandonedWriter checks that a writer closed with an error stores
// nothing and keeps the old value, and that an empty value streams.
func testAbandonedWriter(t *testing.T, newStore func(*testing.T) backends.Store, _ Options) {
	ctx := t.Context()
	c := jobCache(t, newStore(t), "job-w")
	mustSave(t, c, "k", "old")
	w, err := c.Writer(ctx, "k")
	if err != nil {
		t.Fatalf("Writer: %v", err)
	}
	if _, err := io.WriteString(w, "partial new value"); err != nil {
		t.Fatalf("Write: %v", err)
	}
	ab, ok := w.(interface{ CloseWithError(error) error })
	if !ok {
		t.Fatalf("Writer's %T has no CloseWithError", w)
	}
	ab.CloseWithError(errors.New("producer failed"))
	wantLoad(t, c, "k", "old")
	w, err = c.Writer(ctx, "fresh")
	if err != nil {
		t.Fatalf("Writer: %v", err)
	}
	ab = w.(interface{ CloseWithError(error) error })
	ab.CloseWithError(errors.New("producer failed"))
	wantMissing(t, c, "fresh")

	w, err = c.Writer(ctx, "empty")
	if err != nil {
		t.Fatalf("Writer: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close of an empty value: %v", err)
	}
	wantLoad(t, c, "empty", "")
}
