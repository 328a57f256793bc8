package catalog

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// Kind is one of the trees of objects that belong to an ID rather than to
// a task:
//
//	job/<namespace>/<job-id>/<group>/.../<key>
//	shared/<namespace>/<name>/<group>/.../<key>
//	run/<namespace>/<run-id>/<task>/<signature>/<argdigest>
type Kind uint8

// The kinds, in the order [Kinds] returns them.
const (
	Job    Kind = iota // a job's cache: runtime.JobCache, runtime.NamedCache
	Shared             // a shared cache: runtime.SharedCache
	Run                // a durable memo run: runtime.WithRun
)

// Kinds returns every kind, in the order tools list them.
func Kinds() []Kind { return []Kind{Job, Shared, Run} }

// String is the layout's first segment: "job", "shared" or "run".
func (k Kind) String() string {
	switch k {
	case Job:
		return "job"
	case Shared:
		return "shared"
	case Run:
		return "run"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Noun is what an ID of the kind is called in messages.
func (k Kind) Noun() string {
	switch k {
	case Job:
		return "job ID"
	case Shared:
		return "shared cache name"
	}
	return "run ID"
}

// Prefix is the prefix of every object of the kind in namespace ns.
func (k Kind) Prefix(ns string) string { return k.IDPrefix(ns, "") }

// IDPrefix is the prefix of every object of id, which must be valid
// ([Kind.Validate]): it ends with "/", so job "j1" never selects job "j10".
func (k Kind) IDPrefix(ns, id string) string {
	switch k {
	case Job:
		return backends.JobPrefix(ns, id)
	case Shared:
		return backends.SharedPrefix(ns, id)
	}
	return backends.RunPrefix(ns, id)
}

// Validate rejects an ID that could select objects other than its own:
// job IDs and cache names, which the runtime does not escape, by the
// runtime's own rules ([runtime.ValidJobID], [runtime.ValidCacheName]);
// run IDs, which are escaped, when empty, "." or "..".
func (k Kind) Validate(id string) error {
	switch k {
	case Job:
		return runtime.ValidJobID(id)
	case Shared:
		return runtime.ValidCacheName(id)
	}
	switch id {
	case "":
		return fmt.Errorf("invalid %s %q: empty", k.Noun(), id)
	case ".", "..":
		return fmt.Errorf("invalid %s %q: %q segment", k.Noun(), id, id)
	}
	return nil
}

// ParseID turns a listed ID segment back into the ID.
func (k Kind) ParseID(seg string) (string, error) {
	if k != Run {
		return seg, nil
	}
	return backends.UnescapeSegment(seg)
}

// IDTotals sums the objects of one job, shared cache or run.
type IDTotals struct {
	ID      string    `json:"id"`
	Objects int       `json:"objects"`
	Bytes   int64     `json:"bytes"`
	Newest  time.Time `json:"newest"`
}

// IDs lists the kind's objects once and sums them per ID, sorted by ID.
// An ID's objects are contiguous in the listing (they share a prefix), so
// it keeps one small row per ID and nothing per object. scanned, if not
// nil, is called with the count of objects seen so far.
func (c *Catalog) IDs(ctx context.Context, k Kind, scanned func(n int)) ([]IDTotals, error) {
	store, err := c.store()
	if err != nil {
		return nil, err
	}
	prefix := k.Prefix(c.ns())
	var rows []IDTotals
	n := 0
	for info, err := range store.List(ctx, prefix) {
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", prefix, err)
		}
		if n++; scanned != nil {
			scanned(n)
		}
		seg, rest, ok := strings.Cut(info.Key[len(prefix):], "/")
		id, err := k.ParseID(seg)
		if !ok || seg == "" || rest == "" || err != nil {
			continue // not the layout of the kind
		}
		if len(rows) == 0 || rows[len(rows)-1].ID != id {
			rows = append(rows, IDTotals{ID: id})
		}
		r := &rows[len(rows)-1]
		r.Objects++
		r.Bytes += info.Size
		if info.Modified.After(r.Newest) {
			r.Newest = info.Modified
		}
	}
	// "j1-x/…" sorts before "j1/…" in the listing; IDs sort by themselves.
	slices.SortFunc(rows, func(a, b IDTotals) int { return strings.Compare(a.ID, b.ID) })
	return rows, nil
}

// Object is one object of a job, shared cache or run. Name is its object
// name, Key its name below the ID (group path and key, or for runs
// task/signature/digest with the task escaped); Task, Signature and Digest
// are set for runs' entries.
type Object struct {
	Key       string    `json:"key"`
	Name      string    `json:"object"`
	Task      string    `json:"task,omitempty"`
	Signature string    `json:"signature,omitempty"`
	Digest    string    `json:"digest,omitempty"`
	Size      int64     `json:"size"`
	Modified  time.Time `json:"modified"`
}

// Objects streams the objects of one ID, sorted by key; for runs, only the
// entries of task when it is not "" ([runtime.TaskMatches]).
func (c *Catalog) Objects(ctx context.Context, k Kind, id, task string) iter.Seq2[Object, error] {
	prefix := k.IDPrefix(c.ns(), id)
	return func(yield func(Object, error) bool) {
		store, err := c.store()
		if err != nil {
			yield(Object{}, err)
			return
		}
		for info, err := range store.List(ctx, prefix) {
			if err != nil {
				yield(Object{}, fmt.Errorf("list %s: %w", prefix, err))
				return
			}
			o := Object{Key: info.Key[len(prefix):], Name: info.Key, Size: info.Size, Modified: info.Modified}
			if o.Key == "" {
				continue
			}
			if k == Run {
				if seg, sig, digest, ok := backends.SplitTaskKey(o.Key); ok {
					if t, err := backends.UnescapeSegment(seg); err == nil {
						o.Task, o.Signature, o.Digest = t, sig, digest
					}
				}
			}
			if task != "" && (o.Task == "" || !runtime.TaskMatches(o.Task, task)) {
				continue
			}
			if !yield(o, nil) {
				return
			}
		}
	}
}

// KindTotals sums one kind of objects.
type KindTotals struct {
	Kind    string `json:"kind"`
	IDs     int    `json:"ids"`
	Objects int    `json:"objects"`
	Bytes   int64  `json:"bytes"`
}

// KindTotals sums each kind's objects, in the order of [Kinds].
func (c *Catalog) KindTotals(ctx context.Context, scanned func(n int)) ([]KindTotals, error) {
	var out []KindTotals
	for _, k := range Kinds() {
		rows, err := c.IDs(ctx, k, scanned)
		if err != nil {
			return nil, err
		}
		t := KindTotals{Kind: k.String(), IDs: len(rows)}
		for _, r := range rows {
			t.Objects += r.Objects
			t.Bytes += r.Bytes
		}
		out = append(out, t)
	}
	return out, nil
}
