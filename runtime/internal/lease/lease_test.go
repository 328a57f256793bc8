package lease

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
)

const (
	lockKey   = "lock/ns/pkg.F/fp/0123abcd"
	resultKey = "cache/ns/pkg.F/fp/0123abcd"
)

// testConfig returns a fast Config that logs to the test's output.
func testConfig(t *testing.T, period time.Duration) Config {
	return Config{
		Period: period,
		Poll:   5 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

// task is a body and a ready function around one result key, counting how
// often the body runs and how many run at once.
type task struct {
	store   backends.Store
	hold    time.Duration // how long the body takes
	runs    atomic.Int32
	running atomic.Int32
	maxRun  atomic.Int32
}

func (k *task) ready(ctx context.Context) (bool, error) {
	_, _, err := k.store.Get(ctx, resultKey)
	if errors.Is(err, backends.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (k *task) body(ctx context.Context) error {
	k.runs.Add(1)
	n := k.running.Add(1)
	defer k.running.Add(-1)
	for m := k.maxRun.Load(); n > m && !k.maxRun.CompareAndSwap(m, n); m = k.maxRun.Load() {
	}
	time.Sleep(k.hold)
	_, err := k.store.Put(ctx, resultKey, strings.NewReader("result"), backends.PutOptions{})
	return err
}

// putRecord writes a lease record by hand, as another process would.
func putRecord(t *testing.T, s backends.Store, owner string, expires time.Time) backends.Info {
	t.Helper()
	info, err := put(t.Context(), s, lockKey, record{Owner: owner, Expires: expires}, backends.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// runMany calls Run from n goroutines at once and returns how many ran the body.
func runMany(t *testing.T, n int, k *task, cfg Config, timeout time.Duration) int {
	t.Helper()
	var ran atomic.Int32
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			r, err := Run(t.Context(), k.store, lockKey, timeout, cfg, k.ready, k.body)
			if err != nil {
				t.Errorf("Run: %v", err)
			}
			if r {
				ran.Add(1)
			}
		})
	}
	wg.Wait()
	return int(ran.Load())
}

func TestOneRunnerAmongGoroutines(t *testing.T) {
	k := &task{store: memory.New(), hold: 50 * time.Millisecond}
	ran := runMany(t, 32, k, testConfig(t, time.Second), 10*time.Second)
	if got := k.runs.Load(); got != 1 || ran != 1 {
		t.Fatalf("body ran %d times, %d calls reported ran; want 1 and 1", got, ran)
	}
	if _, _, err := k.store.Get(t.Context(), lockKey); !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("lease object left behind after release: %v", err)
	}
}

func TestReadyAfterAcquireSkipsBody(t *testing.T) {
	k := &task{store: memory.New()}
	if err := k.body(t.Context()); err != nil { // another process finished and released
		t.Fatal(err)
	}
	ran, err := Run(t.Context(), k.store, lockKey, 0, testConfig(t, time.Second), k.ready, k.body)
	if err != nil || ran || k.runs.Load() != 1 {
		t.Fatalf("Run = %v, %v with %d body runs; want false, nil, 1", ran, err, k.runs.Load())
	}
}

func TestTakeOverExpiredLease(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value []byte
	}{
		{"expired", record{Owner: "dead/1/00", Expires: time.Now().Add(-time.Millisecond)}.marshal()},
		{"released", record{Owner: "gone/1/00"}.marshal()},
		{"corrupt", []byte("not a lease")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := &task{store: memory.New()}
			if _, err := k.store.Put(t.Context(), lockKey, bytes.NewReader(tc.value), backends.PutOptions{}); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			ran, err := Run(t.Context(), k.store, lockKey, 10*time.Second, testConfig(t, 10*time.Second), k.ready, k.body)
			if err != nil || !ran || k.runs.Load() != 1 {
				t.Fatalf("Run = %v, %v with %d body runs; want true, nil, 1", ran, err, k.runs.Load())
			}
			if d := time.Since(start); d > time.Second {
				t.Fatalf("took %v to take over a dead lease", d)
			}
		})
	}
}

