package cli

import (
	"testing"
	"time"
)

func TestParseUnits(t *testing.T) {
	for s, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "1d12h": 36 * time.Hour, "90m": 90 * time.Minute, "0.5d": 12 * time.Hour, "0": 0} {
		if got, err := parseDuration(s); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "d", "7x", "-1d", "1d-2h", "1dd"} {
		if _, err := parseDuration(s); err == nil {
			t.Errorf("parseDuration(%q) accepted", s)
		}
	}
	for s, want := range map[string]int64{"1000": 1000, "512MB": 512e6, "1G": 1e9, "2GiB": 2 << 30, "1.5k": 1500, "10 MiB": 10 << 20} {
		if got, err := parseSize(s); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "MB", "12XB", "-1G", "1e30T"} {
		if _, err := parseSize(s); err == nil {
			t.Errorf("parseSize(%q) accepted", s)
		}
	}
}

// FuzzParseUnits checks that the parsers never panic and never return a
// negative value.
func FuzzParseUnits(f *testing.F) {
	for _, s := range []string{"7d", "1d12h", "512MB", "2GiB", "1e30T", "0.5d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := parseDuration(s); err == nil && d < 0 {
			t.Fatalf("parseDuration(%q) = %v", s, d)
		}
		if n, err := parseSize(s); err == nil && n < 0 {
			t.Fatalf("parseSize(%q) = %d", s, n)
		}
	})
}
