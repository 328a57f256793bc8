package runtime

import "testing"

func TestLayerIsBoundedLRU(t *testing.T) {
	l := newLayer(100)
	put := func(d uint64, n int) { l.put(&layerEntry{key: layerKey{digest: d}, payload: make([]byte, n)}) }
	has := func(d uint64) bool { _, ok := l.get(layerKey{digest: d}); return ok }
	put(1, 20)
	put(2, 20)
	put(3, 20)
	has(1) // 1 is now the most recently used
	put(4, 20)
	put(5, 20) // 100 bytes: still fits
	put(6, 20) // evicts the least recently used: 2
	if has(2) || !has(1) || !has(6) {
		t.Fatalf("eviction is not least-recently-used: 1=%v 2=%v 6=%v", has(1), has(2), has(6))
	}
	if l.size > l.limit {
		t.Fatalf("size %d over limit %d", l.size, l.limit)
	}
	put(7, 26) // larger than a quarter of the layer: not kept
	if has(7) {
		t.Fatal("an entry over a quarter of the limit was kept")
	}
	put(1, 5) // replacing an entry adjusts the size
	if want := int64(5 + 20*4); l.size != want {
		t.Fatalf("size %d after replacing an entry, want %d", l.size, want)
	}
	off := newLayer(0)
	off.put(&layerEntry{key: layerKey{digest: 1}, payload: []byte{1}})
	if _, ok := off.get(layerKey{digest: 1}); ok {
		t.Fatal("a zero-limit layer kept an entry")
	}
}
