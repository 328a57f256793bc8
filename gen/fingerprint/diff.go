package fingerprint

import "github.com/cachegen/cachegen/runtime"

// Diff lists the parts that differ between two fingerprints, sorted by
// kind and name: runtime.DiffParts, the one diff that explain uses too.
func Diff(old, new Fingerprint) []runtime.PartChange {
	return runtime.DiffParts(old.Parts, new.Parts)
}
