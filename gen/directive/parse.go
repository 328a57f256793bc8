package directive

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"
)

// Parse parses one comment (text starting with "//", as ast.Comment.Text
// holds it) whose "//" is at pos.
//
// For a directive it returns the directive and the mistakes in its
// options; the directive then holds only the options that parsed cleanly,
// so a caller that generates code must treat any error as fatal. For a
// near-miss (see the package documentation) it returns nil and one error.
// For any other comment it returns (nil, nil).
func Parse(text string, pos token.Position) (*Directive, []*Error) {
	if !strings.HasPrefix(text, "//") {
		return nil, nil
	}
	kind, start, ok := directiveWord(text)
	if !ok {
		if e := nearMiss(text, pos); e != nil {
			return nil, []*Error{e}
		}
		return nil, nil
	}
	p := &optParser{text: text, pos: pos, i: start, d: &Directive{Kind: kind, Pos: pos, Text: text}}
	p.parse()
	return p.d, p.errs
}

// directiveWord recognises the exact directive words at the start of a
// comment and returns the offset where its options begin.
func directiveWord(text string) (Kind, int, bool) {
	body := text[2:]
	for _, w := range []struct {
		word string
		kind Kind
	}{{"cache:task", Cache}, {"memo:task", Memo}, {"memo:key", Memo}} {
		rest, ok := strings.CutPrefix(body, w.word)
		if !ok || (rest != "" && !isSpace(rest[0]) && !(w.word == "memo:key" && rest[0] == '=')) {
			continue
		}
		if w.word == "memo:key" {
			return Memo, len("//memo:"), true // the options start with key=...
		}
		return w.kind, 2 + len(w.word), true
	}
	return 0, 0, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// optParser scans the options of one directive. A mistake in the shape of
// the text (a malformed name, a bad quote) ends the scan, since what
// follows cannot be split reliably; a bad value only drops its option.
type optParser struct {
	text string
	pos  token.Position // of text[0]
	i    int            // scan offset in text
	d    *Directive
	errs []*Error
	seen []string // option names given so far, to report duplicates
}

func (p *optParser) errorf(off int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Pos: at(p.pos, off), Msg: fmt.Sprintf(format, args...)})
}

func (p *optParser) skipSpace() {
	for p.i < len(p.text) && isSpace(p.text[p.i]) {
		p.i++
	}
}

// field returns the text from off to the next space, for messages.
func (p *optParser) field(off int) string {
	end := strings.IndexAny(p.text[off:], " \t")
	if end < 0 {
		return p.text[off:]
	}
	return p.text[off : off+end]
}

func (p *optParser) parse() {
	for {
		p.skipSpace()
		if p.i >= len(p.text) {
			return
		}
		if !p.option() {
			return
		}
	}
}

// option scans one option at p.i; it returns false when scanning must stop.
func (p *optParser) option() bool {
	start := p.i
	for p.i < len(p.text) && p.text[p.i] != '=' && !isSpace(p.text[p.i]) {
		p.i++
	}
	name := p.text[start:p.i]
	if !validName(name) {
		p.errorf(start, "malformed option %q: write name or name=value", p.field(start))
		return false
	}
	o := Option{Name: name, Pos: at(p.pos, start)}
	if p.spaceBefore('=') {
		p.errorf(start, "write %s=VALUE with no spaces around =", name)
		return false
	}
	if p.i >= len(p.text) || p.text[p.i] != '=' {
		p.add(o, -1, false)
		return true
	}
	p.i++ // '='
	if p.i < len(p.text) && isSpace(p.text[p.i]) {
		if p.skipSpace(); p.i < len(p.text) {
			p.errorf(start, "write %s=VALUE with no spaces around =", name)
			return false
		}
	}
	v, valStart, ok := p.value(name)
	if !ok {
		return false
	}
	o.Value, o.HasValue = v, true
	p.add(o, valStart, true)
	return true
}

// spaceBefore reports whether spaces at p.i are followed by c.
func (p *optParser) spaceBefore(c byte) bool {
	j := p.i
	for j < len(p.text) && isSpace(p.text[j]) {
		j++
	}
	return j > p.i && j < len(p.text) && p.text[j] == c
}

// validName reports whether s can be an option name (known or not): ASCII
// letters, digits, '_' and '-'.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// value scans the value of option name at p.i. valStart is the offset of
// the value's bytes in the text when they are the value itself (a bare
// word, or a back-quoted string without carriage returns), so errors can
// point inside it; otherwise it is -1.
func (p *optParser) value(name string) (v string, valStart int, ok bool) {
	start := p.i
	if start >= len(p.text) {
		return "", start, true
	}
	switch q := p.text[start]; q {
	case '"', '`':
		end := closingQuote(p.text, start)
		if end < 0 {
			p.errorf(start, "unterminated string in option %q", name)
			return "", -1, false
		}
		p.i = end + 1
		v, err := strconv.Unquote(p.text[start:p.i])
		if err != nil {
			p.errorf(start, "invalid quoted value %s in option %q", p.text[start:p.i], name)
			return "", -1, false
		}
		if p.i < len(p.text) && !isSpace(p.text[p.i]) {
			p.errorf(p.i, "unexpected text %q after the value of option %q: separate options with spaces", p.field(p.i), name)
			return "", -1, false
		}
		if q == '`' && len(v) == p.i-start-2 {
			return v, start + 1, true
		}
		return v, -1, true
	}
	for p.i < len(p.text) && !isSpace(p.text[p.i]) {
		if c := p.text[p.i]; c == '"' || c == '`' {
			p.errorf(p.i, "unexpected quote in the value of option %q: quote the whole value", name)
			return "", -1, false
		}
		p.i++
	}
	return p.text[start:p.i], start, true
}

// closingQuote returns the offset of the quote that closes the string
// starting at text[start], or -1.
func closingQuote(text string, start int) int {
	q := text[start]
	for j := start + 1; j < len(text); j++ {
		switch text[j] {
		case q:
			return j
		case '\\':
			if q == '"' {
				j++
			}
		}
	}
	return -1
}

// add validates option o and keeps it if it is good. valStart is the
// offset of its value in the text when errors may point inside it, or -1.
func (p *optParser) add(o Option, valStart int, hasValue bool) {
	start := o.Pos.Offset - p.pos.Offset
	spec, known := lookupSpec(o.Name)
	if !known || !spec.validFor(p.d.Kind) {
		msg, fix := unknownOption(p.d.Kind, o.Name)
		p.errorf(start, "%s", msg)
		p.errs[len(p.errs)-1].Fix = fix
		return
	}
	for _, s := range p.seen {
		if s == o.Name {
			p.errorf(start, "duplicate option %q", o.Name)
			return
		}
	}
	p.seen = append(p.seen, o.Name)
	switch {
	case !hasValue && !spec.bareOK:
		p.errorf(start, "option %q needs a value: write %s", o.Name, spec.form)
		return
	case hasValue && o.Value == "":
		p.errorf(start, "option %q has an empty value: write %s", o.Name, spec.form)
		return
	case hasValue:
		if e := spec.check(o.Value); e != nil {
			off := start
			if e.off >= 0 && valStart >= 0 {
				off = valStart + e.off
			}
			p.errorf(off, "%s", e.msg)
			return
		}
	}
	p.d.Options = append(p.d.Options, o)
}
