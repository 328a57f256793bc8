package cli

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/internal/progress"
	"github.com/cachegen/cachegen/runtime/catalog"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestProgressThrottle(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	var w bytes.Buffer
	p := progress.New(&w, true, clock.now)
	scanned(p, 10, "entries", nil)
	clock.advance(199 * time.Millisecond)
	scanned(p, 20, "entries", nil)
	if w.Len() != 0 {
		t.Fatalf("progress within the first 200ms: %q", w.String())
	}
	clock.advance(time.Millisecond)
	scanned(p, 12_000, "entries", &catalog.Sweep{Deleted: 340, Bytes: 1_234_567})
	first := "scanned 12,000 entries, deleting 340 (1.2 MB)"
	if want := "\r" + first; w.String() != want {
		t.Fatalf("progress line %q, want %q", w.String(), want)
	}
	w.Reset()
	clock.advance(150 * time.Millisecond)
	scanned(p, 13_000, "entries", nil)
	if w.Len() != 0 {
		t.Fatalf("progress redrawn after 150ms: %q", w.String())
	}
	clock.advance(50 * time.Millisecond)
	scanned(p, 14_000, "objects", &catalog.Sweep{DryRun: true, Deleted: 2, Bytes: 999})
	// The shorter line pads over the longer one's tail.
	second := "scanned 14,000 objects, selected 2 (999 B)"
	if want := "\r" + second + strings.Repeat(" ", len(first)-len(second)); w.String() != want {
		t.Fatalf("progress line %q, want %q", w.String(), want)
	}
	w.Reset()
	p.Clear()
	if want := "\r" + strings.Repeat(" ", len(second)) + "\r"; w.String() != want {
		t.Fatalf("clear wrote %q, want %q", w.String(), want)
	}
	w.Reset()
	p.Clear()
	if w.Len() != 0 {
		t.Fatalf("a second clear wrote %q", w.String())
	}
}

func TestProgressNotTerminal(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	var w bytes.Buffer
	p := progress.New(&w, false, clock.now)
	if p != nil {
		t.Fatal("progress.New: not nil for a non-terminal")
	}
	clock.advance(time.Hour)
	scanned(p, 1, "entries", nil)
	p.Show("x")
	p.Clear()
	if out := p.Writer(&w); out != &w {
		t.Error("writer of a nil progress wraps its writer")
	}
	if w.Len() != 0 {
		t.Errorf("a nil progress wrote %q", w.String())
	}
}

// screen renders what a terminal shows for out: "\r" returns to the
// line's start, later characters overwrite earlier ones.
func screen(out string) []string {
	var lines []string
	var line []byte
	col := 0
	for i := 0; i < len(out); i++ {
		switch c := out[i]; c {
		case '\r':
			col = 0
		case '\n':
			lines = append(lines, strings.TrimRight(string(line), " "))
			line, col = nil, 0
		default:
			if col < len(line) {
				line[col] = c
			} else {
				line = append(line, c)
			}
			col++
		}
	}
	if s := strings.TrimRight(string(line), " "); s != "" {
		lines = append(lines, s)
	}
	return lines
}

// TestProgressPurge runs purge with progress on a fake terminal that
// stdout shares, with a clock that makes every line due: progress lines
// are drawn, and the screen ends with exactly the table lines.
func TestProgressPurge(t *testing.T) {
	s, keys := fill(t)
	var term bytes.Buffer
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	tick := func() time.Time { clock.advance(time.Second); return clock.now() }
	env, _ := newEnv(s, false)
	env.progress = progress.New(&term, true, tick)
	env.out = env.progress.Writer(&term)
	if err := env.purge(context.Background(), "p.A", 0, false, false); err != nil {
		t.Fatal(err)
	}
	env.progress.Clear()
	if !strings.Contains(term.String(), "\rscanned 1 entries, deleting 0 (0 B)") {
		t.Errorf("no progress drawn: %q", term.String())
	}
	var want []string
	for _, k := range without(keys, 3, 4, 5) {
		want = append(want, "deleted "+k+" (purge)")
	}
	got := screen(term.String())
	if len(got) != 4 || !slices.Equal(got[:3], want) || !strings.HasPrefix(got[3], "deleted 3 entries, ") {
		t.Errorf("screen:\n%s\nwant:\n%s\ndeleted 3 entries, …", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestProgressNeverPiped runs gc through the command with stderr a
// buffer: no progress bytes.
func TestProgressNeverPiped(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := runStoreCmd(context.Background(), "gc", []string{"-store", "file://" + dir, "-older-than", "1h"}, &stdout, &stderr)
	if code != exitOK || stderr.Len() != 0 || stdout.String() != "deleted 0 entries, 0 bytes\n" {
		t.Errorf("gc: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}