// barrier wraps a store so that its first n Gets return only once all n
// have read: every caller then sees the same version of the object.
type barrier struct {
	backends.Store
	n       int32
	calls   atomic.Int32
	arrived sync.WaitGroup
}

func newBarrier(s backends.Store, n int) *barrier {
	b := &barrier{Store: s, n: int32(n)}
	b.arrived.Add(n)
	return b
}

func (b *barrier) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	rc, info, err := b.Store.Get(ctx, key)
	if b.calls.Add(1) <= b.n {
		b.arrived.Done()
		b.arrived.Wait()
	}
	return rc, info, err
}

func TestExactlyOneWaiterTakesOver(t *testing.T) {
	const n = 16
	m := memory.New()
	s := newBarrier(m, n)
	putRecord(t, s, "dead/1/00", time.Now().Add(-time.Second))
	cfg := testConfig(t, time.Second)
	var won atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	leases := make(chan *Lease, n)
	for range n {
		wg.Go(func() {
			<-start
			l, err := Acquire(t.Context(), s, lockKey, cfg)
			switch {
			case err == nil:
				won.Add(1)
				leases <- l
			case !errors.Is(err, ErrHeld):
				t.Errorf("Acquire: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	close(leases)
	if won.Load() != 1 {
		t.Fatalf("%d of %d waiters took over; want 1", won.Load(), n)
	}
	for l := range leases {
		if err := l.Release(t.Context()); err != nil {
			t.Fatal(err)
		}
	}

	// The same through Run: one body among the waiters of a stale lease.
	s = newBarrier(m, n)
	putRecord(t, s, "dead/2/00", time.Now().Add(-time.Second))
	k := &task{store: s, hold: 30 * time.Millisecond}
	if ran := runMany(t, n, k, cfg, 10*time.Second); ran != 1 || k.runs.Load() != 1 {
		t.Fatalf("body ran %d times, %d calls reported ran; want 1 and 1", k.runs.Load(), ran)
	}
}

// failing wraps a store, failing the operations that fail selects.
type failing struct {
	backends.Store
	fail func(op string, opts backends.PutOptions) bool
}

var errDown = errors.New("store is down")

func (f failing) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	if f.fail("get", backends.PutOptions{}) {
		return nil, backends.Info{}, fmt.Errorf("get %s: %w", key, errDown)
	}
	return f.Store.Get(ctx, key)
}

func (f failing) Put(ctx context.Context, key string, r io.Reader, opts backends.PutOptions) (backends.Info, error) {
	if f.fail("put", opts) {
		return backends.Info{}, fmt.Errorf("put %s: %w", key, errDown)
	}
	return f.Store.Put(ctx, key, r, opts)
}

func (f failing) Delete(ctx context.Context, key string) error {
	if f.fail("delete", backends.PutOptions{}) {
		return fmt.Errorf("delete %s: %w", key, errDown)
	}
	return f.Store.Delete(ctx, key)
}

func TestTakeOverWhenRenewalsFail(t *testing.T) {
	s := memory.New()
	const period = 150 * time.Millisecond
	cfg := testConfig(t, period)
	// The holder's renewals (conditional on a version) all fail.
	holderStore := failing{s, func(op string, o backends.PutOptions) bool { return o.IfVersion != "" }}
	l, err := Acquire(t.Context(), holderStore, lockKey, cfg)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	k := &task{store: s}
	ran, err := Run(t.Context(), s, lockKey, 10*time.Second, cfg, k.ready, k.body)
	if err != nil || !ran || k.runs.Load() != 1 {
		t.Fatalf("Run = %v, %v with %d body runs; want true, nil, 1", ran, err, k.runs.Load())
	}
	if d := time.Since(start); d < period*2/3 || d > period+time.Second {
		t.Fatalf("took over after %v; want about one period (%v)", d, period)
	}
	select {
	case <-l.Lost():
	case <-time.After(time.Second):
		t.Fatal("holder whose renewals fail never saw its lease lost")
	}
	if err := l.Release(t.Context()); err != nil {
		t.Fatalf("release of a lost lease: %v", err)
	}
}

func TestTimeoutRunsAnyway(t *testing.T) {
	k := &task{store: memory.New()}
	putRecord(t, k.store, "alive/1/00", time.Now().Add(time.Hour))
	const timeout = 80 * time.Millisecond
	start := time.Now()
	ran, err := Run(t.Context(), k.store, lockKey, timeout, testConfig(t, time.Second), k.ready, k.body)
	if err != nil || !ran || k.runs.Load() != 1 {
		t.Fatalf("Run = %v, %v with %d body runs; want true, nil, 1", ran, err, k.runs.Load())
	}
	if d := time.Since(start); d < timeout {
		t.Fatalf("ran after %v, before the timeout %v", d, timeout)
	}
	rec, _, err := read(t.Context(), k.store, lockKey)
	if err != nil || rec.Owner != "alive/1/00" {
		t.Fatalf("the live holder's lease was disturbed: %+v, %v", rec, err)
	}
}

func TestReleaseDeletesOnlyOwnLease(t *testing.T) {
	s := memory.New()
	cfg := testConfig(t, 60*time.Millisecond)
	old, err := Acquire(t.Context(), s, lockKey, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// A process whose clock is an hour ahead sees the lease as expired.
	ahead := cfg
	ahead.Now = func() time.Time { return time.Now().Add(time.Hour) }
	ahead.Period = time.Hour
	taker, err := Acquire(t.Context(), s, lockKey, ahead)
	if err != nil {
		t.Fatalf("takeover by a clock an hour ahead: %v", err)
	}
	_, want, _ := read(t.Context(), s, lockKey)
	if err := old.Release(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, got, err := read(t.Context(), s, lockKey); err != nil || got.Version != want.Version {
		t.Fatalf("old holder's release touched the new lease: %+v, %v; want version %s", got, err, want.Version)
	}
	if err := taker.Release(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(t.Context(), lockKey); !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("holder's release left the lease: %v", err)
	}
	if err := taker.Release(t.Context()); err != nil {
		t.Fatalf("second release: %v", err)
	}
}

func TestRenewalFindsTakeover(t *testing.T) {
	s := memory.New()
	cfg := testConfig(t, 60*time.Millisecond)
	old, err := Acquire(t.Context(), s, lockKey, cfg)
	if err != nil {
		t.Fatal(err)
	}
	info := putRecord(t, s, "usurper/1/00", time.Now().Add(time.Hour))
	select {
	case <-old.Lost():
	case <-time.After(time.Second):
		t.Fatal("renewal did not notice the takeover")
	}
	if err := old.Release(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, got, err := read(t.Context(), s, lockKey); err != nil || got.Version != info.Version {
		t.Fatalf("lost holder's release touched the new lease: %+v, %v", got, err)
	}
}

// clock is a settable clock for Config.Now.
type clock struct {
	mu sync.Mutex // guards t
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func TestReleaseNearExpiryExpiresInstead(t *testing.T) {
	s := memory.New()
	clk := &clock{t: time.Now()}
	cfg := testConfig(t, time.Hour) // the renewer never ticks during the test
	cfg.Now = clk.Now
	l, err := Acquire(t.Context(), s, lockKey, cfg)
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(59 * time.Minute)
	if err := l.Release(t.Context()); err != nil {
		t.Fatal(err)
	}
	rec, _, err := read(t.Context(), s, lockKey)
	if err != nil || !rec.Expires.IsZero() {
		t.Fatalf("release near expiry left %+v, %v; want an expired record", rec, err)
	}
	l2, err := Acquire(t.Context(), s, lockKey, cfg)
	if err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
	l2.Release(t.Context())
}

func TestRenewalKeepsLongBodyAlive(t *testing.T) {
	s := memory.New()
	const period = 90 * time.Millisecond
	cfg := testConfig(t, period)
	l, err := Acquire(t.Context(), s, lockKey, cfg)
	if err != nil {
		t.Fatal(err)
	}
	versions := map[string]bool{}
	for range 10 { // 5 periods
		time.Sleep(period / 2)
		if _, err := Acquire(t.Context(), s, lockKey, cfg); !errors.Is(err, ErrHeld) {
			t.Fatalf("acquire of a renewed lease: %v; want ErrHeld", err)
		}
		_, info, _ := read(t.Context(), s, lockKey)
		versions[info.Version] = true
	}
	select {
	case <-l.Lost():
		t.Fatal("lease lost while renewals work")
	default:
	}
	if len(versions) < 5 {
		t.Fatalf("saw %d versions over 5 periods; renewals are missing", len(versions))
	}
	l.Release(t.Context())

	// Through Run: a body five periods long, with waiters arriving meanwhile.
	k := &task{store: s, hold: 5 * period}
	if ran := runMany(t, 4, k, cfg, 10*time.Second); ran != 1 || k.runs.Load() != 1 || k.maxRun.Load() != 1 {
		t.Fatalf("body ran %d times (%d at once), %d calls reported ran; want 1",
			k.runs.Load(), k.maxRun.Load(), ran)
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	k := &task{store: memory.New()}
	putRecord(t, k.store, "alive/1/00", time.Now().Add(time.Hour))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(30*time.Millisecond, cancel)
	ran, err := Run(ctx, k.store, lockKey, 10*time.Second, testConfig(t, time.Second), k.ready, k.body)
	if ran || !errors.Is(err, context.Canceled) || k.runs.Load() != 0 {
		t.Fatalf("Run = %v, %v with %d body runs; want false, context.Canceled, 0", ran, err, k.runs.Load())
	}
}

func TestStoreErrorRunsBody(t *testing.T) {
	s := failing{memory.New(), func(string, backends.PutOptions) bool { return true }}
	errBody := errors.New("body failed")
	runs := 0
	body := func(context.Context) error { runs++; return errBody }
	notReady := func(context.Context) (bool, error) { return false, nil }
	ran, err := Run(t.Context(), s, lockKey, 10*time.Second, testConfig(t, time.Second), notReady, body)
	if !ran || err != errBody || runs != 1 {
		t.Fatalf("Run = %v, %v with %d body runs; want true, the body's error, 1", ran, err, runs)
	}

	// A ready function that fails while another holds the lease.
	m := memory.New()
	putRecord(t, m, "alive/1/00", time.Now().Add(time.Hour))
	broken := func(context.Context) (bool, error) { return false, errDown }
	ran, err = Run(t.Context(), m, lockKey, 10*time.Second, testConfig(t, time.Second), broken, body)
	if !ran || err != errBody || runs != 2 {
		t.Fatalf("Run with failing ready = %v, %v with %d body runs; want true, the body's error, 2", ran, err, runs)
	}
}

func TestBodyFailureReleasesLease(t *testing.T) {
	s := memory.New()
	notReady := func(context.Context) (bool, error) { return false, nil }
	errBody := errors.New("body failed")
	ran, err := Run(t.Context(), s, lockKey, 0, testConfig(t, time.Second), notReady,
		func(context.Context) error { return errBody })
	if !ran || err != errBody {
		t.Fatalf("Run = %v, %v; want true, the body's error", ran, err)
	}
	if _, _, err := s.Get(t.Context(), lockKey); !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("failed body left its lease: %v", err)
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Fatalf("recovered %v; want the body's panic", r)
			}
		}()
		Run(t.Context(), s, lockKey, 0, testConfig(t, time.Second), notReady,
			func(context.Context) error { panic("boom") })
	}()
	if _, _, err := s.Get(t.Context(), lockKey); !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("panicking body left its lease: %v", err)
	}
}
