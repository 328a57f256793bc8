package backends

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"sync"
)

// TierSeparator separates the levels of a tiered store's URL, nearest
// first: "file:///var/cache/cachegen | s3://bucket/prefix". '|' cannot
// appear unescaped in a URL.
const TierSeparator = "|"

// fillMax is the largest value a tiered read copies into the nearer
// levels; a larger one is streamed from where it was found.
const fillMax = 64 << 20

// Tiered is a store of several levels, nearest first: a local file store
// in front of a shared Redis or object store (Bazel's disk cache before a
// remote one, sccache's multi-level cache).
//
//   - A read tries each level in order. A hit on a farther level is copied
//     into every nearer one (values up to 64 MiB) before it is returned, so
//     the next reader on this machine finds it in the nearest level.
//   - A write goes to every level; a level that fails does not stop the
//     others, and the error names it.
//   - Conditional writes (IfAbsent, IfVersion) and every object of a lease
//     (lock/...) use only the farthest level, the one all machines share:
//     there is one truth for who holds a lease or wrote a manifest first.
//     A version is the level's own, prefixed with the level's index
//     ("1:…"). IfVersion succeeds only with a version read from the
//     farthest level: a copy on a nearer level may be older than what
//     another machine wrote since. A conditional write removes the key from
//     the nearer levels, so the next read (a compare-and-swap loop's
//     retry) comes from the farthest level.
//   - A level that fails is skipped: a read goes on to the next level, and
//     the runtime gives each level its own deadlines and circuit breaker.
//   - Delete removes the object from every level. List merges the levels'
//     sorted listings, each key once, with the Info a Get would return
//     (the nearest level's).
//
// A nearer level can serve an older value of a key that another machine
// has overwritten since: cache entries never change (their key is their
// inputs'), but job cache keys that several machines overwrite should live
// on the shared store alone.
//
// To list or trim one level alone (a local disk with its own size budget),
// open that level's URL by itself.
type Tiered struct {
	levels []Store
}

// NewTiered returns a store over levels, nearest first. It needs at least
// one level; a single level is returned as a one-level Tiered.
func NewTiered(levels ...Store) (*Tiered, error) {
	if len(levels) == 0 {
		return nil, errors.New("backends: a tiered store needs at least one level")
	}
	for i, l := range levels {
		if l == nil {
			return nil, fmt.Errorf("backends: tiered store level %d is nil", i)
		}
	}
	return &Tiered{levels: levels}, nil
}

// Levels returns the levels, nearest first.
func (t *Tiered) Levels() []Store { return t.levels }

func (t *Tiered) far() Store { return t.levels[len(t.levels)-1] }

// shared reports whether key's objects live on the farthest level only:
// leases coordinate machines, and are never cached nearer.
func shared(key string) bool { return strings.HasPrefix(key, "lock/") }

// Get reads the object from the nearest level that has it.
func (t *Tiered) Get(ctx context.Context, key string) (io.ReadCloser, Info, error) {
	if shared(key) {
		rc, info, err := t.far().Get(ctx, key)
		return rc, t.tag(len(t.levels)-1, info), err
	}
	var errs []error
	for i, l := range t.levels {
		rc, info, err := l.Get(ctx, key)
		info = t.tag(i, info)
		if err != nil {
			if !errors.Is(err, ErrNotFound) {
				errs = append(errs, fmt.Errorf("level %d: %w", i, err))
			}
			continue
		}
		if i == 0 || info.Size < 0 || info.Size > fillMax {
			return rc, info, nil
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			errs = append(errs, fmt.Errorf("level %d: read %s: %w", i, key, err))
			continue
		}
		t.fill(ctx, key, data, i)
		return io.NopCloser(bytes.NewReader(data)), info, nil
	}
	return nil, Info{}, t.missing("get", key, errs)
}

// ReadAll reads the whole object from the nearest level that has it, with
// each level's own ReadAll where it has one (see [ReadAller]).
func (t *Tiered) ReadAll(ctx context.Context, key string) ([]byte, Info, error) {
	var errs []error
	for i, l := range t.levels {
		if shared(key) && i < len(t.levels)-1 {
			continue
		}
		data, info, err := readAll(ctx, l, key)
		info = t.tag(i, info)
		if err != nil {
			if !errors.Is(err, ErrNotFound) {
				errs = append(errs, fmt.Errorf("level %d: %w", i, err))
			}
			continue
		}
		if !shared(key) && len(data) <= fillMax {
			t.fill(ctx, key, data, i)
		}
		return data, info, nil
	}
	return nil, Info{}, t.missing("read", key, errs)
}

