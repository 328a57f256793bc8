package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// The store's budget. A cache must never cost more than it saves: a store
// that hangs (a frozen server, a half-open connection) or is dead (a
// refused or unroutable endpoint) would otherwise add its timeouts and
// retries to every call. Each store operation gets a deadline that fits a
// cache, and a circuit breaker skips the store for a while after repeated
// failures: the calls compute, the program goes on, and one probe at a
// time finds out when the store is back.

// EnvStoreTimeout sets Budget.Read ("1s", "500ms"); writes get three times
// as long. "off" disables the deadlines (the breaker stays).
const EnvStoreTimeout = "CACHEGEN_STORE_TIMEOUT"

// Budget bounds what the store may cost a call. Zero fields take the
// defaults; a negative Read or Write means no deadline.
type Budget struct {
	// Read is the deadline of one read of a whole entry (default 1s: a
	// healthy object store answers a small GET in tens of milliseconds,
	// and a miss should not wait much longer than that).
	Read time.Duration
	// Write is the deadline of one write of a small value (default 3s);
	// a value of n bytes gets n / 8 MiB seconds more, so a large result
	// on a slow link still lands.
	Write time.Duration
	// Failures is how many failed operations in a row open the breaker
	// (default 3).
	Failures int
	// Backoff is how long an open breaker skips the store before it lets
	// one probe through (default 2s); it doubles while probes fail, up to
	// MaxBackoff (default 1 minute).
	Backoff, MaxBackoff time.Duration
}

// Budget defaults; see Budget.
const (
	DefaultReadTimeout  = time.Second
	DefaultWriteTimeout = 3 * time.Second
	defaultFailures     = 3
	defaultBackoff      = 2 * time.Second
	defaultMaxBackoff   = time.Minute
	// writeRate is the throughput a write's deadline assumes beyond its
	// base: 8 MiB a second.
	writeRate = 8 << 20
)

// WithStoreBudget sets the store's deadlines and circuit breaker (default:
// $CACHEGEN_STORE_TIMEOUT and the defaults of Budget).
func WithStoreBudget(b Budget) Option { return func(c *config) { c.budget = b } }

// errSkipped is the error of an operation the open breaker did not send to
// the store.
var errSkipped = errors.New("store skipped: it failed repeatedly (circuit breaker open)")

// parseStoreTimeout reads $CACHEGEN_STORE_TIMEOUT into b.
func parseStoreTimeout(v string, b *Budget) error {
	switch v = strings.TrimSpace(v); v {
	case "":
		return nil
	case "off", "0":
		b.Read, b.Write = -1, -1
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return fmt.Errorf("%s=%q: want a duration such as 1s or 500ms, or off", EnvStoreTimeout, v)
	}
	b.Read, b.Write = d, 3*d
	return nil
}

// withDefaults fills the zero fields.
func (b Budget) withDefaults() Budget {
	if b.Read == 0 {
		b.Read = DefaultReadTimeout
	}
	if b.Write == 0 {
		b.Write = DefaultWriteTimeout
	}
	if b.Failures <= 0 {
		b.Failures = defaultFailures
	}
	if b.Backoff <= 0 {
		b.Backoff = defaultBackoff
	}
	if b.MaxBackoff < b.Backoff {
		b.MaxBackoff = max(defaultMaxBackoff, b.Backoff)
	}
	return b
}

// breaker is the circuit breaker of one store. The zero value is not used;
// newBreaker makes one.
type breaker struct {
	b   Budget
	now func() time.Time
	log *slog.Logger

	// open is 1 while the breaker skips the store: the fast path of every
	// call loads it and nothing else.
	open atomic.Int32

	// failures counts consecutive failures while closed.
	failures atomic.Int32

	mu      sync.Mutex // guards the fields below
	until   time.Time  // when an open breaker lets a probe through
	backoff time.Duration
	probing bool // a probe is in flight

	skipped atomic.Int64 // operations not sent to the store
	opens   atomic.Int64 // times the breaker opened
}

func newBreaker(b Budget, now func() time.Time, log *slog.Logger) *breaker {
	return &breaker{b: b.withDefaults(), now: now, log: log}
}

