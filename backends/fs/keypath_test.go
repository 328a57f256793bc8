package fs

import (
	"strings"
	"testing"
)

func TestKeyPathExamples(t *testing.T) {
	tests := []struct{ key, want string }{
		{"a", "#hh/a#"},
		{"a/b", "a/#hh/b#"},
		{"a/b/c", "a/b/#hh/c#"},
		{"Cache/X.y", "!cache/#hh/!x.y#"},
		{"./..", "%2e/#hh/%2e.#"},
		{"a//b", "a/%/#hh/b#"},
		{"a/", "a/#hh/%#"},
		{"%/#/!", "%25/%23/#hh/%21#"},
		{"é", "#hh/%c3%a9#"},
		{"cache/ns/example.com%2Fm%2Fpkg.Align/0123abcd/89ef", "cache/ns/example.com%252!fm%252!fpkg.!align/0123abcd/#hh/89ef#"},
	}
	for _, tt := range tests {
		got := keyPath(tt.key)
		// The fan-out digits depend on the hash; check them separately.
		i := strings.LastIndex(got, "/#")
		fanned := got[:i+2] + "hh" + got[i+4:]
		if fanned != tt.want {
			t.Errorf("keyPath(%q) = %q, want %q (with hh for the fan-out)", tt.key, got, tt.want)
		}
		if key, ok := pathKey(got); !ok || key != tt.key {
			t.Errorf("pathKey(%q) = %q, %v; want %q, true", got, key, ok, tt.key)
		}
	}
}

func TestLongSegmentsAreChunked(t *testing.T) {
	for _, seg := range []string{strings.Repeat("x", 1000), strings.Repeat(".", 300), strings.Repeat("A/", 300), strings.Repeat("é", 200)} {
		key := "p/" + seg + "/" + seg
		rel := keyPath(key)
		checkNames(t, key, rel)
		if got, ok := pathKey(rel); !ok || got != key {
			t.Errorf("pathKey(keyPath(%.20q...)) = %.20q..., %v", key, got, ok)
		}
	}
}

func TestPathKeyRejectsStrangers(t *testing.T) {
	a := keyPath("a/b")
	for _, rel := range []string{
		"", "a", "a#", "#00/a", ".tmp-123", "#00/.tmp-1", "a/b#",
		strings.Replace(a, "b#", "B#", 1),   // not canonical
		strings.Replace(a, "b#", "%62#", 1), // not canonical
		"a/#zz/b#", "a/#0/b#", "a/#000/b#",  // bad fan-out
		"x/" + a[2:] + "/#00/" + a[2:],        // a fan-out directory is no segment
		"a/" + a[2:5] + "/" + a[2:],           // fan-out twice
		strings.Replace(a, "/b#", "/b##", 1),  // double marker
		strings.Replace(a, "/b#", "/%G1#", 1), // bad escape
		strings.Replace(a, "/b#", "/!#", 1),   // bad upper case
	} {
		if key, ok := pathKey(rel); ok {
			t.Errorf("pathKey(%q) = %q, true; want false", rel, key)
		}
	}
}

// checkNames fails the test unless every name in rel is safe and portable.
func checkNames(t *testing.T, key, rel string) {
	t.Helper()
	for name := range strings.SplitSeq(rel, "/") {
		switch {
		case name == "" || len(name) > 255:
			t.Fatalf("keyPath(%q) has a name of length %d", key, len(name))
		case name[0] == '.':
			t.Fatalf("keyPath(%q) has a name starting with '.': %q", key, name)
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; c < 0x21 || c >= 0x7f || ('A' <= c && c <= 'Z') || strings.IndexByte(`\:*?"<>|`, c) >= 0 {
				t.Fatalf("keyPath(%q) has byte %q in name %q", key, c, name)
			}
		}
	}
}

// FuzzKeyPath checks that every key maps to safe names and back, and that
// pathKey accepts only paths keyPath produces.
func FuzzKeyPath(f *testing.F) {
	for _, s := range []string{
		"", "a", "a/b", "a/b/", "/a", "a//b", ".", "..", "./..", ".hidden/x", "A/b", "%", "%25", "!a", "#", "a#/b#c",
		"#00/a#", "a/#3f/b#", "x#c/#00/y#", "é/ü", "\x00/\x7f", "con/aux", "cache/ns/example.com%2Fm%2Fpkg.Align/0123abcd/89ef",
		strings.Repeat("ab/", 40), strings.Repeat("z", 450),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rel := keyPath(s)
		checkNames(t, s, rel)
		if key, ok := pathKey(rel); !ok || key != s {
			t.Fatalf("pathKey(keyPath(%q)) = %q, %v", s, key, ok)
		}
		if key, ok := pathKey(s); ok && keyPath(key) != s {
			t.Fatalf("pathKey(%q) = %q, but keyPath(%q) = %q", s, key, key, keyPath(key))
		}
	})
}
