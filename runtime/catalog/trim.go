package catalog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// TempAge is how old a temporary file of an interrupted write must be for
// [Catalog.Trim] and [Catalog.Purge] with All to remove it: a writer in
// progress keeps its file's time fresh.
const TempAge = time.Hour

// Deletion is one deleted (or, on a dry run, deletable) object.
type Deletion struct {
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	Reason string `json:"reason"` // "purge", "manifest", "older than 24h0m0s", "stale fingerprint", "over the size budget"
}

// A Sweep deletes the objects a purge or trim selects, or on a dry run
// only counts them, and tells Report about each one as it goes. It keeps
// counters, never a list: a caller that wants one collects the reports.
type Sweep struct {
	DryRun bool
	// Report, if not nil, is called after each deletion; an error stops
	// the sweep.
	Report func(Deletion) error
	// Scanned, if not nil, is called with the count of objects looked at
	// so far, for progress.
	Scanned func(n int)

	Deleted   int   // objects deleted (or selected, on a dry run)
	Bytes     int64 // their sizes
	TempFiles int   // temporary files of interrupted writes removed
}

func (s *Sweep) scanned(n int) {
	if s.Scanned != nil {
		s.Scanned(n)
	}
}

func (s *Sweep) delete(ctx context.Context, store backends.Store, key string, size int64, reason string) error {
	if !s.DryRun {
		if err := store.Delete(ctx, key); err != nil && !errors.Is(err, backends.ErrNotFound) {
			return fmt.Errorf("delete %s: %w", key, err)
		}
	}
	s.Deleted++
	s.Bytes += size
	if s.Report != nil {
		return s.Report(Deletion{Key: key, Size: size, Reason: reason})
	}
	return nil
}

// TempRemover is implemented by stores whose writers can leave temporary
// files behind when they crash (the file store).
type TempRemover interface {
	RemoveTemp(ctx context.Context, age time.Duration) (int, error)
}

// removeTemp removes the temporary files crashed writers left (not on a
// dry run).
func (s *Sweep) removeTemp(ctx context.Context, store backends.Store) error {
	tr, ok := store.(TempRemover)
	if !ok || s.DryRun {
		return nil
	}
	n, err := tr.RemoveTemp(ctx, TempAge)
	s.TempFiles += n
	return err
}

// Selection picks cached results for [Catalog.Purge]: an entry is picked
// when it matches every selector given.
type Selection struct {
	Task      string        // the task's entries ([runtime.TaskMatches]); "" is every task
	OlderThan time.Duration // stored longer ago than this; 0 is any age
	// All deletes the selected tasks' key manifests too, and the
	// temporary files of interrupted writes.
	All bool
}

// Purge deletes the entries sel picks.
func (c *Catalog) Purge(ctx context.Context, sel Selection, s *Sweep) error {
	store, err := c.store()
	if err != nil {
		return err
	}
	now, n := c.now(), 0
	for r, err := range c.Entries(ctx, sel.Task) {
		if err != nil {
			return err
		}
		n++
		s.scanned(n)
		if sel.OlderThan > 0 && now.Sub(r.Modified) <= sel.OlderThan {
			continue
		}
		if err := s.delete(ctx, store, r.Key, r.Size, "purge"); err != nil {
			return err
		}
	}
	if !sel.All {
		return nil
	}
	prefix := backends.ManifestPrefix(c.ns(), "")
	for info, err := range store.List(ctx, prefix) {
		if err != nil {
			return fmt.Errorf("list %s: %w", prefix, err)
		}
		seg, _, _ := strings.Cut(info.Key[len(prefix):], "/")
		id, err := backends.UnescapeSegment(seg)
		if err != nil || (sel.Task != "" && !runtime.TaskMatches(id, sel.Task)) {
			continue
		}
		if err := s.delete(ctx, store, info.Key, info.Size, "manifest"); err != nil {
			return err
		}
	}
	return s.removeTemp(ctx, store)
}

// PurgeObjects deletes the objects of one job, shared cache or run: only
// those stored longer ago than older when it is positive, and for runs
// only task's entries when task is not "".
func (c *Catalog) PurgeObjects(ctx context.Context, k Kind, id, task string, older time.Duration, s *Sweep) error {
	store, err := c.store()
	if err != nil {
		return err
	}
	now, n := c.now(), 0
	for o, err := range c.Objects(ctx, k, id, task) {
		if err != nil {
			return err
		}
		n++
		s.scanned(n)
		if older > 0 && now.Sub(o.Modified) <= older {
			continue
		}
		if err := s.delete(ctx, store, o.Name, o.Size, "purge"); err != nil {
			return err
		}
	}
	return nil
}

