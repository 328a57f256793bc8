package backends

import "strings"

// Object names. Every store holds flat keys; the runtime and the tools (ls,
// gc, explain) rely on this layout:
//
//	cache/<namespace>/<task>/<fingerprint>/<argdigest>       cached results
//	manifest/<namespace>/<task>/<fingerprint>                key manifest
//	lock/<namespace>/<task>/<fingerprint>/<argdigest>        leases
//	run/<namespace>/<run-id>/<task>/<signature>/<argdigest>  durable memo entries
//	job/<namespace>/<job-id>/<group>/.../<key>               job caches
//	shared/<namespace>/<name>/<group>/.../<key>              shared caches
//
// <task> is the task identity with EscapeSegment applied; digests are
// lowercase hex.

// EscapeSegment makes s usable as one key segment: '%' and '/' (and control
// characters) are percent-encoded, so a task identity such as
// "example.com/m/pkg.Align" becomes "example.com%2Fm%2Fpkg.Align".
// The empty string becomes a lone "%" (no escape can produce it) so a
// segment is never empty.
func EscapeSegment(s string) string {
	if s == "" {
		return "%"
	}
	if !strings.ContainsFunc(s, needsEscape) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if needsEscape(rune(c)) {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func needsEscape(r rune) bool { return r == '%' || r == '/' || r < 0x20 || r == 0x7f }

// CacheKey is the object name of a cached result.
func CacheKey(namespace, task, fingerprint, argDigest string) string {
	return "cache/" + EscapeSegment(namespace) + "/" + EscapeSegment(task) + "/" + fingerprint + "/" + argDigest
}

// CachePrefix is the prefix of every cached result of a task in a namespace;
// an empty task gives the prefix of the whole namespace.
func CachePrefix(namespace, task string) string {
	if task == "" {
		return "cache/" + EscapeSegment(namespace) + "/"
	}
	return "cache/" + EscapeSegment(namespace) + "/" + EscapeSegment(task) + "/"
}

// ManifestKey is the object name of a task fingerprint's key manifest.
func ManifestKey(namespace, task, fingerprint string) string {
	return "manifest/" + EscapeSegment(namespace) + "/" + EscapeSegment(task) + "/" + fingerprint
}

// LockKey is the object name of the lease that guards one cached result.
func LockKey(namespace, task, fingerprint, argDigest string) string {
	return "lock/" + EscapeSegment(namespace) + "/" + EscapeSegment(task) + "/" + fingerprint + "/" + argDigest
}

// RunKey is the object name of a durable memo entry of a run.
func RunKey(namespace, runID, task, signature, argDigest string) string {
	return "run/" + EscapeSegment(namespace) + "/" + EscapeSegment(runID) + "/" + EscapeSegment(task) + "/" + signature + "/" + argDigest
}
