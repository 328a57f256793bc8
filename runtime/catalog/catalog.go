package catalog

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// A Catalog reads one namespace of a store. The zero Catalog has no store
// and fails; set Store and Namespace ("" is [runtime.DefaultNamespace]).
type Catalog struct {
	Store     backends.Store
	Namespace string
	// Now is the time ages are measured against (-older-than); zero is the
	// time each method starts.
	Now time.Time
}

func (c *Catalog) ns() string { return cmp.Or(c.Namespace, runtime.DefaultNamespace) }

func (c *Catalog) now() time.Time {
	if c.Now.IsZero() {
		return time.Now()
	}
	return c.Now
}

func (c *Catalog) store() (backends.Store, error) {
	if c.Store == nil {
		return nil, errors.New("catalog: no store")
	}
	return c.Store, nil
}

// Entry is one cached result as the listing shows it: never its value.
type Entry struct {
	Key         string    `json:"key"`
	Task        string    `json:"task"`
	Fingerprint string    `json:"fingerprint"`
	Digest      string    `json:"digest"`
	Size        int64     `json:"size"`
	Modified    time.Time `json:"modified"`
}

// Ref is the entry's key as a person writes it and Inspect reads it:
// <task>/<fingerprint>/<argdigest>, the task unescaped.
func (e Entry) Ref() string { return e.Task + "/" + e.Fingerprint + "/" + e.Digest }

// Entries streams the namespace's cached results, sorted by key, whose
// task matches task ([runtime.TaskMatches]; "" matches all). Objects that
// do not have the entry layout are skipped.
func (c *Catalog) Entries(ctx context.Context, task string) iter.Seq2[Entry, error] {
	prefix := backends.CachePrefix(c.ns(), "")
	return func(yield func(Entry, error) bool) {
		store, err := c.store()
		if err != nil {
			yield(Entry{}, err)
			return
		}
		// A task's entries are contiguous: unescape its name once.
		var lastSeg, id string
		var idErr error
		first := true
		for info, err := range store.List(ctx, prefix) {
			if err != nil {
				yield(Entry{}, fmt.Errorf("list %s: %w", prefix, err))
				return
			}
			seg, fp, digest, ok := backends.SplitTaskKey(info.Key[len(prefix):])
			if !ok {
				continue
			}
			if first || seg != lastSeg {
				first, lastSeg = false, seg
				id, idErr = backends.UnescapeSegment(seg)
			}
			if idErr != nil || (task != "" && !runtime.TaskMatches(id, task)) {
				continue
			}
			if !yield(Entry{Key: info.Key, Task: id, Fingerprint: fp, Digest: digest, Size: info.Size, Modified: info.Modified}, nil) {
				return
			}
		}
	}
}

// TaskStats sums one task's entries; Task is "" for the total.
type TaskStats struct {
	Task    string `json:"task"`
	Entries int    `json:"entries"`
	Bytes   int64  `json:"bytes"`
	// Compute sums the entries' compute times (deep only): what one hit
	// on each entry saves. Unreadable counts entries whose header could
	// not be read.
	Compute    time.Duration `json:"compute_ns,omitempty"`
	Unreadable int           `json:"unreadable,omitempty"`
}

// Stats sums entries and bytes per task, sorted by task, and in total;
// deep also reads each entry's header (its first bytes only) to sum the
// compute time hits save. scanned, if not nil, is called with the count of
// entries seen so far, for progress.
func (c *Catalog) Stats(ctx context.Context, deep bool, scanned func(n int)) ([]TaskStats, TaskStats, error) {
	byTask := map[string]*TaskStats{}
	total := &TaskStats{}
	for r, err := range c.Entries(ctx, "") {
		if err != nil {
			return nil, TaskStats{}, err
		}
		if scanned != nil {
			scanned(total.Entries + 1)
		}
		s := byTask[r.Task]
		if s == nil {
			s = &TaskStats{Task: r.Task}
			byTask[r.Task] = s
		}
		for _, s := range []*TaskStats{s, total} {
			s.Entries++
			s.Bytes += r.Size
		}
		if deep {
			info, err := c.Header(ctx, r.Key)
			if err != nil {
				s.Unreadable++
				total.Unreadable++
				continue
			}
			s.Compute += info.Compute
			total.Compute += info.Compute
		}
	}
	rows := make([]TaskStats, 0, len(byTask))
	for _, s := range byTask {
		rows = append(rows, *s)
	}
	slices.SortFunc(rows, func(a, b TaskStats) int { return strings.Compare(a.Task, b.Task) })
	return rows, *total, nil
}

