package directive

import (
	"errors"
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"slices"
	"strings"
	"time"

	"github.com/cachegen/cachegen/internal/suggest"
)

// The analyzer checks that allow= can silence, one per kind of hidden input.
const (
	CheckEnv     = "env"     // environment variables
	CheckClock   = "clock"   // the wall clock
	CheckRand    = "rand"    // randomness
	CheckGlobals = "globals" // mutable package-level variables
	CheckFS      = "fs"      // files
	CheckNet     = "net"     // the network
)

// AllowChecks returns the names allow= accepts, in the order the analyzer
// documents them. The slice is the caller's to keep.
func AllowChecks() []string {
	return []string{CheckEnv, CheckClock, CheckRand, CheckGlobals, CheckFS, CheckNet}
}

// valueError is a problem with an option's value. off is the byte offset
// in the value where the problem is, or -1 to point at the option itself.
type valueError struct {
	off int
	msg string
}

// optSpec describes one option of the grammar.
type optSpec struct {
	name   string
	cache  bool   // valid for //cache:task
	memo   bool   // valid for //memo:task
	bareOK bool   // may be written without =value
	form   string // how to write it, for messages
	check  func(v string) *valueError
}

func (s optSpec) validFor(k Kind) bool {
	return (k == Cache && s.cache) || (k == Memo && s.memo)
}

// specs is the option table, in grammar order. It is never modified.
var specs = []optSpec{
	{name: "version", cache: true, form: "version=V", check: func(string) *valueError { return nil }},
	{name: "key", cache: true, memo: true, form: "key=EXPR", check: checkKey},
	{name: "ignore", cache: true, memo: true, form: "ignore=p1,p2", check: checkIgnore},
	{name: "ttl", cache: true, form: "ttl=DURATION", check: checkTTL},
	{name: "name", cache: true, memo: true, form: "name=Ident", check: checkName},
	{name: "lock", cache: true, bareOK: true, form: "lock or lock=DURATION", check: checkLock},
	{name: "allow", cache: true, memo: true, form: "allow=" + strings.Join(AllowChecks(), ","), check: checkAllow},
}

func lookupSpec(name string) (optSpec, bool) {
	i := slices.IndexFunc(specs, func(s optSpec) bool { return s.name == name })
	if i < 0 {
		return optSpec{}, false
	}
	return specs[i], true
}

// checkKey requires a Go expression and points at the first syntax error.
func checkKey(v string) *valueError {
	_, err := parser.ParseExpr(v)
	if err == nil {
		return nil
	}
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		off := -1
		if p := list[0].Pos; p.Line == 1 && p.Column >= 1 && p.Column <= len(v)+1 {
			off = p.Column - 1
		}
		return &valueError{off: off, msg: fmt.Sprintf("invalid key expression %q: %s", v, list[0].Msg)}
	}
	return &valueError{off: -1, msg: fmt.Sprintf("invalid key expression %q: %v", v, err)}
}

// checkIgnore requires distinct parameter names.
func checkIgnore(v string) *valueError {
	return checkList("ignore", v, func(item string) string {
		if !token.IsIdentifier(item) {
			return fmt.Sprintf("%q is not a Go identifier", item)
		}
		return ""
	})
}

// checkAllow requires distinct names of analyzer checks.
func checkAllow(v string) *valueError {
	checks := AllowChecks()
	return checkList("allow", v, func(item string) string {
		if slices.Contains(checks, item) {
			return ""
		}
		if s, ok := Closest(item, checks); ok {
			return fmt.Sprintf("unknown check %q; did you mean %q?", item, s)
		}
		return fmt.Sprintf("unknown check %q; the checks are %s", item, strings.Join(checks, ", "))
	})
}

// checkList checks a comma-separated list: no empty items, no item twice,
// and each item accepted by bad (which returns "" for a good item).
func checkList(opt, v string, bad func(item string) string) *valueError {
	off := 0
	var seen []string
	for item := range strings.SplitSeq(v, ",") {
		var msg string
		switch {
		case item == "":
			msg = "empty item"
		case slices.Contains(seen, item):
			msg = fmt.Sprintf("%q is listed twice", item)
		default:
			msg = bad(item)
		}
		if msg != "" {
			return &valueError{off: off, msg: fmt.Sprintf("invalid %s list %q: %s", opt, v, msg)}
		}
		seen = append(seen, item)
		off += len(item) + 1
	}
	return nil
}

func checkTTL(v string) *valueError { return checkDuration("ttl", v, "90m or 24h") }

func checkLock(v string) *valueError { return checkDuration("lock timeout", v, "30s or 2m") }

// checkDuration requires a positive time.Duration.
func checkDuration(what, v, example string) *valueError {
	d, err := time.ParseDuration(v)
	if err != nil {
		return &valueError{off: -1, msg: fmt.Sprintf("invalid %s %q: want a Go duration such as %s", what, v, example)}
	}
	if d <= 0 {
		return &valueError{off: -1, msg: fmt.Sprintf("invalid %s %q: the duration must be positive", what, v)}
	}
	return nil
}

// checkName requires an identifier for the wrapper.
func checkName(v string) *valueError {
	switch {
	case token.IsKeyword(v):
		return &valueError{off: -1, msg: fmt.Sprintf("invalid name %q: it is a Go keyword", v)}
	case !token.IsIdentifier(v):
		return &valueError{off: -1, msg: fmt.Sprintf("invalid name %q: not a Go identifier", v)}
	}
	return nil
}

// unknownOption explains an option name that kind k does not accept.
func unknownOption(k Kind, name string) (msg string, fix *Fix) {
	if s, ok := lookupSpec(name); ok && !s.validFor(k) {
		return fmt.Sprintf("option %q is not valid for //%s", name, k), nil
	}
	valid := k.Options()
	if s, ok := Closest(name, valid); ok {
		return fmt.Sprintf("unknown option %q; did you mean %q?", name, s), &Fix{Len: len(name), Text: s}
	}
	return fmt.Sprintf("unknown option %q; //%s options are %s", name, k, strings.Join(valid, ", ")), nil
}

// Closest returns the candidate nearest to s (see suggest.Closest).
func Closest(s string, candidates []string) (string, bool) { return suggest.Closest(s, candidates) }
