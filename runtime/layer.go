package runtime

import (
	"container/list"
	"sync"
	"sync/atomic"
	"time"
)

// layerKey identifies an entry in the in-process layer without building its
// object name, so a repeated hit costs a map lookup.
type layerKey struct {
	task   *Task
	ns     string
	digest uint64
}

// layerEntry is a verified entry's payload and the header fields a hit needs.
// Its fields never change after it is added, except used.
type layerEntry struct {
	key     layerKey
	check   uint64
	created time.Time // when the entry was made, for ttl
	compute time.Duration
	payload []byte      // decoded afresh by every hit
	codec   any         // the *codec.Codec[R] that encoded payload
	used    atomic.Bool // read since the eviction sweep last passed it (second chance)
	act     *actCell    // the task's activity counters, nil when not recorded
}

// layer is a bounded cache of recently used entries' payload bytes, with
// second-chance (CLOCK) eviction. A hit is a lock-free sync.Map load and
// sets the entry's used bit, so concurrent hits never serialise; eviction
// moves used entries to the front once before dropping them. The zero limit
// turns it off.
type layer struct {
	limit int64
	index sync.Map // layerKey → *layerEntry: what hits read

	mu    sync.Mutex // guards size, order and elems: what puts and eviction change
	size  int64
	order list.List // of *layerEntry, newest first
	elems map[layerKey]*list.Element
}

func newLayer(limit int64) *layer {
	return &layer{limit: limit, elems: make(map[layerKey]*list.Element)}
}

func (l *layer) get(k layerKey) (*layerEntry, bool) {
	if l.limit <= 0 {
		return nil, false
	}
	v, ok := l.index.Load(k)
	if !ok {
		return nil, false
	}
	e := v.(*layerEntry)
	if !e.used.Load() {
		e.used.Store(true)
	}
	return e, true
}

func (l *layer) put(e *layerEntry) {
	n := int64(len(e.payload))
	if l.limit <= 0 || n > l.limit/4 {
		return // an entry larger than a quarter of the layer would evict too much
	}
	e.used.Store(true) // a new entry gets its second chance too, ahead of older unused ones
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unlink(e.key)
	l.elems[e.key] = l.order.PushFront(e)
	l.index.Store(e.key, e)
	l.size += n
	for l.size > l.limit {
		last := l.order.Back()
		old := last.Value.(*layerEntry)
		if old.used.Load() && last != l.order.Front() {
			old.used.Store(false) // used since the last sweep: one more round
			l.order.MoveToFront(last)
			continue
		}
		l.unlink(old.key)
	}
}

func (l *layer) remove(k layerKey) {
	if l.limit <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unlink(k)
}

// unlink drops k's entry; l.mu is held.
func (l *layer) unlink(k layerKey) {
	el, ok := l.elems[k]
	if !ok {
		return
	}
	l.order.Remove(el)
	delete(l.elems, k)
	l.index.Delete(k)
	l.size -= int64(len(el.Value.(*layerEntry).payload))
}
