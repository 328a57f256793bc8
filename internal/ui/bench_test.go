package ui_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/internal/ui"
	"github.com/cachegen/cachegen/runtime"
)

// BenchmarkTaskPage renders the first page of a task with 100,000 entries
// in the memory store, and the tasks page over the same store: both list
// the store's sorted listing of the task.
func BenchmarkTaskPage(b *testing.B) {
	const entries = 100_000
	store := memory.New()
	rt, err := runtime.New(context.Background(), runtime.WithStore(store), runtime.WithMemoryLimit(0),
		runtime.WithActivityInterval(0), runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	ctx := runtime.WithRuntime(context.Background(), rt)
	task := &runtime.Task{ID: "example.com/m/pkg.Big", Fingerprint: "0123456789abcdef"}
	for i := range entries {
		runtime.Cached(ctx, task, runtime.AppendInt(nil, int64(i)), nil, func(context.Context) (int, error) { return i, nil })
	}
	srv, err := ui.New(ui.Config{Store: store, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	for name, path := range map[string]string{"task": "/task?id=" + url.QueryEscape(task.ID), "tasks": "/"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", path, w.Code, w.Body)
				}
			}
		})
	}
}
