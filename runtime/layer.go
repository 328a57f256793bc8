package runtime

import (
	"container/list"
	"sync"
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
type layerEntry struct {
	key     layerKey
	check   uint64
	created time.Time // when the entry was made, for ttl
	compute time.Duration
	payload []byte // never modified after insertion; decoded afresh by every hit
}

// layer is a bounded LRU of recently used entries' payload bytes. The zero
// limit turns it off.
type layer struct {
	limit int64
	mu    sync.Mutex // guards size, order and index
	size  int64
	order list.List // of *layerEntry, most recent first
	index map[layerKey]*list.Element
}

func newLayer(limit int64) *layer {
	return &layer{limit: limit, index: make(map[layerKey]*list.Element)}
}

func (l *layer) get(k layerKey) (*layerEntry, bool) {
	if l.limit <= 0 {
		return nil, false
	}
	l.mu.Lock()
	el, ok := l.index[k]
	if ok {
		l.order.MoveToFront(el)
	}
	l.mu.Unlock()
	if !ok {
		return nil, false
	}
	return el.Value.(*layerEntry), true
}

func (l *layer) put(e *layerEntry) {
	n := int64(len(e.payload))
	if l.limit <= 0 || n > l.limit/4 {
		return // an entry larger than a quarter of the layer would evict too much
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.index[e.key]; ok {
		l.size -= int64(len(el.Value.(*layerEntry).payload))
		el.Value = e
		l.order.MoveToFront(el)
	} else {
		l.index[e.key] = l.order.PushFront(e)
	}
	l.size += n
	for l.size > l.limit {
		last := l.order.Back()
		old := last.Value.(*layerEntry)
		l.order.Remove(last)
		delete(l.index, old.key)
		l.size -= int64(len(old.payload))
	}
}

func (l *layer) remove(k layerKey) {
	if l.limit <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.index[k]; ok {
		l.order.Remove(el)
		delete(l.index, k)
		l.size -= int64(len(el.Value.(*layerEntry).payload))
	}
}
