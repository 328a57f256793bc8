// Package mistakes holds directive mistakes; each must be reported with its
// position.
package mistakes

import "context"

// Spaced has a space after the slashes.
//
// cache:task
func Spaced(x int) int { return x }

// Misspelt has a typo in the directive.
//
//cache:taks
func Misspelt(x int) int { return x }

// Unknown has a misspelt option.
//
//cache:task verison=1
func Unknown(x int) int { return x }

// BadKey has a key expression that does not compile.
//
//cache:task key=y+1
func BadKey(x int) int { return x }

// BadIgnore ignores a parameter it does not have.
//
//cache:task ignore=cfgg
func BadIgnore(cfg, x int) int { return x }

// BadTTL has a duration that does not parse.
//
//cache:task ttl=5 lock=2x
func BadTTL(x int) int { return x }

// ChanKey keys on a value that cannot be hashed.
//
//cache:task key=ch
func ChanKey(ch chan int) int { return len(ch) }

// MemoTTL gives a memo task an option only //cache:task has.
//
//memo:task ttl=1h
func MemoTTL(x int) int { return x }

// MemoKey has a memo key expression that does not compile.
//
//memo:key=x.Name
func MemoKey(x int) int { return x }

// NoResult has nothing to cache.
//
//cache:task
func NoResult(ctx context.Context, x int) {}

// Hidden has a result with an unexported field.
type Hidden struct {
	Shown  int
	hidden int
}

// Secret returns a value the codec would lose part of.
//
//cache:task
func Secret(x int) Hidden { return Hidden{Shown: x, hidden: x} }
