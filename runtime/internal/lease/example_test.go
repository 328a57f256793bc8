package lease_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/runtime/internal/lease"
)

// Run computes a result once for every process sharing the store: the body
// stores the result, and ready tells waiters (and later holders) that it
// exists.
func ExampleRun() {
	ctx := context.Background()
	store := memory.New()
	const result = "cache/ns/pkg.F/fp/0123abcd"
	ready := func(ctx context.Context) (bool, error) {
		_, _, err := store.Get(ctx, result)
		if errors.Is(err, backends.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	body := func(ctx context.Context) error {
		_, err := store.Put(ctx, result, strings.NewReader("42"), backends.PutOptions{})
		return err
	}
	for range 2 {
		ran, err := lease.Run(ctx, store, "lock/ns/pkg.F/fp/0123abcd", 0, lease.Config{}, ready, body)
		fmt.Println(ran, err)
	}
	// Output:
	// true <nil>
	// false <nil>
}
