package lease

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/backends/memory"
)

// BenchmarkRunUncontended measures the lease's cost for a caller that finds
// it free: create, ready check, release (read and delete).
func BenchmarkRunUncontended(b *testing.B) {
	dir, err := fs.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range []struct {
		name  string
		store backends.Store
	}{{"memory", memory.New()}, {"fs", dir}} {
		b.Run(s.name, func(b *testing.B) {
			cfg := Config{Owner: "bench", Logger: slog.New(slog.DiscardHandler)}
			notReady := func(context.Context) (bool, error) { return false, nil }
			body := func(context.Context) error { return nil }
			i := 0
			for b.Loop() {
				i++
				key := fmt.Sprintf("lock/ns/t/fp/%x", i%256)
				if ran, err := Run(b.Context(), s.store, key, 0, cfg, notReady, body); !ran || err != nil {
					b.Fatal(ran, err)
				}
			}
		})
	}
}
