package bench

import (
	"context"
	"strconv"
)

// Lookup is the memoised function of the memo benchmarks: two key
// parameters, a string and an int.
//
//memo:task
func Lookup(ctx context.Context, a string, b int) (int, error) {
	return len(a) + b, nil
}

// Result is the cached value of the cache benchmarks: a small struct with
// a slice and a map.
type Result struct {
	Name   string
	Score  float64
	Tags   []string
	Counts map[string]int
}

// NewResult is the value Score returns for name and n.
func NewResult(name string, n int) Result {
	return Result{
		Name: name + "-" + strconv.Itoa(n), Score: 0.93,
		Tags:   []string{"alpha", "beta", "gamma", "delta", "epsilon"},
		Counts: map[string]int{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5},
	}
}

// Score is the cached function of the cache benchmarks.
//
//cache:task
func Score(ctx context.Context, name string, n int) (Result, error) {
	return NewResult(name, n), nil
}
