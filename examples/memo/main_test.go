package main

import (
	"context"
	"testing"

	cgrt "github.com/cachegen/cachegen/runtime"
)

// TestMemoHitDoesNotAllocate calls the generated wrapper: a memo hit with a
// fixed-size argument must not allocate (the key is encoded into a stack
// buffer, and the result is returned as stored).
func TestMemoHitDoesNotAllocate(t *testing.T) {
	rt, err := cgrt.New(context.Background(), cgrt.WithStoreURL("mem://"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := cgrt.NewRun(cgrt.WithRuntime(context.Background(), rt))
	if err := NotifyMemo(ctx, "ops@example.com", "test"); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { NotifyMemo(ctx, "ops@example.com", "test") }); n != 0 {
		t.Errorf("a memo hit through NotifyMemo allocates %v times", n)
	}
	if got := sent.Load(); got != 1 {
		t.Errorf("Notify ran %d times, want 1", got)
	}
}
