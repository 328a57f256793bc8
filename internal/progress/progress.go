package progress

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Every is how often at most a line is redrawn.
const Every = 200 * time.Millisecond

// A Line prints a one-line status of a long store command to a
// terminal, redrawn in place ("\r") at most once per interval, and erased
// when the command prints anything else or ends. A nil *Line prints
// nothing, so commands call it unconditionally; New returns nil
// unless the writer is a terminal, which keeps pipes, files, -json output
// and tests free of progress bytes.
//
// A Line is used by one goroutine, the command's.
type Line struct {
	w     io.Writer
	now   func() time.Time
	every time.Duration
	last  time.Time // when the line was last drawn, or the start
	width int       // length of the line on screen; 0 when none is
}

// New returns a Line writing to w, or nil when w is not a terminal
// (terminal false). now is the clock (time.Now outside tests).
func New(w io.Writer, terminal bool, now func() time.Time) *Line {
	if !terminal {
		return nil
	}
	return &Line{w: w, now: now, every: Every, last: now()}
}

// IsTerminal reports whether w is a character device such as a terminal
// (not a pipe or a file).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Due reports whether a new line should be drawn now: an interval has
// passed since the last one (or since the start, so quick commands show
// none). Callers build the line only when it is due.
func (p *Line) Due() bool {
	return p != nil && p.now().Sub(p.last) >= p.every
}

// Show draws line in place of the previous one.
func (p *Line) Show(line string) {
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

// Clear erases the line on screen, if any.
func (p *Line) Clear() {
	if p == nil || p.width == 0 {
		return
	}
	fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.width))
	p.width = 0
}

// Writer returns w wrapped so that each write first erases the progress
// line: a table row on a terminal then starts at the line's beginning.
func (p *Line) Writer(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return clearingWriter{p, w}
}

type clearingWriter struct {
	p *Line
	w io.Writer
}

func (c clearingWriter) Write(b []byte) (int, error) {
	c.p.Clear()
	return c.w.Write(b)
}

// Thousands formats n with commas between groups of three digits.
func Thousands(n int64) string {
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

// Bytes formats n in decimal units: 999 B, 1.2 kB, 3.4 MB, 5.6 GB.
func Bytes(n int64) string {
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
