package runtime

import "testing"

func TestLayerIsBoundedSecondChance(t *testing.T) {
	l := newLayer(100)
	put := func(d uint64, n int) { l.put(&layerEntry{key: layerKey{digest: d}, payload: make([]byte, n)}) }
	has := func(d uint64) bool { _, ok := l.get(layerKey{digest: d}); return ok }
	put(1, 20)
	put(2, 20)
	put(3, 20)
	put(4, 20)
	put(5, 20) // 100 bytes: still fits
	put(6, 20) // a sweep clears every entry's used bit, then evicts the oldest: 1
	has(2)     // 2 is used again: it survives the next eviction
	put(7, 20) // evicts the oldest entry not used since the sweep: 3
	if has(1) || has(3) || !has(2) || !has(6) || !has(7) {
		t.Fatalf("eviction is not second-chance: 1=%v 2=%v 3=%v 6=%v 7=%v", has(1), has(2), has(3), has(6), has(7))
	}
	if l.size > l.limit {
		t.Fatalf("size %d over limit %d", l.size, l.limit)
	}
	put(8, 26) // larger than a quarter of the layer: not kept
	if has(8) {
		t.Fatal("an entry over a quarter of the limit was kept")
	}
	before := l.size
	put(2, 5) // replacing an entry adjusts the size
	if want := before - 15; l.size != want {
		t.Fatalf("size %d after replacing an entry, want %d", l.size, want)
	}
	off := newLayer(0)
	off.put(&layerEntry{key: layerKey{digest: 1}, payload: []byte{1}})
	if _, ok := off.get(layerKey{digest: 1}); ok {
		t.Fatal("a zero-limit layer kept an entry")
	}
}
