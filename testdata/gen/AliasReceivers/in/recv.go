// Package recv declares task methods through aliases of their receiver
// type: a pointer to an alias, an alias of an alias, and an alias of a
// pointer type. Each task is Store's method: its identity, its wrapper
// (declared on Store) and its generated declarations name Store.
package recv

import "context"

// Store holds a base.
type Store struct{ Base int }

// S is another name for Store.
type S = Store

// SS is another name for S, and so for Store.
type SS = S

// PS is another name for *Store.
type PS = *Store

// Get is declared on a pointer to the alias.
//
//cache:task
func (s *S) Get(ctx context.Context, n int) (int, error) { return s.Base + n, nil }

// Pair is declared on an alias of an alias, and has both directives: its
// memo wrapper calls its cache wrapper.
//
//cache:task
//memo:task
func (s SS) Pair(n int) (int, string) { return s.Base * n, "pair" }

// Put is declared on an alias of a pointer type, and renames its wrapper.
//
//cache:task name=Stored
func (p PS) Put(n int) int { return p.Base - n }
