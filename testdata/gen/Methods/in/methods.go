// Package methods covers tasks that are methods.
package methods

import "context"

// Model is a receiver whose value is part of the key.
type Model struct {
	Name    string
	Weights []float64
	bias    float64
}

// Predict has a pointer receiver: the key holds the pointee.
//
//cache:task
func (m *Model) Predict(ctx context.Context, x []float64) (float64, error) {
	y := m.bias
	for i, w := range m.Weights {
		if i < len(x) {
			y += w * x[i]
		}
	}
	return y, nil
}

// Label has a value receiver and no context.
//
//cache:task
func (m Model) Label(n int) string { return m.Name + string(rune('a'+n%26)) }
