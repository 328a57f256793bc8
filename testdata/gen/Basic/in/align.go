// Package basic is the simplest task: a context, a struct argument and a
// result with an error.
package basic

import (
	"context"
	"strings"
	"time"
)

// Sample is an input of Align.
type Sample struct {
	Name  string
	Reads []string
	Taken time.Time
	Meta  map[string]float64
}

// Report is Align's result.
type Report struct {
	Sample  string
	Matches int
	Scores  []float64
}

// Align aligns a sample against a reference.
//
//cache:task
func Align(ctx context.Context, sample Sample, ref string) (Report, error) {
	r := Report{Sample: sample.Name}
	for _, read := range sample.Reads {
		if strings.Contains(ref, read) {
			r.Matches++
		}
	}
	return r, nil
}
