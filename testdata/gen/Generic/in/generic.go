// Package generic covers generic tasks: the type arguments are part of the
// task identity, and arguments are keyed by the runtime's reflective encoder.
package generic

import (
	"cmp"
	"context"
	"slices"
)

// Sorted returns a sorted copy of xs.
//
//cache:task
func Sorted[T cmp.Ordered](ctx context.Context, xs []T) ([]T, error) {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out, nil
}

// Bag is a generic receiver.
type Bag[K comparable, V any] struct {
	Items map[K]V
}

// Get looks a key up.
//
//cache:task
func (b Bag[K, V]) Get(k K) (V, bool) {
	v, ok := b.Items[k]
	return v, ok
}
