package runtime

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime/internal/entry"
)

// Explanation says whether a call would hit, and why not.
type Explanation struct {
	// Hit is true when a valid, unexpired entry exists for the call.
	Hit bool `json:"hit"`
	// Reason is one line: "first call", "arguments differ: …",
	// "code changed: helper `double` (calc.go)", "version bumped 1→2",
	// "expired: …", "entry corrupt: …", "refresh requested", or "hit: …".
	Reason string `json:"reason"`
	// Key is the object name the call looks up.
	Key string `json:"key"`
	// Changes are the fingerprint parts that differ from the newest stored
	// manifest of the task, when the code changed.
	Changes []PartChange `json:"changes,omitempty"`
	// NotFollowed lists what the fingerprint could not see (dynamic calls,
	// init functions, embedded files): changes there are not detected.
	NotFollowed []string `json:"not_followed,omitempty"`
}

// PartChange is one difference between two fingerprints' parts.
type PartChange struct {
	Change ChangeKind `json:"change"`
	Old    Part       `json:"old,omitzero"`
	New    Part       `json:"new,omitzero"`
}

// Explain looks in store for the entry of t with the encoded key arguments
// in namespace ns and says whether a call would hit and, if not, why: it
// reads the entry, the other entries of the task, and the key manifests
// earlier fingerprints left. It reads more than the cache path does, so the
// cache path calls it only when debug logging is on.
func Explain(ctx context.Context, store backends.Store, ns string, t *Task, key []byte, now time.Time) (Explanation, error) {
	digest, check := argHashes(key)
	ex := Explanation{Key: objectKey(ns, t, digest), NotFollowed: t.NotFollowed}
	data, err := readObject(ctx, store, ex.Key)
	switch {
	case err == nil:
		ex.Reason, ex.Hit = judgeEntry(data, check, t.TTL, now)
		return ex, nil
	case !errors.Is(err, backends.ErrNotFound):
		return ex, fmt.Errorf("explain: %w", err)
	}
	return explainAbsent(ctx, store, ns, t, ex)
}

// ExplainDigest is [Explain] for the entry stored under an argument digest
// (the last element of an entry's key) rather than for arguments: for
// arguments JSON cannot express. Without the arguments the entry's key
// check cannot be verified, so a stored entry is judged by its presence
// and age (the store's modification time) alone.
func ExplainDigest(ctx context.Context, store backends.Store, ns string, t *Task, digest string, now time.Time) (Explanation, error) {
	ex := Explanation{Key: backends.CacheKey(ns, t.ID, t.Fingerprint, digest), NotFollowed: t.NotFollowed}
	rc, info, err := store.Get(ctx, ex.Key)
	switch {
	case err == nil:
		rc.Close()
		age := now.Sub(info.Modified).Round(time.Second)
		ex.Hit = true
		ex.Reason = fmt.Sprintf("hit: stored %s ago, %d bytes (not validated: -digest gives no arguments to check the entry against)", age, info.Size)
		if t.TTL > 0 && age > t.TTL {
			ex.Hit, ex.Reason = false, fmt.Sprintf("expired: stored %s ago, ttl %s", age, t.TTL)
		}
		return ex, nil
	case !errors.Is(err, backends.ErrNotFound):
		return ex, fmt.Errorf("explain: %w", err)
	}
	return explainAbsent(ctx, store, ns, t, ex)
}

// explainAbsent words the miss of a call whose entry is absent: other
// arguments, other code, or a first call.
func explainAbsent(ctx context.Context, store backends.Store, ns string, t *Task, ex Explanation) (Explanation, error) {
	sameCode := backends.CachePrefix(ns, t.ID) + t.Fingerprint + "/"
	n, err := count(ctx, store, sameCode)
	if err != nil {
		return ex, fmt.Errorf("explain: %w", err)
	}
	if n > 0 {
		ex.Reason = fmt.Sprintf("arguments differ: %d stored result(s) of this code have other arguments", n)
		return ex, nil
	}
	old, err := newestManifest(ctx, store, ns, t)
	if err != nil {
		return ex, fmt.Errorf("explain: %w", err)
	}
	if old == nil {
		others, err := count(ctx, store, backends.CachePrefix(ns, t.ID))
		if err != nil {
			return ex, fmt.Errorf("explain: %w", err)
		}
		ex.Reason = "first call"
		if others > 0 {
			ex.Reason = "code changed (no key manifest of the earlier code to compare with)"
		}
		return ex, nil
	}
	ex.Changes = DiffParts(old.Parts, t.Parts)
	ex.Reason = codeReason(old, t, ex.Changes)
	return ex, nil
}