func readAll(ctx context.Context, s Store, key string) ([]byte, Info, error) {
	if ra, ok := s.(ReadAller); ok {
		return ra.ReadAll(ctx, key)
	}
	rc, info, err := s.Get(ctx, key)
	if err != nil {
		return nil, info, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	return data, info, err
}

// tag prefixes the version of an Info from level i with the level's index.
func (t *Tiered) tag(i int, info Info) Info {
	if info.Version != "" {
		info.Version = strconv.Itoa(i) + ":" + info.Version
	}
	return info
}

// untag returns the level and level's own version of a tagged version.
func untag(version string) (int, string, bool) {
	l, v, ok := strings.Cut(version, ":")
	i, err := strconv.Atoi(l)
	return i, v, ok && err == nil
}

// missing is the error of a read no level answered: the levels' failures
// when there were any (the object may be on a failed level), else
// ErrNotFound.
func (t *Tiered) missing(op, key string, errs []error) error {
	if len(errs) > 0 {
		return fmt.Errorf("tiered: %s %s: %w", op, key, errors.Join(errs...))
	}
	return fmt.Errorf("tiered: %s %s: %w", op, key, ErrNotFound)
}

// fill copies a value found on level found into every nearer level. It is
// best effort: a level that fails to take it is only slower next time.
func (t *Tiered) fill(ctx context.Context, key string, data []byte, found int) {
	for _, l := range t.levels[:found] {
		l.Put(ctx, key, bytes.NewReader(data), PutOptions{Size: int64(len(data))})
	}
}

// Put writes to every level, the farthest first, and returns the nearest
// level's Info: what the next Get here returns. A conditional write or a
// lease goes to the farthest level only and returns its Info.
func (t *Tiered) Put(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error) {
	farIdx := len(t.levels) - 1
	if opts.IfAbsent || opts.IfVersion != "" || shared(key) || farIdx == 0 {
		return t.putShared(ctx, key, r, opts)
	}
	if opts.Size >= 0 && opts.Size <= fillMax {
		data, err := io.ReadAll(io.LimitReader(r, fillMax+1))
		if err != nil {
			return Info{}, fmt.Errorf("tiered: put %s: read value: %w", key, err)
		}
		if len(data) <= fillMax {
			return t.putEach(key, func(l Store) (Info, error) {
				return l.Put(ctx, key, bytes.NewReader(data), opts)
			})
		}
		r = io.MultiReader(bytes.NewReader(data), r)
	}
	return t.putStream(ctx, key, r, opts)
}

// putShared writes to the farthest level alone, its version untagged, and
// removes key from the nearer levels whatever the outcome.
func (t *Tiered) putShared(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error) {
	farIdx := len(t.levels) - 1
	if !shared(key) {
		defer func() {
			for _, l := range t.levels[:farIdx] {
				l.Delete(ctx, key)
			}
		}()
	}
	if opts.IfVersion != "" {
		i, v, ok := untag(opts.IfVersion)
		if !ok || i != farIdx {
			return Info{}, fmt.Errorf("tiered: put %s: version %q is not the shared level's: %w", key, opts.IfVersion, ErrPrecondition)
		}
		opts.IfVersion = v
	}
	info, err := t.far().Put(ctx, key, r, opts)
	return t.tag(farIdx, info), err
}

// putEach writes to each level in turn, the farthest (the shared truth)
// first, and returns the nearest one's Info.
func (t *Tiered) putEach(key string, put func(Store) (Info, error)) (Info, error) {
	var info Info
	var errs []error
	for i := len(t.levels) - 1; i >= 0; i-- {
		in, err := put(t.levels[i])
		if err != nil {
			errs = append(errs, fmt.Errorf("level %d: %w", i, err))
			continue
		}
		info = t.tag(i, in)
	}
	if len(errs) > 0 {
		return info, fmt.Errorf("tiered: put %s: %w", key, errors.Join(errs...))
	}
	return info, nil
}

// putStream writes a value of unknown or large size to every level at
// once, through one pipe per level; a level that fails is dropped and the
// others go on.
func (t *Tiered) putStream(ctx context.Context, key string, r io.Reader, opts PutOptions) (Info, error) {
	pipes := make([]*io.PipeWriter, len(t.levels))
	infos := make([]Info, len(t.levels))
	errs := make([]error, len(t.levels))
	var wg sync.WaitGroup
	for i, l := range t.levels {
		pr, pw := io.Pipe()
		pipes[i] = pw
		wg.Go(func() {
			infos[i], errs[i] = l.Put(ctx, key, pr, opts)
			pr.CloseWithError(cmp.Or(errs[i], io.ErrClosedPipe)) // later writes to a finished level fail at once
		})
	}
	_, copyErr := io.Copy(fanout(pipes), r)
	for _, pw := range pipes {
		pw.CloseWithError(copyErr) // nil: EOF
	}
	wg.Wait()
	var failed []error
	for i, err := range errs {
		if err != nil {
			failed = append(failed, fmt.Errorf("level %d: %w", i, err))
		}
	}
	var info Info
	for i := len(infos) - 1; i >= 0; i-- {
		if errs[i] == nil {
			info = t.tag(i, infos[i])
		}
	}
	if copyErr != nil || len(failed) > 0 {
		return info, fmt.Errorf("tiered: put %s: %w", key, errors.Join(append(failed, copyErr)...))
	}
	return info, nil
}

// fanout writes to every pipe that still takes writes; it fails only when
// none does.
type fanout []*io.PipeWriter

func (f fanout) Write(p []byte) (int, error) {
	live := 0
	for i, w := range f {
		if w == nil {
			continue
		}
		if _, err := w.Write(p); err != nil {
			f[i] = nil
			continue
		}
		live++
	}
	if live == 0 {
		return 0, errors.New("every level failed")
	}
	return len(p), nil
}

// Delete removes the object from every level.
func (t *Tiered) Delete(ctx context.Context, key string) error {
	if shared(key) {
		return t.far().Delete(ctx, key)
	}
	found := false
	var errs []error
	for i, l := range t.levels {
		err := l.Delete(ctx, key)
		switch {
		case err == nil:
			found = true
		case !errors.Is(err, ErrNotFound):
			errs = append(errs, fmt.Errorf("level %d: %w", i, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("tiered: delete %s: %w", key, errors.Join(errs...))
	}
	if !found {
		return fmt.Errorf("tiered: delete %s: %w", key, ErrNotFound)
	}
	return nil
}

// List merges the levels' sorted listings: each key once, with the Info
// of the nearest level that has it, as Get returns it. An error of any
// level ends it.
func (t *Tiered) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	return func(yield func(Info, error) bool) {
		type head struct {
			next func() (Info, error, bool)
			stop func()
			info Info
			ok   bool
		}
		heads := make([]*head, len(t.levels))
		for i, l := range t.levels {
			next, stop := iter.Pull2(l.List(ctx, prefix))
			defer stop()
			heads[i] = &head{next: next, stop: stop}
		}
		advance := func(h *head) error {
			info, err, ok := h.next()
			if ok && err != nil {
				return err
			}
			h.info, h.ok = info, ok
			return nil
		}
		for i, h := range heads {
			if err := advance(h); err != nil {
				yield(Info{}, fmt.Errorf("tiered: list level %d: %w", i, err))
				return
			}
		}
		for {
			least := ""
			found := false
			for _, h := range heads {
				if h.ok && (!found || h.info.Key < least) {
					least, found = h.info.Key, true
				}
			}
			if !found {
				return
			}
			var out Info
			for i := len(heads) - 1; i >= 0; i-- {
				if h := heads[i]; h.ok && h.info.Key == least {
					out = t.tag(i, h.info) // the nearest level's, being last
					if err := advance(h); err != nil {
						yield(Info{}, fmt.Errorf("tiered: list level %d: %w", i, err))
						return
					}
				}
			}
			if !yield(out, nil) {
				return
			}
		}
	}
}

// Close closes every level that holds resources.
func (t *Tiered) Close() error {
	var errs []error
	for _, l := range t.levels {
		if c, ok := l.(Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

// openTiered opens the levels of a URL list joined by TierSeparator.
func openTiered(ctx context.Context, rawURL string) (Store, error) {
	var levels []Store
	for part := range strings.SplitSeq(rawURL, TierSeparator) {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("backends: open %q: an empty level (want url | url)", Redact(rawURL))
		}
		s, err := Open(ctx, part)
		if err != nil {
			for _, l := range levels {
				if c, ok := l.(Closer); ok {
					c.Close()
				}
			}
			return nil, fmt.Errorf("level %d: %w", len(levels), err)
		}
		levels = append(levels, s)
	}
	return NewTiered(levels...)
}
