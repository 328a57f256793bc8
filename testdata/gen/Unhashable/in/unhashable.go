// Package unhashable has parameters that cannot be part of a key.
package unhashable

import (
	"context"
	"io"
)

// Read takes an interface.
//
//cache:task
func Read(ctx context.Context, r io.Reader) (int, error) { return 0, nil }

// Drain takes a channel.
//
//cache:task
func Drain(ch chan int) int { return len(ch) }

// Apply takes a func.
//
//cache:task
func Apply(f func(int) int, x int) int { return f(x) }