// Status is a task's standing in a store: what [Explain] says without
// arguments.
type Status struct {
	Task        string `json:"task"`
	Fingerprint string `json:"fingerprint"`
	Version     string `json:"version,omitempty"`
	Namespace   string `json:"namespace"`
	// Entries counts the stored results under the current fingerprint,
	// OtherEntries those under other fingerprints.
	Entries      int `json:"entries"`
	OtherEntries int `json:"other_entries"`
	// Since says what changed since the newest key manifest of another
	// fingerprint, worded as a miss would be ("code changed: …"); empty
	// when the store has no such manifest.
	Since       string       `json:"since,omitempty"`
	Changes     []PartChange `json:"changes,omitempty"`
	NotFollowed []string     `json:"not_followed,omitempty"`
}

// TaskStatus counts t's entries in namespace ns and compares its code with
// the newest key manifest of another fingerprint.
func TaskStatus(ctx context.Context, store backends.Store, ns string, t *Task) (Status, error) {
	st := Status{Task: t.ID, Fingerprint: t.Fingerprint, Version: t.Version, Namespace: ns, NotFollowed: t.NotFollowed}
	current := backends.CachePrefix(ns, t.ID) + t.Fingerprint + "/"
	for info, err := range store.List(ctx, backends.CachePrefix(ns, t.ID)) {
		if err != nil {
			return st, fmt.Errorf("%s: list entries: %w", t.ID, err)
		}
		if strings.HasPrefix(info.Key, current) {
			st.Entries++
		} else {
			st.OtherEntries++
		}
	}
	old, err := newestManifest(ctx, store, ns, t)
	if err != nil {
		return st, fmt.Errorf("%s: %w", t.ID, err)
	}
	if old != nil {
		st.Changes = DiffParts(old.Parts, t.Parts)
		st.Since = codeReason(old, t, st.Changes)
	}
	return st, nil
}

// judgeEntry checks a stored entry as the cache path would.
func judgeEntry(data []byte, check uint64, ttl time.Duration, now time.Time) (string, bool) {
	h, _, err := entry.Parse(data)
	if err == nil && h.KeyCheck != check {
		err = errors.New("it belongs to other arguments (a digest collision or a foreign entry)")
	}
	if err != nil {
		return "entry corrupt: " + err.Error(), false
	}
	age := now.Sub(h.Created).Round(time.Second)
	if ttl > 0 && age > ttl {
		return fmt.Sprintf("expired: stored %s ago, ttl %s", age, ttl), false
	}
	return fmt.Sprintf("hit: stored %s ago, computed in %s", age, h.Compute.Round(time.Millisecond)), true
}

