package fingerprint

import (
	"cmp"
	"slices"
)

// ChangeKind says how a part differs between two fingerprints.
type ChangeKind string

// The kinds of PartChange.
const (
	Added   ChangeKind = "added"
	Removed ChangeKind = "removed"
	Changed ChangeKind = "changed"
)

// PartChange is one difference between two fingerprints: a part present
// only in the new one (Added, Old is zero), only in the old one (Removed,
// New is zero), or in both with different hashes (Changed). A moved object
// whose hash is the same is not a change.
type PartChange struct {
	Change ChangeKind
	Old    Part
	New    Part
}

// Diff lists the parts that differ between two fingerprints, sorted by
// kind and name (for cachegen explain).
func Diff(old, new Fingerprint) []PartChange {
	type key struct{ kind, name string }
	before := make(map[key]Part, len(old.Parts))
	for _, p := range old.Parts {
		before[key{p.Kind, p.Name}] = p
	}
	var changes []PartChange
	for _, n := range new.Parts {
		k := key{n.Kind, n.Name}
		o, ok := before[k]
		delete(before, k)
		switch {
		case !ok:
			changes = append(changes, PartChange{Change: Added, New: n})
		case o.Hash != n.Hash:
			changes = append(changes, PartChange{Change: Changed, Old: o, New: n})
		}
	}
	for _, o := range before {
		changes = append(changes, PartChange{Change: Removed, Old: o})
	}
	slices.SortFunc(changes, func(a, b PartChange) int {
		return cmp.Or(cmp.Compare(a.part().Kind, b.part().Kind), cmp.Compare(a.part().Name, b.part().Name))
	})
	return changes
}

// part returns the part a change is about (the new one unless removed).
func (c PartChange) part() Part {
	if c.Change == Removed {
		return c.Old
	}
	return c.New
}
