package memory_test

import (
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/backends/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) backends.Store { return memory.New() })
}

func TestZeroValue(t *testing.T) {
	storetest.Run(t, func(*testing.T) backends.Store { return new(memory.Store) })
}

func TestOpenGivesFreshStores(t *testing.T) {
	ctx := t.Context()
	a, err := backends.Open(ctx, "mem://")
	if err != nil {
		t.Fatalf("Open(mem://): %v", err)
	}
	b, err := backends.Open(ctx, "mem://")
	if err != nil {
		t.Fatalf("Open(mem://): %v", err)
	}
	if _, err := a.Put(ctx, "k", strings.NewReader("v"), backends.PutOptions{Size: 1}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	if got := a.(*memory.Store).Len(); got != 1 {
		t.Errorf("Len after one Put = %d, want 1", got)
	}
	if got := b.(*memory.Store).Len(); got != 0 {
		t.Errorf("a second mem:// store holds %d objects, want 0", got)
	}
}

func TestReadAll(t *testing.T) {
	s := memory.New()
	ctx := t.Context()
	info, err := s.Put(ctx, "k", strings.NewReader("value"), backends.PutOptions{Size: 5})
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	b, got, err := s.ReadAll(ctx, "k")
	if err != nil || string(b) != "value" || got != info {
		t.Fatalf("ReadAll = %q, %+v, %v; want %q, %+v", b, got, err, "value", info)
	}
	b[0] = 'X'
	if b, _, _ := s.ReadAll(ctx, "k"); string(b) != "value" {
		t.Fatalf("mutating ReadAll's result changed the store: %q", b)
	}
}