// Header reads the header of the entry at key, only its first bytes: it
// cannot verify the checksum (see [runtime.ParseEntryHeader]).
func (c *Catalog) Header(ctx context.Context, key string) (runtime.EntryInfo, error) {
	store, err := c.store()
	if err != nil {
		return runtime.EntryInfo{}, err
	}
	rc, _, err := store.Get(ctx, key)
	if err != nil {
		return runtime.EntryInfo{}, fmt.Errorf("get %s: %w", key, err)
	}
	defer rc.Close()
	buf := make([]byte, runtime.EntryHeaderSize)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return runtime.EntryInfo{}, fmt.Errorf("read header of %s: %w", key, err)
	}
	info, err := runtime.ParseEntryHeader(buf)
	if err != nil {
		return runtime.EntryInfo{}, fmt.Errorf("%s: %w", key, err)
	}
	return info, nil
}

// Inspected is one entry checked in full, with its task's key manifest.
type Inspected struct {
	Entry
	runtime.EntryInfo
	// Manifest is the key manifest of the entry's task and fingerprint,
	// nil when the store has none.
	Manifest *runtime.Manifest `json:"manifest,omitempty"`
	// Data is the entry as stored, already read (cachegen inspect -value
	// decodes it).
	Data []byte `json:"-"`
}

// Inspect reads and checks the entry at key (an object name, or
// <task>/<fingerprint>/<argdigest> under the namespace, the task as
// written or escaped: what [Entry.Ref] gives) and its task's key
// manifest. A corrupt entry is an error.
func (c *Catalog) Inspect(ctx context.Context, key string) (Inspected, error) {
	if !strings.HasPrefix(key, "cache/") {
		// <task>/<fingerprint>/<digest>, the task as written (with its
		// slashes) or escaped.
		d := strings.LastIndexByte(key, '/')
		f := strings.LastIndexByte(key[:max(d, 0)], '/')
		task, err := backends.UnescapeSegment(key[:max(f, 0)])
		if err != nil || f <= 0 || d-f < 2 || d == len(key)-1 {
			return Inspected{}, fmt.Errorf("inspect %s: not a cached result's key (<task>/<fingerprint>/<argdigest>, as cachegen ls prints it)", key)
		}
		key = backends.CacheKey(c.ns(), task, key[f+1:d], key[d+1:])
	}
	name, ok := backends.ParseCacheKey(key)
	if !ok {
		return Inspected{}, fmt.Errorf("inspect %s: not a cached result's key (cache/<namespace>/<task>/<fingerprint>/<argdigest>)", key)
	}
	data, info, err := c.read(ctx, key)
	if err != nil {
		return Inspected{}, err
	}
	ei, err := runtime.ParseEntry(data)
	if err != nil {
		return Inspected{}, fmt.Errorf("inspect %s: %w", key, err)
	}
	out := Inspected{Entry: Entry{Key: key, Task: name.Task, Fingerprint: name.Fingerprint, Digest: name.Digest, Size: info.Size, Modified: info.Modified}, EntryInfo: ei, Data: data}
	if out.Manifest, err = c.manifest(ctx, backends.ManifestKey(name.Namespace, name.Task, name.Fingerprint)); err != nil {
		return Inspected{}, fmt.Errorf("inspect %s: %w", key, err)
	}
	return out, nil
}

// Manifest reads the key manifest of a task's fingerprint; nil when the
// store has none.
func (c *Catalog) Manifest(ctx context.Context, task, fingerprint string) (*runtime.Manifest, error) {
	return c.manifest(ctx, backends.ManifestKey(c.ns(), task, fingerprint))
}

func (c *Catalog) manifest(ctx context.Context, key string) (*runtime.Manifest, error) {
	data, _, err := c.read(ctx, key)
	if errors.Is(err, backends.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m runtime.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", key, err)
	}
	return &m, nil
}

func (c *Catalog) read(ctx context.Context, key string) ([]byte, backends.Info, error) {
	store, err := c.store()
	if err != nil {
		return nil, backends.Info{}, err
	}
	rc, info, err := store.Get(ctx, key)
	if err != nil {
		return nil, info, fmt.Errorf("get %s: %w", key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, info, fmt.Errorf("read %s: %w", key, err)
	}
	return data, info, nil
}