// Policy is what [Catalog.Trim] deletes: entries stored longer ago than
// OlderThan; entries of a task in Current under another fingerprint; then,
// while the rest exceed MaxBytes, the oldest first. Activity records of
// intervals that started longer ago than OlderThan go too.
type Policy struct {
	OlderThan time.Duration // 0 keeps any age
	MaxBytes  int64         // negative is no size budget
	// Current maps a task identity to its fingerprint in the source as it
	// is now; tasks not in it are left alone. A generic task's
	// instantiations count as the task.
	Current map[string]string
}

// trimRecord is what Trim keeps of an entry that survives the streaming
// pass: 32 bytes, the key's bytes being the listing's.
type trimRecord struct {
	key      string
	size     int64
	modified int64 // Unix nanoseconds
}

// Trim streams the listing once, deleting expired entries and those of
// stale fingerprints as it goes and keeping a small record of the others
// (only with a size budget); then it deletes the oldest survivors until
// they fit p.MaxBytes, and last the temporary files of interrupted writes.
// It never reads a value: memory is a 32-byte record per surviving entry at
// most, whatever the values' sizes.
func (c *Catalog) Trim(ctx context.Context, p Policy, s *Sweep) error {
	store, err := c.store()
	if err != nil {
		return err
	}
	now := c.now()
	var keep []trimRecord
	var kept int64
	scanned := 0
	olderReason := "older than " + p.OlderThan.String()
	for r, err := range c.Entries(ctx, "") {
		if err != nil {
			return err
		}
		scanned++
		s.scanned(scanned)
		reason := ""
		if p.OlderThan > 0 && now.Sub(r.Modified) > p.OlderThan {
			reason = olderReason
		} else if fp, ok := p.Current[baseTask(r.Task)]; ok && fp != r.Fingerprint {
			reason = "stale fingerprint"
		}
		if reason == "" {
			if p.MaxBytes >= 0 {
				keep = append(keep, trimRecord{r.Key, r.Size, r.Modified.UnixNano()})
			}
			kept += r.Size
			continue
		}
		if err := s.delete(ctx, store, r.Key, r.Size, reason); err != nil {
			return err
		}
	}
	if p.MaxBytes >= 0 && kept > p.MaxBytes {
		slices.SortFunc(keep, func(a, b trimRecord) int {
			return cmp.Or(cmp.Compare(a.modified, b.modified), strings.Compare(a.key, b.key))
		})
		for _, r := range keep {
			if kept <= p.MaxBytes {
				break
			}
			s.scanned(scanned)
			if err := s.delete(ctx, store, r.key, r.size, "over the size budget"); err != nil {
				return err
			}
			kept -= r.size
		}
	}
	if p.OlderThan > 0 {
		if err := c.trimActivity(ctx, store, now.Add(-p.OlderThan), olderReason, s); err != nil {
			return err
		}
	}
	return s.removeTemp(ctx, store)
}

// trimActivity deletes the activity records of intervals that started
// before cutoff. Their names sort by time, so the listing stops at the
// first newer interval.
func (c *Catalog) trimActivity(ctx context.Context, store backends.Store, cutoff time.Time, reason string, s *Sweep) error {
	prefix := backends.ActivityPrefix(c.ns())
	for info, err := range store.List(ctx, prefix) {
		if err != nil {
			return fmt.Errorf("list %s: %w", prefix, err)
		}
		interval, _, _ := strings.Cut(info.Key[len(prefix):], "/")
		start, err := runtime.ParseIntervalName(interval)
		if err != nil {
			continue // not a record
		}
		if !start.Before(cutoff) {
			return nil
		}
		if err := s.delete(ctx, store, info.Key, info.Size, "activity "+reason); err != nil {
			return err
		}
	}
	return nil
}

// baseTask is a task identity without the type arguments of a generic
// instantiation ("pkg.Map[int]" → "pkg.Map").
func baseTask(id string) string {
	if i := strings.IndexByte(id, '['); i >= 0 {
		return id[:i]
	}
	return id
}
