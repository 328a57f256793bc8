package lease

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// Run runs body once across every process sharing store, for the lease key
// lockKey, and reports whether body ran in this call:
//
//   - It takes the lease if it is free, or expired because its holder
//     stopped renewing it (exactly one waiter wins a takeover). It then asks
//     ready whether the result exists by now; if not, it runs body while the
//     lease is renewed every Period/3, and releases the lease when body
//     returns (or panics).
//   - While another process holds a live lease, it waits: every Poll it
//     calls ready, and returns (false, nil) as soon as ready reports the
//     result (the caller reads it), or tries the lease again.
//   - Past timeout (DefaultTimeout if timeout ≤ 0) it runs body anyway.
//   - A cancelled ctx, while waiting, returns ctx.Err() with ran false.
//   - An error from the store or from ready is logged and degrades to
//     running body, never to failing.
//
// body's error is returned as is. Body must store the result that ready
// looks for before it returns, so that the next holder of the lease sees it.
func Run(ctx context.Context, store backends.Store, lockKey string, timeout time.Duration, cfg Config,
	ready func(ctx context.Context) (bool, error), body func(ctx context.Context) error) (ran bool, err error) {
	cfg = cfg.withDefaults()
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	poll := time.NewTimer(jitter(cfg.Poll))
	defer poll.Stop()
	for readFirst := false; ; readFirst = true {
		l, err := acquire(ctx, store, lockKey, cfg, readFirst)
		switch {
		case err == nil:
			return runHeld(ctx, l, ready, body)
		case ctx.Err() != nil:
			return false, ctx.Err()
		case !errors.Is(err, ErrHeld):
			cfg.Logger.Warn("lease: store failed; computing without a lease", "key", lockKey, "err", err)
			return true, body(ctx)
		}
		poll.Reset(jitter(cfg.Poll))
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-deadline.C:
			cfg.Logger.Info("lease: timed out waiting for the holder; computing anyway",
				"key", lockKey, "timeout", timeout)
			return true, body(ctx)
		case <-poll.C:
		}
		done, err := ready(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return false, ctx.Err()
		case err != nil:
			cfg.Logger.Warn("lease: looking for the result failed; computing", "key", lockKey, "err", err)
			return true, body(ctx)
		case done:
			return false, nil
		}
	}
}

// runHeld runs body under the held lease l unless ready reports that the
// result appeared before l was acquired, and releases l.
func runHeld(ctx context.Context, l *Lease,
	ready func(ctx context.Context) (bool, error), body func(ctx context.Context) error) (ran bool, err error) {
	defer func() {
		// Release even when ctx is cancelled or body panics: a lease left
		// behind would hold the others back for a whole Period.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.cfg.Period)
		defer cancel()
		if err := l.Release(rctx); err != nil {
			l.cfg.Logger.Warn("lease: release failed", "key", l.key, "err", err)
		}
	}()
	done, err := ready(ctx)
	switch {
	case err != nil && ctx.Err() != nil:
		return false, ctx.Err()
	case err != nil:
		l.cfg.Logger.Warn("lease: looking for the result failed; computing", "key", l.key, "err", err)
	case done:
		return false, nil
	}
	return true, body(ctx)
}

// jitter returns a duration drawn uniformly from [0.75, 1.25]·d.
func jitter(d time.Duration) time.Duration {
	return d*3/4 + rand.N(d/2+1)
}
