// Package directives holds directive mistakes: each is reported with the
// parser's message.
package directives

// Spaced has a space after the slashes.
//
// want +1 `write //cache:task with no space after //`
// cache:task
func Spaced(x int) int { return x }

// Misspelt misspells the directive word.
//
// want +2 `unknown directive "//cache:taks"; did you mean //cache:task\?`
//
//cache:taks
func Misspelt(x int) int { return x }

// BadOption misspells an option; its wrapper is not reported missing.
//
// want +2 `unknown option "verison"; did you mean "version"\?`
//
//cache:task verison=2
func BadOption(x int) int { return x }

// Good is a well-formed directive with its wrapper.
//
//cache:task
func Good(x int) int { return x }

// want +2 `must be in the doc comment of a top-level function or method`
//
//cache:task
type T struct{}

// MisspeltKey misspells memo:key; the fix keeps the expression.
//
// want +2 `unknown directive "//memo:kye=x"; did you mean //memo:key=EXPR\?`
//
//memo:kye=x
func MisspeltKey(x int) int { return x }
