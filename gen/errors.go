package gen

import (
	"cmp"
	"fmt"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/cachegen/cachegen/gen/directive"
)

// Error is a mistake in the user's code or directives, at a position: the
// one error type of the generator, the directive parser and the analyzer
// (directive.Error). Error() is "file.go:LINE:COL: message", the form
// editors and go vet use.
type Error = directive.Error

// errorf makes an Error at pos.
func errorf(pos token.Position, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// sortErrors sorts errors by file, line and column and drops exact
// duplicates (a file in two packages' views reports its errors twice).
func sortErrors(errs []*Error) []*Error {
	slices.SortStableFunc(errs, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Pos.Filename, b.Pos.Filename),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
	return slices.CompactFunc(errs, func(a, b *Error) bool { return a.Pos == b.Pos && a.Msg == b.Msg })
}

// Relative rewrites error positions relative to dir, for messages that are
// short and stable across machines.
func Relative(errs []*Error, dir string) {
	for _, e := range errs {
		if rel, err := filepath.Rel(dir, e.Pos.Filename); err == nil && !filepath.IsAbs(rel) && len(rel) > 0 && rel[0] != '.' {
			e.Pos.Filename = rel
		}
	}
}

// parsePos parses the "file:line:col" (or "file:line", or "-") positions
// go/packages gives its errors.
func parsePos(s string) token.Position {
	var p token.Position
	if s == "" || s == "-" {
		return p
	}
	parts := strings.Split(s, ":")
	nums := []*int{&p.Column, &p.Line}
	for len(parts) > 1 && len(nums) > 0 {
		n, err := strconv.Atoi(parts[len(parts)-1])
		if err != nil {
			break
		}
		*nums[0] = n
		nums = nums[1:]
		parts = parts[:len(parts)-1]
	}
	if len(nums) == 1 { // only one number: it was the line
		p.Line, p.Column = p.Column, 0
	}
	p.Filename = strings.Join(parts, ":")
	return p
}
