package lease

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// Defaults used for the zero fields of [Config] and a zero timeout of [Run].
const (
	// DefaultPeriod is the lease period: how long a lease lasts without
	// renewal, so the longest a crashed holder delays the others.
	DefaultPeriod = 10 * time.Second
	// DefaultPoll is how often a waiter looks for the result or a free lease.
	DefaultPoll = 100 * time.Millisecond
	// DefaultTimeout is how long Run waits for another holder before running
	// the body anyway (the lock option without a value).
	DefaultTimeout = 30 * time.Second
)

// ErrHeld is returned (wrapped) by [Acquire] when another owner holds a live
// lease on the key.
var ErrHeld = errors.New("lease: held by another owner")

// Config tunes the protocol; the zero value uses the defaults.
type Config struct {
	// Period is the lease period (default DefaultPeriod). A holder renews
	// every Period/3; a lease not renewed for Period is expired. It must be
	// much larger than the clock skew between processes (see the package doc).
	Period time.Duration
	// Poll is how often waiters look for the result or a free lease (default
	// DefaultPoll); each wait is drawn uniformly from [0.75, 1.25]·Poll, so
	// waiters that arrived together do not poll in step.
	Poll time.Duration
	// Now is the clock that lease expiries are written and compared with
	// (default time.Now). Waits and timeouts use real timers.
	Now func() time.Time
	// Owner identifies the holder in the lease object, for people reading
	// the store (default: hostname/pid/random, new for each Run or Acquire).
	// Ownership itself is proved by the object's version, not by this name.
	Owner string
	// Logger receives takeovers, lost leases and store failures (default
	// slog.Default()).
	Logger *slog.Logger
}

