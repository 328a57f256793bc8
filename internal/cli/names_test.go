package cli

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/runtime"
)

// namesSource is package names (module example.com/m/names): versioned
// tasks on a function, a method declared on an alias of its receiver type,
// and a generic function.
const namesSource = `package names

// Aligner aligns.
type Aligner struct{ N int }

// A is another name for Aligner: its methods are Aligner's.
type A = Aligner

// Work works.
//
//cache:task version=1
func Work(n int) int { return n }

// Run runs.
//
//cache:task version=1
func (a *A) Run(n int) int { return a.N + n }

// Pick picks.
//
//cache:task version=1
func Pick[T any](v T) T { return v }
`

// TestTaskNamesEverywhere holds every entry point that reads a task name
// a user types to one reading, on tasks the generator built from source:
// runtime.TaskMatches, Refresh and WithRefresh (CACHEGEN_REFRESH's
// parser), -accept (gen.Config.Accept), explain (findTask) and ls -task
// (runtime.TaskMatches through the catalog, on an identity and on an instantiation's).
func TestTaskNamesEverywhere(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"go.mod": "module example.com/m/names\n\ngo 1.26\n", "names.go": namesSource} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	tasks, errs, err := gen.Inspect(ctx, gen.Config{Dir: dir})
	if err != nil || len(errs) > 0 {
		t.Fatalf("inspect: %v %v", errs, err)
	}
	const (
		work = "example.com/m/names.Work"
		run  = "example.com/m/names.Aligner.Run"
		pick = "example.com/m/names.Pick"
	)
	if len(tasks) != 3 || tasks[0].ID != work || tasks[1].ID != run || tasks[2].ID != pick {
		t.Fatalf("%d tasks, want %s, %s, %s", len(tasks), work, run, pick)
	}
	for _, c := range []struct{ name, want string }{
		{work, work}, {"names.Work", work}, {"Work", work},
		{run, run}, {"names.Aligner.Run", run}, {"Aligner.Run", run},
		{pick, pick}, {"names.Pick", pick}, {"Pick", pick},
		{"A.Run", ""}, {"names.A.Run", ""}, {"example.com/m/names.A.Run", ""},
		{"Run", ""}, {"names.Run", ""}, {"Aligner", ""}, {"names", ""},
		{"other.Work", ""}, {"example.com/m/other.Work", ""}, {"m.Work", ""},
		{"Wrok", ""}, {"Work[int]", ""},
	} {
		for _, task := range tasks {
			want := c.want == task.ID
			if got := runtime.TaskMatches(task.ID, c.name); got != want {
				t.Errorf("runtime.TaskMatches(%q, %q) = %v, want %v", task.ID, c.name, got, want)
			}
			// A name without type arguments designates every
			// instantiation; one with them, a single one (see TaskMatches).
			if got := runtime.TaskMatches(task.ID+"[int]", c.name); got != want && !strings.Contains(c.name, "[") {
				t.Errorf("ls -task %s: runtime.TaskMatches(%q) = %v, want %v", c.name, task.ID+"[int]", got, want)
			}
			refresh := func(ctx context.Context) context.Context { return runtime.Refresh(ctx, c.name) }
			if got := refreshes(t, task.ID, refresh); got != want {
				t.Errorf("runtime.Refresh(ctx, %q) on %s: re-ran %v, want %v", c.name, task.ID, got, want)
			}
			if got := refreshes(t, task.ID, nil, runtime.WithRefresh(c.name)); got != want {
				t.Errorf("runtime.WithRefresh(%q) (CACHEGEN_REFRESH) on %s: re-ran %v, want %v", c.name, task.ID, got, want)
			}
		}

		found, err := gen.Find(tasks, c.name)
		if c.want == "" && err == nil || c.want != "" && (err != nil || found.ID != c.want) {
			t.Errorf("explain %s: found %v, %v; want %q", c.name, found, err, c.want)
		}

		res, err := gen.Generate(ctx, gen.Config{Dir: dir, Accept: []string{c.name}})
		if err != nil {
			t.Fatal(err)
		}
		if accepted := len(res.Errors) == 0; accepted != (c.want != "") {
			t.Errorf("-accept=%s: errors %v, want accepted %v", c.name, res.Errors, c.want != "")
		}
	}
}

// refreshes reports whether a call of the task id, stored by a first
// runtime, runs again in a second one built with opts, its context passed
// through refresh when not nil.
func refreshes(t *testing.T, id string, refresh func(context.Context) context.Context, opts ...runtime.Option) bool {
	t.Helper()
	store := memory.New()
	task := &runtime.Task{ID: id, Fingerprint: "0123456789abcdef"}
	runs := 0
	body := func(context.Context) (int, error) { runs++; return runs, nil }
	for i := range 2 {
		all := []runtime.Option{runtime.WithStore(store), runtime.WithLogger(slog.New(slog.DiscardHandler))}
		if i == 1 {
			all = append(all, opts...)
		}
		rt, err := runtime.New(context.Background(), all...)
		if err != nil {
			t.Fatal(err)
		}
		ctx := runtime.WithRuntime(context.Background(), rt)
		if i == 1 && refresh != nil {
			ctx = refresh(ctx)
		}
		if _, err := runtime.Cached(ctx, task, runtime.AppendString(nil, "k"), nil, body); err != nil {
			t.Fatal(err)
		}
	}
	return runs > 1
}
