package lease

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// Lost returns a channel that is closed if renewal found the lease taken over
// (or removed), or could not renew it before it expired. Release does not
// close it.
func (l *Lease) Lost() <-chan struct{} { return l.lost }

// renew rewrites the lease every Period/3 until Release or loss.
func (l *Lease) renew() {
	defer close(l.done)
	t := time.NewTicker(l.cfg.Period / 3)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		err := l.renewOnce()
		switch {
		case err == nil:
		case errors.Is(err, backends.ErrPrecondition):
			l.lose("taken over by another owner", err)
			return
		case !l.cfg.Now().Before(l.expiry()):
			l.lose("could not renew before it expired", err)
			return
		default:
			l.cfg.Logger.Warn("lease: renewal failed; retrying", "key", l.key, "err", err)
		}
	}
}

// renewOnce extends the lease by one Period from now, if the object still
// has the version of our last write.
func (l *Lease) renewOnce() error {
	l.mu.Lock()
	version := l.version
	l.mu.Unlock()
	// A renewal slower than the interval is as good as failed; the next
	// tick tries again while the lease lasts.
	ctx, cancel := context.WithTimeout(l.ctx, l.cfg.Period/3)
	defer cancel()
	info, rec, err := write(ctx, l.store, l.key, l.cfg, backends.PutOptions{IfVersion: version})
	if err != nil {
		return fmt.Errorf("lease: renew %s: %w", l.key, err)
	}
	l.mu.Lock()
	l.version, l.expires = info.Version, rec.Expires
	l.mu.Unlock()
	return nil
}

// expiry returns the expiry of our last write.
func (l *Lease) expiry() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.expires
}

// lose marks the lease lost and says why.
func (l *Lease) lose(why string, err error) {
	l.lostOnce.Do(func() {
		l.cfg.Logger.Warn("lease: lost: "+why, "key", l.key, "err", err)
		close(l.lost)
	})
}

// isLost reports whether the lease was lost.
func (l *Lease) isLost() bool {
	select {
	case <-l.lost:
		return true
	default:
		return false
	}
}

// Release stops renewing and gives the lease up: it deletes the lease object
// only if it is still ours (it has the version of our last write), so a
// lease that another owner took over is left alone. Only the first call does
// anything; later ones return its result.
func (l *Lease) Release(ctx context.Context) error {
	l.releaseOnce.Do(func() { l.releaseErr = l.release(ctx) })
	return l.releaseErr
}

func (l *Lease) release(ctx context.Context) error {
	close(l.stop)
	<-l.done
	if l.isLost() {
		return nil
	}
	l.mu.Lock()
	version, expires := l.version, l.expires
	l.mu.Unlock()
	if expires.Sub(l.cfg.Now()) < l.cfg.Period/3 {
		// Close to expiry, another owner may take the lease over between
		// our check of its version and the (unconditional) delete; an
		// expired record written by compare-and-swap is safe instead.
		_, err := put(ctx, l.store, l.key, record{Owner: l.cfg.Owner}, backends.PutOptions{IfVersion: version})
		if err != nil && !errors.Is(err, backends.ErrPrecondition) {
			return fmt.Errorf("lease: release %s: %w", l.key, err)
		}
		return nil
	}
	_, info, err := read(ctx, l.store, l.key)
	switch {
	case errors.Is(err, backends.ErrNotFound):
		return nil
	case err != nil && !errors.Is(err, errBadRecord):
		return fmt.Errorf("lease: release %s: %w", l.key, err)
	case info.Version != version:
		return nil // taken over: not ours to delete
	}
	if err := l.store.Delete(ctx, l.key); err != nil && !errors.Is(err, backends.ErrNotFound) {
		return fmt.Errorf("lease: release %s: %w", l.key, err)
	}
	return nil
}
