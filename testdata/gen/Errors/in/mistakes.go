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

// KeyOption uses an option of a later version.
//
//cache:task key=x
func KeyOption(x int) int { return x }

// Memo uses a directive of a later version.
//
//memo:task
func Memo(x int) int { return x }

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
