package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cachegen/cachegen/runtime/catalog"
)

// progressEvery is how often at most a progress line is redrawn.
const progressEvery = 200 * time.Millisecond

// A progress prints a one-line status of a long store command to a
// terminal, redrawn in place ("\r") at most once per interval, and erased
// when the command prints anything else or ends. A nil *progress prints
// nothing, so commands call it unconditionally; newProgress returns nil
// unless the writer is a terminal, which keeps pipes, files, -json output
// and tests free of progress bytes.
//
// A progress is used by one goroutine, the command's.
type progress struct {
	w     io.Writer
	now   func() time.Time
	every time.Duration
	last  time.Time // when the line was last drawn, or the start
	width int       // length of the line on screen; 0 when none is
}

// newProgress returns a progress writing to w, or nil when w is not a
// terminal. now is the clock (time.Now outside tests).
func newProgress(w io.Writer, terminal bool, now func() time.Time) *progress {
	if !terminal {
		return nil
	}
	return &progress{w: w, now: now, every: progressEvery, last: now()}
}

// isTerminal reports whether w is a character device such as a terminal
// (not a pipe or a file).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// due reports whether a new line should be drawn now: an interval has
// passed since the last one (or since the start, so quick commands show
// none). Callers build the line only when it is due.
func (p *progress) due() bool {
	return p != nil && p.now().Sub(p.last) >= p.every
}

// show draws line in place of the previous one.
func (p *progress) show(line string) {
	if p == nil {
		return
	}
	pad := ""
	if n := p.width - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.width = len(line)
	p.last = p.now()
}

// clear erases the line on screen, if any.
func (p *progress) clear() {
	if p == nil || p.width == 0 {
		return
	}
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	p.width = 0
}

// writer returns w wrapped so that each write first erases the progress
// line: a table row on a terminal then starts at the line's beginning.
func (p *progress) writer(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return clearingWriter{p, w}
}

type clearingWriter struct {
	p *progress
	w io.Writer
}

func (c clearingWriter) Write(b []byte) (int, error) {
	c.p.clear()
	return c.w.Write(b)
}

// scanned draws "scanned N <noun>" plus the sweep's tally (d may be
// nil), when due.
func (p *progress) scanned(n int, noun string, d *catalog.Sweep) {
	if !p.due() {
		return
	}
	line := "scanned " + thousands(int64(n)) + " " + noun
	if d != nil {
		verb := ", deleting "
		if d.DryRun {
			verb = ", selected "
		}
		line += verb + thousands(int64(d.Deleted)) + " (" + humanBytes(d.Bytes) + ")"
	}
	p.show(line)
}

// thousands formats n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// humanBytes formats n in decimal units: 999 B, 1.2 kB, 3.4 MB, 5.6 GB.
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := []string{"kB", "MB", "GB", "TB", "PB"}
	f, i := float64(n)/unit, 0
	for f >= unit && i < len(units)-1 {
		f /= unit
		i++
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + units[i]
}
