package storetest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// putIf writes val under key with opts and returns the error unchanged.
func putIf(t *testing.T, s backends.Store, key string, val []byte, opts backends.PutOptions) (backends.Info, error) {
	opts.Size = int64(len(val))
	return s.Put(t.Context(), key, bytes.NewReader(val), opts)
}

func testIfAbsent(t *testing.T, s backends.Store) {
	const key = "k/absent"
	info, err := putIf(t, s, key, []byte("first"), backends.PutOptions{IfAbsent: true})
	if err != nil {
		t.Fatalf("Put IfAbsent of a missing key: %v", err)
	}
	checkInfo(t, "Put IfAbsent", info, key, 5)
	_, err = putIf(t, s, key, []byte("second"), backends.PutOptions{IfAbsent: true})
	if !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("Put IfAbsent of a present key: err = %v, want ErrPrecondition", err)
	}
	wantValue(t, s, key, []byte("first"))
	if err := s.Delete(t.Context(), key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := putIf(t, s, key, []byte("third"), backends.PutOptions{IfAbsent: true}); err != nil {
		t.Fatalf("Put IfAbsent after Delete: %v", err)
	}
	wantValue(t, s, key, []byte("third"))
}

func testIfVersion(t *testing.T, s backends.Store, o Options) {
	const key = "k/cas"
	i1 := put(t, s, key, []byte("v1"))
	if o.SharedVersions {
		// The version of a nearer copy is refused; the refusal makes the
		// next read come from the shared level, whose version is taken.
		if _, err := putIf(t, s, key, []byte("v2"), backends.PutOptions{IfVersion: i1.Version}); !errors.Is(err, backends.ErrPrecondition) {
			t.Fatalf("Put IfVersion with a nearer level's version: %v, want ErrPrecondition", err)
		}
		_, i1, _ = read(t.Context(), s, key)
	}
	i2, err := putIf(t, s, key, []byte("v2"), backends.PutOptions{IfVersion: i1.Version})
	if err != nil {
		t.Fatalf("Put IfVersion with the current version: %v", err)
	}
	checkInfo(t, "Put IfVersion", i2, key, 2)
	if i2.Version == i1.Version {
		t.Errorf("a successful IfVersion put kept Version %q", i1.Version)
	}
	got := wantValue(t, s, key, []byte("v2"))
	if got.Version != i2.Version {
		t.Errorf("Get Version = %q, want %q", got.Version, i2.Version)
	}
	if _, err := putIf(t, s, key, []byte("v3"), backends.PutOptions{IfVersion: i2.Version}); err != nil {
		t.Fatalf("chained Put IfVersion: %v", err)
	}
	wantValue(t, s, key, []byte("v3"))
}

// testIfVersionStale is also the check that fails when a server ignores a
// precondition: a store that drops If-Match would overwrite the value.
func testIfVersionStale(t *testing.T, s backends.Store) {
	const key = "k/stale"
	i1 := put(t, s, key, []byte("v1"))
	put(t, s, key, []byte("v2"))
	_, err := putIf(t, s, key, []byte("lost update"), backends.PutOptions{IfVersion: i1.Version})
	if !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("Put IfVersion with a stale version: err = %v, want ErrPrecondition (is the precondition ignored?)", err)
	}
	wantValue(t, s, key, []byte("v2"))

	// A version of another key (with other content) must not match either.
	other := put(t, s, "k/other", []byte("other"))
	_, err = putIf(t, s, key, []byte("lost update"), backends.PutOptions{IfVersion: other.Version})
	if !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("Put IfVersion with another key's version: err = %v, want ErrPrecondition", err)
	}
	wantValue(t, s, key, []byte("v2"))
}

func testIfVersionMissing(t *testing.T, s backends.Store) {
	const key = "k/cas-missing"
	i := put(t, s, key, []byte("v1"))
	if err := s.Delete(t.Context(), key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := putIf(t, s, key, []byte("v2"), backends.PutOptions{IfVersion: i.Version})
	if !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("Put IfVersion of a deleted key: err = %v, want ErrPrecondition", err)
	}
	wantMissing(t, s, key)
	_, err = putIf(t, s, "k/never", []byte("v"), backends.PutOptions{IfVersion: "no-such-version"})
	if !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("Put IfVersion of a never-written key: err = %v, want ErrPrecondition", err)
	}
	wantMissing(t, s, "k/never")
}