// allow reports whether an operation may go to the store now. While the
// breaker is open it lets one probe through once the backoff has passed;
// probe says the operation is that probe.
func (br *breaker) allow() (ok, probe bool) {
	if br.open.Load() == 0 {
		return true, false
	}
	br.mu.Lock()
	defer br.mu.Unlock()
	if br.open.Load() == 0 {
		return true, false
	}
	if br.probing || br.now().Before(br.until) {
		br.skipped.Add(1)
		return false, false
	}
	br.probing = true
	return true, true
}

// done records the outcome of an operation allow let through. Misses and
// failed preconditions are answers, not failures; an operation whose
// caller gave up says nothing about the store. A success costs one atomic
// load while the breaker is closed.
func (br *breaker) done(ctx context.Context, probe bool, err error) {
	failed := err != nil && !errors.Is(err, backends.ErrNotFound) && !errors.Is(err, backends.ErrPrecondition) &&
		!errors.Is(context.Cause(ctx), context.Canceled)
	if !probe {
		if !failed {
			if br.failures.Load() != 0 {
				br.failures.Store(0)
			}
			return
		}
		if br.failures.Add(1) < int32(br.b.Failures) || br.open.Load() == 1 {
			return
		}
		br.mu.Lock()
		defer br.mu.Unlock()
		if br.open.Load() == 1 {
			return
		}
		br.backoff = br.b.Backoff
		br.until = br.now().Add(br.backoff)
		br.open.Store(1)
		br.opens.Add(1)
		br.log.Warn("cachegen: the store keeps failing; skipping it and computing results, probing it now and then",
			"failures", br.failures.Load(), "backoff", br.backoff, "err", err)
		return
	}
	br.mu.Lock()
	defer br.mu.Unlock()
	br.probing = false
	if failed {
		br.backoff = min(2*br.backoff, br.b.MaxBackoff)
		br.until = br.now().Add(br.backoff)
		return
	}
	br.failures.Store(0)
	br.open.Store(0)
	br.log.Info("cachegen: the store answers again; using it", "skipped", br.skipped.Load())
}

// isOpen reports whether the breaker skips the store.
func (br *breaker) isOpen() bool { return br.open.Load() == 1 }

// withBudget puts store under the budget: every operation under a
// deadline and a circuit breaker. Each level of a tiered store gets its own,
// so a level that fails is skipped while the others serve. It returns the
// store to use, its whole-object read, and the breakers, the shared
// level's last.
func withBudget(store backends.Store, b Budget, now func() time.Time, log *slog.Logger) (backends.Store, readAller, []*breaker) {
	wrap := func(s backends.Store) budgetStore {
		fast, _ := s.(readAller)
		return budgetStore{Store: s, br: newBreaker(b, now, log), readAll: fast}
	}
	t, ok := store.(*backends.Tiered)
	if !ok {
		bs := wrap(store)
		return bs, bs, []*breaker{bs.br}
	}
	levels := make([]backends.Store, len(t.Levels()))
	brs := make([]*breaker, len(levels))
	for i, l := range t.Levels() {
		bs := wrap(l)
		levels[i], brs[i] = bs, bs.br
	}
	tiered, _ := backends.NewTiered(levels...) // the levels of a valid Tiered
	return tiered, tiered, brs
}

// budgetStore is the runtime's view of its store: every operation under
// the breaker and a deadline.
type budgetStore struct {
	backends.Store
	br *breaker
	// readAll is the store's fast whole-object read, if it has one.
	readAll readAller
}

// deadline returns ctx bounded by d (no bound when d < 0).
func deadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d < 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d)
}

// writeDeadline is the deadline of a write of size bytes. A write of
// unknown size (a job cache's streaming Writer) has none of its own: its
// caller's context bounds it.
func (s budgetStore) writeDeadline(size int64) time.Duration {
	if s.br.b.Write < 0 || size < 0 {
		return -1
	}
	return s.br.b.Write + time.Duration(max(size, 0))*time.Second/writeRate
}