// withDefaults returns c with its zero fields filled in.
func (c Config) withDefaults() Config {
	if c.Period <= 0 {
		c.Period = DefaultPeriod
	}
	if c.Poll <= 0 {
		c.Poll = DefaultPoll
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Owner == "" {
		c.Owner = defaultOwner()
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// defaultOwner returns hostname/pid/random: unique to one holder, and telling
// a person which process that is.
func defaultOwner() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go ≥ 1.24)
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + hex.EncodeToString(b[:])
}

// Lease is a held lease. A goroutine renews it until Release; Lost tells the
// holder when it is no longer the only one.
type Lease struct {
	store backends.Store
	key   string
	cfg   Config
	ctx   context.Context // the acquirer's context without its cancellation, for renewals

	stop        chan struct{} // closed by Release to end the renewer
	done        chan struct{} // closed when the renewer has returned
	lost        chan struct{} // closed (once, under lostOnce) when the lease is lost
	lostOnce    sync.Once
	releaseOnce sync.Once
	releaseErr  error // the result of the first Release, set under releaseOnce

	mu      sync.Mutex // guards version and expires, written by the renewer
	version string     // the object's version after our last write
	expires time.Time  // the expiry of our last write, on cfg.Now's clock
}

// Acquire takes the lease on key if it is free or expired, and starts
// renewing it. If another owner holds a live lease, the error wraps
// [ErrHeld]; other errors come from the store. The caller must Release the
// lease.
func Acquire(ctx context.Context, store backends.Store, key string, cfg Config) (*Lease, error) {
	return acquire(ctx, store, key, cfg.withDefaults(), false)
}

// acquire implements Acquire for a cfg with defaults. With readFirst it
// looks at the lease object before trying to create one, which is cheaper
// for a waiter that expects to find it held.
func acquire(ctx context.Context, store backends.Store, key string, cfg Config, readFirst bool) (*Lease, error) {
	// The object can vanish between a failed create and the read (its
	// holder released it); then creating is tried again, a few times.
	for range 3 {
		if !readFirst {
			info, rec, err := write(ctx, store, key, cfg, backends.PutOptions{IfAbsent: true})
			if err == nil {
				return start(ctx, store, key, cfg, info, rec), nil
			}
			if !errors.Is(err, backends.ErrPrecondition) {
				return nil, fmt.Errorf("lease: acquire %s: %w", key, err)
			}
		}
		readFirst = false
		old, info, err := read(ctx, store, key)
		switch {
		case errors.Is(err, backends.ErrNotFound):
			continue
		case errors.Is(err, errBadRecord):
			cfg.Logger.Warn("lease: replacing an object that is not a lease record", "key", key, "err", err)
		case err != nil:
			return nil, fmt.Errorf("lease: acquire %s: %w", key, err)
		case !old.expired(cfg.Now()):
			return nil, fmt.Errorf("lease: acquire %s: owner %s until %s: %w",
				key, old.Owner, old.Expires.Format(time.RFC3339Nano), ErrHeld)
		}
		return takeOver(ctx, store, key, cfg, old, info)
	}
	return nil, fmt.Errorf("lease: acquire %s: created and released by others meanwhile: %w", key, ErrHeld)
}

// takeOver replaces the expired (or unreadable) lease object old, whose
// version is in info, with ours. Of several callers that read the same
// version, the store lets exactly one succeed; the others get ErrHeld.
func takeOver(ctx context.Context, store backends.Store, key string, cfg Config, old record, info backends.Info) (*Lease, error) {
	ninfo, rec, err := write(ctx, store, key, cfg, backends.PutOptions{IfVersion: info.Version})
	if errors.Is(err, backends.ErrPrecondition) {
		return nil, fmt.Errorf("lease: take over %s: taken over by another: %w", key, ErrHeld)
	}
	if err != nil {
		return nil, fmt.Errorf("lease: take over %s: %w", key, err)
	}
	if !old.Expires.IsZero() { // a zero expiry is a lease its holder gave up
		cfg.Logger.Info("lease: took over an expired lease", "key", key,
			"previous_owner", old.Owner, "expired", old.Expires)
	}
	return start(ctx, store, key, cfg, ninfo, rec), nil
}

// start returns the Lease for our write of rec (described by info) and
// starts its renewer.
func start(ctx context.Context, store backends.Store, key string, cfg Config, info backends.Info, rec record) *Lease {
	l := &Lease{
		store:   store,
		key:     key,
		cfg:     cfg,
		ctx:     context.WithoutCancel(ctx),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		lost:    make(chan struct{}),
		version: info.Version,
		expires: rec.Expires,
	}
	go l.renew()
	return l
}

// write puts a fresh record (expiring one Period from now) under key with
// the conditions in opts.
func write(ctx context.Context, store backends.Store, key string, cfg Config, opts backends.PutOptions) (backends.Info, record, error) {
	rec := record{Owner: cfg.Owner, Expires: cfg.Now().Add(cfg.Period)}
	info, err := put(ctx, store, key, rec, opts)
	return info, rec, err
}

// put writes rec under key with the conditions in opts.
func put(ctx context.Context, store backends.Store, key string, rec record, opts backends.PutOptions) (backends.Info, error) {
	data := rec.marshal()
	opts.Size = int64(len(data))
	return store.Put(ctx, key, bytes.NewReader(data), opts)
}

// readAller is the fast whole-object read that the memory and fs stores offer.
type readAller interface {
	ReadAll(ctx context.Context, key string) ([]byte, backends.Info, error)
}

// read returns the lease record stored under key and the object's Info. An
// object that does not decode gives an error wrapping errBadRecord, with
// the Info.
func read(ctx context.Context, store backends.Store, key string) (record, backends.Info, error) {
	var data []byte
	var info backends.Info
	var err error
	if ra, ok := store.(readAller); ok {
		data, info, err = ra.ReadAll(ctx, key)
	} else {
		var rc io.ReadCloser
		if rc, info, err = store.Get(ctx, key); err == nil {
			data, err = io.ReadAll(io.LimitReader(rc, maxRecord+1))
			rc.Close()
		}
	}
	if err != nil {
		return record{}, backends.Info{}, err
	}
	rec, err := parseRecord(data)
	return rec, info, err
}