func readObject(ctx context.Context, store backends.Store, key string) ([]byte, error) {
	rc, _, err := store.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func count(ctx context.Context, store backends.Store, prefix string) (int, error) {
	n := 0
	for _, err := range store.List(ctx, prefix) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// newestManifest returns the most recently written manifest of another
// fingerprint of t, or nil.
func newestManifest(ctx context.Context, store backends.Store, ns string, t *Task) (*Manifest, error) {
	var newest backends.Info
	prefix := backends.ManifestKey(ns, t.ID, "")
	for info, err := range store.List(ctx, prefix) {
		if err != nil {
			return nil, err
		}
		if info.Key != prefix+t.Fingerprint && info.Modified.After(newest.Modified) {
			newest = info
		}
	}
	if newest.Key == "" {
		return nil, nil
	}
	data, err := readObject(ctx, store, newest.Key)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", newest.Key, err)
	}
	return &m, nil
}

// ChangeKind says how a part differs between two fingerprints.
type ChangeKind string

// The kinds of PartChange.
const (
	Added   ChangeKind = "added"   // only in the new fingerprint (Old is zero)
	Removed ChangeKind = "removed" // only in the old one (New is zero)
	Changed ChangeKind = "changed" // in both, with different hashes
)

// Part returns the part the change is about: the new one, or the old one
// when it was removed.
func (c PartChange) Part() Part {
	if c.Change == Removed {
		return c.Old
	}
	return c.New
}

// DiffParts lists the parts that differ between two sorted part lists
// (by kind and name; positions are not compared).
func DiffParts(old, new []Part) []PartChange {
	key := func(p Part) string { return string(p.Kind) + "\x00" + p.Name }
	olds := make(map[string]Part, len(old))
	for _, p := range old {
		olds[key(p)] = p
	}
	var out []PartChange
	for _, p := range new {
		o, ok := olds[key(p)]
		delete(olds, key(p))
		switch {
		case !ok:
			out = append(out, PartChange{Change: Added, New: p})
		case o.Hash != p.Hash:
			out = append(out, PartChange{Change: Changed, Old: o, New: p})
		}
	}
	for _, p := range olds {
		out = append(out, PartChange{Change: Removed, Old: p})
	}
	slices.SortFunc(out, func(a, b PartChange) int {
		pa, pb := cmp.Or(a.New, a.Old), cmp.Or(b.New, b.Old)
		return cmp.Or(cmp.Compare(pa.Kind, pb.Kind), cmp.Compare(pa.Name, pb.Name))
	})
	return out
}

// codeReason words the difference between an earlier manifest and t.
func codeReason(old *Manifest, t *Task, changes []PartChange) string {
	if old.Version != t.Version && (old.Version != "" || t.Version != "") {
		return fmt.Sprintf("version bumped %s→%s", orNone(old.Version), orNone(t.Version))
	}
	var words []string
	for _, c := range changes {
		switch c.Change {
		case Added:
			words = append(words, "now reaches "+describe(c.New, ""))
		case Removed:
			words = append(words, "no longer reaches "+describe(c.Old, ""))
		default:
			words = append(words, describe(c.New, c.Old.Hash))
		}
	}
	if len(words) == 0 {
		return fmt.Sprintf("code changed: fingerprint %s→%s", old.Fingerprint, t.Fingerprint)
	}
	if len(words) > 4 {
		words = append(words[:4], fmt.Sprintf("and %d more", len(words)-4))
	}
	return "code changed: " + strings.Join(words, ", ")
}

func orNone(v string) string { return cmp.Or(v, "(none)") }

// describe names a part for a person: "helper `double` (calc.go)".
func describe(p Part, oldHash string) string {
	short := p.Name
	if i := strings.LastIndex(short, "/"); i >= 0 {
		short = short[i+1:]
	}
	if _, rest, ok := strings.Cut(short, "."); ok {
		short = rest
	}
	where := ""
	if p.Pos != "" {
		where = " (" + p.Pos + ")"
	}
	switch p.Kind {
	case PartDecl:
		return "the function's own code" + where
	case PartSignature:
		return "its signature or result types"
	case PartOptions:
		return "its key options (key=, ignore=)"
	case PartModule:
		if oldHash != "" {
			return fmt.Sprintf("module %s %s→%s", p.Name, oldHash, p.Hash)
		}
		return "module " + p.Name
	case PartGo:
		return fmt.Sprintf("go version %s→%s", cmp.Or(oldHash, "?"), p.Hash)
	case PartFunc:
		return "helper `" + short + "`" + where
	case PartConst:
		return "constant `" + short + "`" + where
	case PartVar:
		return "variable `" + short + "`" + where
	case PartTask:
		return "task `" + short + "` (called through its wrapper)"
	}
	return string(p.Kind) + " `" + short + "`" + where
}