// Get opens a stream under the breaker, with the read deadline for
// opening it; reading the stream (a job cache's Reader of any size) is
// bounded by the caller's context. The cache's own reads use ReadAll.
func (s budgetStore) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	ok, probe := s.br.allow()
	if !ok {
		return nil, backends.Info{}, fmt.Errorf("get %s: %w", key, errSkipped)
	}
	octx, cancel := context.WithCancel(ctx)
	var timedOut atomic.Bool
	stop := time.AfterFunc(max(s.br.b.Read, 0), func() { timedOut.Store(true); cancel() })
	if s.br.b.Read < 0 {
		stop.Stop()
	}
	rc, info, err := s.Store.Get(octx, key)
	opened := stop.Stop() || s.br.b.Read < 0
	if err == nil && !opened && timedOut.Load() {
		rc.Close()
		err = fmt.Errorf("get %s: %w", key, context.DeadlineExceeded)
	}
	if err != nil && timedOut.Load() && !errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("%w (%w)", err, context.DeadlineExceeded)
	}
	s.br.done(ctx, probe, err)
	if err != nil {
		cancel()
		return nil, info, err
	}
	return &cancelCloser{ReadCloser: rc, cancel: cancel}, info, nil
}

// ReadAll reads a whole object: a store's own ReadAll (a local read that
// waits on no network, see backends.ReadAller) under the breaker only, so
// the cold-hit path pays no deadline it could not honour; any other store
// under the read deadline as well.
func (s budgetStore) ReadAll(ctx context.Context, key string) ([]byte, backends.Info, error) {
	ok, probe := s.br.allow()
	if !ok {
		return nil, backends.Info{}, fmt.Errorf("read %s: %w", key, errSkipped)
	}
	if s.readAll != nil {
		data, info, err := s.readAll.ReadAll(ctx, key)
		s.br.done(ctx, probe, err)
		return data, info, err
	}
	dctx, cancel := deadline(ctx, s.br.b.Read)
	defer cancel()
	data, err := readObject(dctx, s.Store, key)
	s.br.done(dctx, probe, err)
	return data, backends.Info{}, err
}

// Put writes under the write deadline.
func (s budgetStore) Put(ctx context.Context, key string, r io.Reader, opts backends.PutOptions) (backends.Info, error) {
	ok, probe := s.br.allow()
	if !ok {
		return backends.Info{}, fmt.Errorf("put %s: %w", key, errSkipped)
	}
	dctx, cancel := deadline(ctx, s.writeDeadline(opts.Size))
	defer cancel()
	info, err := s.Store.Put(dctx, key, r, opts)
	s.br.done(dctx, probe, err)
	return info, err
}

// Delete deletes under the write deadline.
func (s budgetStore) Delete(ctx context.Context, key string) error {
	ok, probe := s.br.allow()
	if !ok {
		return fmt.Errorf("delete %s: %w", key, errSkipped)
	}
	dctx, cancel := deadline(ctx, s.writeDeadline(0))
	defer cancel()
	err := s.Store.Delete(dctx, key)
	s.br.done(dctx, probe, err)
	return err
}

// List lists under the breaker: a listing streams, so it has no deadline
// of its own (its caller's context bounds it).
func (s budgetStore) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		ok, probe := s.br.allow()
		if !ok {
			yield(backends.Info{}, fmt.Errorf("list %s: %w", prefix, errSkipped))
			return
		}
		var failed error
		for info, err := range s.Store.List(ctx, prefix) {
			if err != nil {
				failed = err
			}
			if !yield(info, err) {
				break
			}
		}
		s.br.done(ctx, probe, failed)
	}
}

// Close closes the wrapped store, if it can be closed.
func (s budgetStore) Close() error {
	if c, ok := s.Store.(io.Closer); ok {
		return c.Close()
	}
	return nil
}

// cancelCloser ends a Get's deadline when its reader is closed.
type cancelCloser struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelCloser) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// budgetFromEnv returns the budget the environment sets, or an error for a
// value it cannot read (the defaults are used then).
func budgetFromEnv() (Budget, error) {
	var b Budget
	err := parseStoreTimeout(os.Getenv(EnvStoreTimeout), &b)
	return b, err
}
