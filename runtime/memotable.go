package runtime

import (
	"sync/atomic"
	"unsafe"
)

// memoTable is a run's memo entries by slot (memoKey.slot): an
// open-addressing hash table that readers probe with atomic loads and no
// lock, so hits from every core never write a shared word. Writers hold
// the run's mutex; a table that fills up is replaced by a larger copy,
// which readers pick up with one atomic load.
type memoTable struct {
	slots []atomic.Pointer[memoEntry] // a power of two long
	used  int                         // slots ever filled (live or removed); writers only
}

// removed marks a slot whose entry left the table; probes pass over it.
var removed = &memoEntry{}

// find returns the entry stored for slot s, or nil.
func (t *memoTable) find(s uint64) *memoEntry {
	if t == nil {
		return nil
	}
	mask := uint64(len(t.slots) - 1)
	for i := s & mask; ; i = (i + 1) & mask {
		e := t.slots[i].Load()
		if e == nil {
			return nil
		}
		if e != removed && e.slot == s {
			return e
		}
	}
}

// put stores e under e.slot, replacing the entry of the same slot, and
// returns the table to use from now on (t, or a larger copy). The caller
// holds the run's mutex.
func (t *memoTable) put(e *memoEntry) *memoTable {
	if t == nil || (t.used+1)*2 > len(t.slots) {
		t = t.grown()
	}
	mask := uint64(len(t.slots) - 1)
	free := -1
	for i := e.slot & mask; ; i = (i + 1) & mask {
		old := t.slots[i].Load()
		switch {
		case old == nil:
			if free < 0 {
				free = int(i)
				t.used++
			}
			t.slots[free].Store(e)
			return t
		case old == removed:
			if free < 0 {
				free = int(i)
			}
		case old.slot == e.slot:
			t.slots[i].Store(e)
			return t
		}
	}
}

// remove takes e out of the table if it is still there. The caller holds
// the run's mutex.
func (t *memoTable) remove(e *memoEntry) {
	if t == nil {
		return
	}
	mask := uint64(len(t.slots) - 1)
	for i := e.slot & mask; ; i = (i + 1) & mask {
		old := t.slots[i].Load()
		if old == nil {
			return
		}
		if old == e {
			t.slots[i].Store(removed)
			return
		}
	}
}

// grown returns a copy of t's live entries in a table twice as large (16
// slots at first).
func (t *memoTable) grown() *memoTable {
	n := 16
	if t != nil {
		live := 0
		for i := range t.slots {
			if e := t.slots[i].Load(); e != nil && e != removed {
				live++
			}
		}
		for n < 4*(live+1) {
			n *= 2
		}
	}
	g := &memoTable{slots: make([]atomic.Pointer[memoEntry], n)}
	if t != nil {
		for i := range t.slots {
			if e := t.slots[i].Load(); e != nil && e != removed {
				g.put(e)
			}
		}
	}
	return g
}

// counter is an int64 that many goroutines add to without contending for
// one cache line: each add goes to one of its padded stripes, picked by
// the address of the adding goroutine's stack, and Load sums them.
type counter struct {
	stripes [16]struct {
		n atomic.Int64
		_ [56]byte
	}
}

// Add adds d.
func (c *counter) Add(d int64) {
	var here byte
	c.stripes[(uintptr(unsafe.Pointer(&here))>>13)&15].n.Add(d)
}

// Load returns the sum.
func (c *counter) Load() int64 {
	var n int64
	for i := range c.stripes {
		n += c.stripes[i].n.Load()
	}
	return n
}
