package directive

import (
	"cmp"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind says which wrapper a directive asks for.
type Kind int

const (
	// Cache is //cache:task: results kept in a store across runs and machines.
	Cache Kind = iota + 1
	// Memo is //memo:task (or //memo:key=EXPR): results kept within a run.
	Memo
)

// String returns the directive word without the slashes: "cache:task" or
// "memo:task".
func (k Kind) String() string {
	switch k {
	case Cache:
		return "cache:task"
	case Memo:
		return "memo:task"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Options returns the names of the options valid for directives of kind k,
// in the order the grammar lists them. The slice is the caller's to keep.
func (k Kind) Options() []string {
	var names []string
	for _, s := range specs {
		if s.validFor(k) {
			names = append(names, s.name)
		}
	}
	return names
}

// Option is one parsed option.
type Option struct {
	Name  string
	Value string // unquoted; "" when HasValue is false
	// HasValue reports whether the option was written name=value (only
	// lock may be written bare).
	HasValue bool
	Pos      token.Position // of the option's first character
}

// String returns the option in canonical form: name, or name=value with
// the value double-quoted (Go syntax) when it is empty or holds spaces,
// quotes or characters that are not printable.
func (o Option) String() string {
	if !o.HasValue {
		return o.Name
	}
	return o.Name + "=" + quoteValue(o.Value)
}

// List splits a comma-separated value (ignore=, allow=) into its items.
// It returns nil for an option without a value.
func (o Option) List() []string {
	if !o.HasValue || o.Value == "" {
		return nil
	}
	return strings.Split(o.Value, ",")
}

// Duration returns the value of a duration option (ttl=, lock=) and
// whether it had one. Parse has already rejected values that are not
// positive durations, so ok is false only for a bare option.
func (o Option) Duration() (d time.Duration, ok bool) {
	if !o.HasValue {
		return 0, false
	}
	d, err := time.ParseDuration(o.Value)
	return d, err == nil
}

// quoteValue writes v so that the option scanner reads it back unchanged.
func quoteValue(v string) string {
	if v == "" || !utf8.ValidString(v) {
		return strconv.Quote(v)
	}
	for _, r := range v {
		if r == ' ' || r == '"' || r == '`' || !unicode.IsGraphic(r) {
			return strconv.Quote(v)
		}
	}
	return v
}

// Directive is one parsed directive comment.
type Directive struct {
	Kind    Kind
	Pos     token.Position // of the comment's "//"
	Text    string         // the comment text as written
	Options []Option       // in source order; only options that parsed cleanly
}

// Option returns the option called name, if the directive has it.
func (d *Directive) Option(name string) (Option, bool) {
	for _, o := range d.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// Allows reports whether the directive's allow= option names check (one
// of AllowChecks), silencing that analyzer check for its function.
func (d *Directive) Allows(check string) bool {
	o, ok := d.Option("allow")
	return ok && slices.Contains(o.List(), check)
}

// String returns the directive in canonical form: "//cache:task" or
// "//memo:task" (also for one written //memo:key=EXPR) followed by its
// options in source order, each as Option.String writes it. Parsing the
// result gives the same options.
func (d *Directive) String() string {
	var b strings.Builder
	b.WriteString("//")
	b.WriteString(d.Kind.String())
	for _, o := range d.Options {
		b.WriteByte(' ')
		b.WriteString(o.String())
	}
	return b.String()
}

// Error is a directive mistake at a position.
type Error struct {
	Pos token.Position
	Msg string // lower case, no final period
	// Fix, when not nil, is the mechanical correction the message
	// suggests; the analyzer offers it as a suggested fix.
	Fix *Fix
}

// Fix replaces the Len bytes of the source at the error's position with
// Text: "//cache:taks" with "//cache:task", "verison" with "version".
type Fix struct {
	Len  int
	Text string
}

// Error returns "file.go:LINE:COL: message" (the file name as in
// Pos.Filename), or only the message when the position is unknown.
func (e *Error) Error() string {
	if !e.Pos.IsValid() {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Sort sorts errors by file, line and column, keeping the order of errors
// at the same position.
func Sort(errs []*Error) {
	slices.SortStableFunc(errs, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Pos.Filename, b.Pos.Filename),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
		)
	})
}

// at returns the position i bytes after pos, on the same line.
func at(pos token.Position, i int) token.Position {
	pos.Offset += i
	pos.Column += i
	return pos
}