func testConcurrentIfAbsent(t *testing.T, s backends.Store) {
	const key = "k/race"
	const writers = 8
	start := make(chan struct{})
	var wins atomic.Int32
	var winner atomic.Value
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			val := fmt.Appendf(nil, "writer %d", w)
			<-start
			_, err := putIf(t, s, key, val, backends.PutOptions{IfAbsent: true})
			switch {
			case err == nil:
				wins.Add(1)
				winner.Store(val)
			case !errors.Is(err, backends.ErrPrecondition):
				t.Errorf("writer %d: err = %v, want nil or ErrPrecondition", w, err)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := wins.Load(); n != 1 {
		t.Fatalf("%d of %d IfAbsent writers succeeded, want exactly 1", n, writers)
	}
	wantValue(t, s, key, winner.Load().([]byte))
}

// concurrentValue is the value writer w puts in round i: a header naming
// (w, i, length) and a body derived from them, so a torn or mixed read is
// detected by validValue.
func concurrentValue(w, i int) []byte {
	n := 512 + (w*131+i*17)%3000
	b := make([]byte, 12, 12+n)
	binary.BigEndian.PutUint32(b, uint32(w))
	binary.BigEndian.PutUint32(b[4:], uint32(i))
	binary.BigEndian.PutUint32(b[8:], uint32(n))
	for j := range n {
		b = append(b, byte(w*37+i*11+j))
	}
	return b
}

// validValue reports whether b is exactly some concurrentValue(w, i).
func validValue(b []byte) bool {
	if len(b) < 12 {
		return false
	}
	w := int(binary.BigEndian.Uint32(b))
	i := int(binary.BigEndian.Uint32(b[4:]))
	return w < 1<<16 && i < 1<<16 && bytes.Equal(b, concurrentValue(w, i))
}

func testConcurrentPuts(t *testing.T, s backends.Store) {
	const key = "k/contended"
	const writers, rounds = 8, 20
	put(t, s, key, concurrentValue(999, 0))
	var writing sync.WaitGroup
	done := make(chan struct{})
	for w := range writers {
		writing.Go(func() {
			for i := range rounds {
				if _, err := putIf(t, s, key, concurrentValue(w, i), backends.PutOptions{}); err != nil {
					t.Errorf("writer %d round %d: %v", w, i, err)
					return
				}
			}
		})
	}
	var reading sync.WaitGroup
	var reads atomic.Int32
	for range 2 {
		reading.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				b, _, err := read(t.Context(), s, key)
				if err != nil {
					t.Errorf("concurrent Get: %v", err)
					return
				}
				if !validValue(b) {
					t.Errorf("concurrent Get returned a torn or mixed value: %s", short(b))
					return
				}
				reads.Add(1)
				time.Sleep(50 * time.Microsecond) // leave the CPU to the writers
			}
		})
	}
	writing.Wait()
	close(done)
	reading.Wait()
	b, _ := get(t, s, key)
	if !validValue(b) {
		t.Fatalf("final value is not one any writer wrote: %s", short(b))
	}
	t.Logf("%d concurrent reads checked", reads.Load())
}

func testConcurrentCAS(t *testing.T, s backends.Store) {
	const key = "k/counter"
	const workers, increments = 4, 10
	put(t, s, key, []byte("0"))
	var retries atomic.Int32
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range increments {
				if err := increment(t, s, key, &retries); err != nil {
					t.Errorf("worker %d: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	want := strconv.Itoa(workers * increments)
	wantValue(t, s, key, []byte(want))
	t.Logf("%d CAS retries", retries.Load())
}

// increment adds one to the decimal counter under key with a
// read-version / put-IfVersion loop.
func increment(t *testing.T, s backends.Store, key string, retries *atomic.Int32) error {
	for range 10000 {
		b, info, err := read(t.Context(), s, key)
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(string(b))
		if err != nil {
			return fmt.Errorf("counter holds %s: %w", short(b), err)
		}
		_, err = putIf(t, s, key, []byte(strconv.Itoa(n+1)), backends.PutOptions{IfVersion: info.Version})
		if err == nil {
			return nil
		}
		if !errors.Is(err, backends.ErrPrecondition) {
			return err
		}
		retries.Add(1)
	}
	return errors.New("no CAS succeeded in 10000 attempts")
}
