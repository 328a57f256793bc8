// Package shapes covers the signature shapes a task may have.
package shapes

import "context"

// Point is a fixed-size argument.
type Point struct{ X, Y int }

// Area takes no context and returns no error.
//
//cache:task
func Area(w, h float64) float64 { return w * h }

// Split returns several results and an error; the wrapper is renamed.
//
//cache:task version=3 name=SplitOnce
func Split(ctx context.Context, s string, sep byte) (head, tail string, n int, err error) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], i, nil
		}
	}
	return s, "", len(s), nil
}

// Sum is variadic, and ignores a parameter it does not name.
//
//cache:task
func Sum(_ context.Context, _ bool, scale int, ps ...Point) (int, error) {
	t := 0
	for _, p := range ps {
		t += (p.X + p.Y) * scale
	}
	return t, nil
}
