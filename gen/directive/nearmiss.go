package directive

import (
	"fmt"
	"go/token"
	"strings"

	"github.com/cachegen/cachegen/internal/suggest"
)

// nearMiss returns the error for a comment that looks like a spaced, bare
// or misspelt directive, or nil for any other comment. The rule is the
// one the package documentation states; keep the two in step.
func nearMiss(text string, pos token.Position) *Error {
	body := text[2:]
	trimmed := strings.TrimLeft(body, " \t")
	lead := len(body) - len(trimmed)
	spaced := lead > 0
	trimmed = strings.TrimRight(trimmed, " \t")

	if w, ok := bareWord(trimmed, spaced); ok {
		return &Error{Pos: pos, Msg: fmt.Sprintf("write //%s:task", w),
			Fix: &Fix{Len: 2 + lead + len(trimmed), Text: "//" + w + ":task"}}
	}
	head, rest, _ := cutSpace(trimmed)
	w1 := head[:letters(head)]
	if w1 == "" {
		return nil
	}
	var sep byte
	var w2, tail string
	end := 2 + lead + len(head) // end of the quoted text
	words := 0                  // end of the two words, which a fix rewrites
	switch {
	case len(w1) < len(head):
		sep = head[len(w1)]
		if !strings.ContainsRune(":-_.", rune(sep)) {
			return nil
		}
		after := head[len(w1)+1:]
		w2, tail = after[:letters(after)], after[letters(after):]
		words = 2 + lead + len(w1) + 1 + len(w2)
		if spaced && (sep != ':' || w2 == "" || !lower(w1) || !lower(w2) || (tail != "" && tail[0] != '=')) {
			return nil // prose such as "// Cache: results are kept"
		}
	case spaced || rest == "":
		return nil
	default: // "//cache task": unspaced, two words
		sep = ' '
		second, _, _ := cutSpace(rest)
		w2, tail = second[:letters(second)], second[letters(second):]
		end = 2 + len(trimmed) - len(rest) + len(second)
		words = end - len(tail)
	}
	kind, d1 := closestKind(strings.ToLower(w1))
	want, d2 := secondWord(kind, strings.ToLower(w2), tail)
	maxD2, maxSum := 2, 3
	if sep == ' ' {
		maxD2, maxSum = 1, 2 // prose such as "//cache as needed"
	}
	sure := !spaced && sep == ':' && d1 == 0 // //cache:anything is ours
	if !sure && (d1 > 2 || d2 > maxD2 || d1+d2 > maxSum) {
		return nil
	}
	suggest := "//" + kind.String()
	if want == "key" {
		suggest = "//memo:key=EXPR"
	}
	// The fix rewrites the two words; what follows (=EXPR, options) stays.
	// A word glued to more text ("//cache:task2", "//cache:ttl=1h") gets
	// no fix: what was meant is not clear.
	var fix *Fix
	if tail == "" || (want == "key" && tail[0] == '=') {
		fix = &Fix{Len: words, Text: "//" + strings.SplitN(kind.String(), ":", 2)[0] + ":" + want}
	}
	if spaced && d1 == 0 && d2 == 0 && (want == "key" || tail == "") {
		return &Error{Pos: pos, Msg: fmt.Sprintf("write %s with no space after //", suggest), Fix: fix}
	}
	return &Error{Pos: pos, Msg: fmt.Sprintf("unknown directive %q; did you mean %s?", text[:end], suggest), Fix: fix}
}

// bareWord reports a comment that is only "cache" or "memo": any case
// when written //cache, lower case when written // cache.
func bareWord(s string, spaced bool) (string, bool) {
	for _, w := range []string{"cache", "memo"} {
		if s == w || (!spaced && strings.EqualFold(s, w)) {
			return w, true
		}
	}
	return "", false
}

// closestKind returns the kind whose first word is nearest to w, and the
// distance (ties go to cache).
func closestKind(w string) (Kind, int) {
	dc, dm := suggest.Distance(w, "cache", 4), suggest.Distance(w, "memo", 4)
	if dm < dc {
		return Memo, dm
	}
	return Cache, dc
}

// secondWord returns the second word of kind's directive nearest to w
// ("task", or "key" for a memo written as //memo:key=), and the distance.
func secondWord(k Kind, w, tail string) (string, int) {
	dt := suggest.Distance(w, "task", 4)
	if k == Memo && strings.HasPrefix(tail, "=") {
		if dk := suggest.Distance(w, "key", 4); dk < dt {
			return "key", dk
		}
	}
	return "task", dt
}

// cutSpace splits s at its first space or tab, dropping the spaces.
func cutSpace(s string) (before, after string, found bool) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, "", false
	}
	return s[:i], strings.TrimLeft(s[i:], " \t"), true
}

// letters returns the length of the ASCII letters that start s.
func letters(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return i
		}
	}
	return len(s)
}

// lower reports whether s has no upper-case ASCII letters.
func lower(s string) bool { return strings.ToLower(s) == s }
