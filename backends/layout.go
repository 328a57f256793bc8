package backends

import (
	"net/url"
	"strings"
)

// Object names. Every store holds flat keys; the runtime and the tools (ls,
// gc, explain) rely on this layout:
//
//	cache/<namespace>/<task>/<fingerprint>/<argdigest>       cached results
//	manifest/<namespace>/<task>/<fingerprint>                key manifest
//	lock/<namespace>/<task>/<fingerprint>/<argdigest>        leases
//	run/<namespace>/<run-id>/<task>/<signature>/<argdigest>  durable memo entries
//	job/<namespace>/<job-id>/<group>/.../<key>               job caches
//	shared/<namespace>/<name>/<group>/.../<key>              shared caches
//	activity/<namespace>/<interval>/<process>                recorded hits and misses
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
	return treePrefix("cache", namespace, escapeID(task))
}

// ManifestKey is the object name of a task fingerprint's key manifest.
func ManifestKey(namespace, task, fingerprint string) string {
	return "manifest/" + EscapeSegment(namespace) + "/" + EscapeSegment(task) + "/" + fingerprint
}

// LockKey is the object name of the lease that guards one cached result.
func LockKey(namespace, task, fingerprint, argDigest string) string {
	return "lock/" + EscapeSegment(namespace) + "/" + EscapeSegment(task) + "/" + fingerprint + "/" + argDigest
}

// ManifestPrefix is the prefix of every key manifest of a task in a
// namespace; an empty task gives the prefix of the whole namespace's.
func ManifestPrefix(namespace, task string) string {
	return treePrefix("manifest", namespace, escapeID(task))
}

// RunKey is the object name of a durable memo entry of a run.
func RunKey(namespace, runID, task, signature, argDigest string) string {
	return RunPrefix(namespace, runID) + EscapeSegment(task) + "/" + signature + "/" + argDigest
}

// RunPrefix is the prefix of every durable memo entry of a run; an empty
// run ID gives the prefix of every run of the namespace.
func RunPrefix(namespace, runID string) string {
	return treePrefix("run", namespace, escapeID(runID))
}

// JobPrefix is the prefix of every object of a job's cache; an empty job
// ID gives the prefix of every job of the namespace. Job IDs are validated
// by the runtime, not escaped, so they read in a store as in a program.
func JobPrefix(namespace, jobID string) string {
	return treePrefix("job", namespace, jobID)
}

// SharedPrefix is the prefix of every object of a shared cache; an empty
// name gives the prefix of every shared cache of the namespace. Names are
// validated by the runtime, not escaped.
func SharedPrefix(namespace, name string) string {
	return treePrefix("shared", namespace, name)
}

// treePrefix is <tree>/<namespace>/, followed by id and "/" unless id is
// "" (id is escaped or validated by the caller).
func treePrefix(tree, namespace, id string) string {
	p := tree + "/" + EscapeSegment(namespace) + "/"
	if id != "" {
		p += id + "/"
	}
	return p
}

// escapeID is EscapeSegment(id), or "" for an empty id: a prefix of the
// whole namespace rather than of the empty ID.
func escapeID(id string) string {
	if id == "" {
		return ""
	}
	return EscapeSegment(id)
}

// UnescapeSegment reverses [EscapeSegment].
func UnescapeSegment(s string) (string, error) {
	if s == "%" {
		return "", nil
	}
	return url.PathUnescape(s)
}

// CacheName is the parsed object name of a cached result.
type CacheName struct {
	Namespace, Task, Fingerprint, Digest string
}

// ParseCacheKey parses the object name of a cached result, as [CacheKey]
// builds it; ok is false for any other name.
func ParseCacheKey(key string) (name CacheName, ok bool) {
	rest, ok := strings.CutPrefix(key, "cache/")
	if !ok {
		return CacheName{}, false
	}
	nsSeg, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return CacheName{}, false
	}
	seg, fp, digest, ok := SplitTaskKey(rest)
	if !ok {
		return CacheName{}, false
	}
	ns, err1 := UnescapeSegment(nsSeg)
	task, err2 := UnescapeSegment(seg)
	if err1 != nil || err2 != nil {
		return CacheName{}, false
	}
	return CacheName{Namespace: ns, Task: task, Fingerprint: fp, Digest: digest}, true
}

// SplitTaskKey splits the end of a cache or run object name,
// <task>/<fingerprint or signature>/<argdigest>, into its three segments,
// the task still escaped, without allocating: listings call it per object.
func SplitTaskKey(rest string) (taskSeg, fp, digest string, ok bool) {
	taskSeg, rest, ok1 := strings.Cut(rest, "/")
	fp, digest, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 || taskSeg == "" || fp == "" || digest == "" || strings.Contains(digest, "/") {
		return "", "", "", false
	}
	return taskSeg, fp, digest, true
}

// ActivityKey is the object name of what one process recorded in one
// interval: activity/<namespace>/<interval>/<process>, where interval is
// the interval's start as 20061231T1504Z (UTC; names sort by time).
func ActivityKey(namespace, interval, process string) string {
	return ActivityPrefix(namespace) + interval + "/" + EscapeSegment(process)
}

// ActivityPrefix is the prefix of every activity record of a namespace.
func ActivityPrefix(namespace string) string { return treePrefix("activity", namespace, "") }
