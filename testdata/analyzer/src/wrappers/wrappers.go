// Package wrappers holds directives with and without generated wrappers.
package wrappers

// Wrapped has its wrapper: silent.
//
//cache:task
func Wrapped(x int) int { return x }

// Renamed has its wrapper under name=: silent.
//
//cache:task name=Fast
func Renamed(x int) int { return x }

// Both has both wrappers: silent.
//
//cache:task
//memo:task
func Both(x int) int { return x }

// Missing has no wrapper.
//
// want +2 `^Missing has no generated wrapper MissingCached; run go generate$`
//
//cache:task
func Missing(x int) int { return x }

// MissingMemo has no memo wrapper.
//
// want +2 `^MissingMemo has no generated wrapper MissingMemoMemo; run go generate$`
//
//memo:task
func MissingMemo(x int) int { return x }

// T has cached methods.
type T struct{}

// Get has its wrapper on T: silent.
//
//cache:task
func (t *T) Get(x int) int { return x }

// Put has a wrapper of the same name on another type, not on T.
//
// want +2 `^T.Put has no generated wrapper T.PutCached; run go generate$`
//
//cache:task
func (t T) Put(x int) int { return x }

// U has a method whose wrapper is on T by mistake.
type U struct{}

// PutCached is declared by the user, not generated: silent.
func (U) PutCached(x int) int { return x }

// Counter has methods declared through an alias.
type Counter struct{ Base int }

// C is another name for Counter.
type C = Counter

// Add is declared on the alias; the generator names it Counter.Add and
// writes its wrapper on Counter: silent.
//
//cache:task
func (c C) Add(n int) int { return c.Base + n }

// Sub is declared on a pointer to the alias and has no wrapper.
//
// want +2 `^Counter.Sub has no generated wrapper Counter.SubCached; run go generate$`
//
//cache:task
func (c *C) Sub(n int) int { return c.Base - n }
