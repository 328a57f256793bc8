// Package aliases has a method task on an alias receiver and a task that
// ignores an unsafe.Pointer parameter.
package aliases

import "unsafe"

// Counter counts.
type Counter struct{ Base int }

// C is another name for Counter: methods declared on C are Counter's.
type C = Counter

// Add adds n to the base. Its task identity and wrapper are Counter's.
//
//cache:task
func (c C) Add(n int) int { return c.Base + n }

// Scale scales, through a pointer alias receiver.
//
//memo:task
func (c *C) Scale(n int) int { return c.Base * n }

// Raw reads n bytes from p; p is left out of the key.
//
//cache:task ignore=p
func Raw(p unsafe.Pointer, n int) int { return n }
