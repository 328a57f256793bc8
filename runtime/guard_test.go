package runtime

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cachegen/cachegen/internal/srchash"
)

// staleTask returns a task whose source check has already found a change,
// as the first call of a stale wrapper would.
func staleTask() *Task {
	t := &Task{ID: "example.com/m/pkg.Stale", Fingerprint: "0123456789abcdef",
		Sources: []Source{{Pkg: "example.com/m/pkg", File: "a.go", Name: "Stale", Hash: "0000000000000000", Task: true}}}
	t.stale.changes = []srchash.Change{{Source: t.Sources[0]}}
	t.stale.done = 1
	return t
}

// TestStaleWrapperRunsUncached checks that a stale wrapper neither reads
// nor writes the store, runs the function each time, and that StaleError
// panics with ErrStaleWrapper while StaleOff keeps caching.
func TestStaleWrapperRunsUncached(t *testing.T) {
	ctx := context.Background()
	rt, err := New(ctx, WithStoreURL("mem://"), WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	ctx = WithRuntime(ctx, rt)
	task := staleTask()
	runs := 0
	fn := func(context.Context) (int, error) { runs++; return runs, nil }
	for i := 1; i <= 2; i++ {
		if v, err := Cached(ctx, task, []byte("k"), nil, fn); err != nil || v != i {
			t.Fatalf("call %d = %d, %v; want the function's own result %d", i, v, err, i)
		}
	}
	if s := rt.Stats(); s.Uncached != 2 || s.Hits != 0 || s.Misses != 0 {
		t.Errorf("stats %+v: want 2 uncached calls and nothing else", s)
	}
	if keys := keysUnder(t, rt.store, ""); len(keys) != 0 {
		t.Errorf("a stale wrapper wrote %v", keys)
	}

	strict, err := New(ctx, WithStoreURL("mem://"), WithLogger(quiet()), WithStaleCheck(StaleError))
	if err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			err, _ := recover().(error)
			if !errors.Is(err, ErrStaleWrapper) {
				t.Errorf("StaleError: recovered %v, want an error wrapping ErrStaleWrapper", err)
			}
		}()
		Cached(WithRuntime(ctx, strict), task, []byte("k"), nil, fn)
	}()

	off, err := New(ctx, WithStoreURL("mem://"), WithLogger(quiet()), WithStaleCheck(StaleOff))
	if err != nil {
		t.Fatal(err)
	}
	octx := WithRuntime(ctx, off)
	Cached(octx, task, []byte("k"), nil, fn)
	Cached(octx, task, []byte("k"), nil, fn)
	if s := off.Stats(); s.Hits != 1 || s.Misses != 1 {
		t.Errorf("StaleOff: stats %+v, want a miss and a hit", s)
	}
}

// TestParseStale checks the environment variable's values.
func TestParseStale(t *testing.T) {
	for v, want := range map[string]StaleCheck{"": StaleWarn, "warn": StaleWarn, "ERROR": StaleError, "off": StaleOff} {
		if got, err := parseStale(v); err != nil || got != want {
			t.Errorf("parseStale(%q) = %v, %v; want %v", v, got, err, want)
		}
	}
	if _, err := parseStale("eror"); err == nil {
		t.Errorf("parseStale accepted a typo")
	}
}

// TestCheckSources checks the comparison against files on disk: a module
// with two packages, an edit in each, and a generated file that is not on
// this machine.
func TestCheckSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("app/task.go", "package app\n\nimport \"example.com/m/util\"\n\n//cache:task\nfunc Task(n int) int { return util.Help(n) }\n")
	write("util/help.go", "package util\n\nfunc Help(n int) int { return n + 1 }\n")
	write("app/cachegen_gen.go", "package app\n")
	var disk srchash.Disk
	app, util := disk.Index(filepath.Join(dir, "app")), disk.Index(filepath.Join(dir, "util"))
	sources := []Source{
		{Pkg: "example.com/m/app", File: "task.go", Name: "Task", Hash: app["Task"][0].TaskHash, Task: true},
		{Pkg: "example.com/m/util", File: "help.go", Name: "Help", Hash: util["Help"][0].Hash},
		{Pkg: "example.com/m/util", File: "help.go", Name: "Gone", Hash: "0000000000000000", Code: true},
	}
	gen := filepath.Join(dir, "app", "cachegen_gen.go")
	if ch := checkSources(new(srchash.Disk), gen, sources); ch != nil {
		t.Fatalf("unchanged source: changes %v", ch)
	}
	write("util/help.go", "package util\n\nfunc Help(n int) int { return n + 2 }\n")
	ch := checkSources(new(srchash.Disk), gen, sources)
	if len(ch) != 1 || ch[0].Source.Name != "Help" {
		t.Fatalf("edited helper: changes %v", ch)
	}
	if ch := checkSources(new(srchash.Disk), "example.com/m/app/cachegen_gen.go", sources); ch != nil {
		t.Errorf("a -trimpath path: changes %v, want the guard off", ch)
	}
	if ch := checkSources(new(srchash.Disk), filepath.Join(dir, "elsewhere", "cachegen_gen.go"), sources); ch != nil {
		t.Errorf("a generated file not on this machine: changes %v, want the guard off", ch)
	}
}

// guardSources are the sources of a task that covers every declaration of
// this repository's runtime and backends packages: a large task, for the
// first-call cost of the guard.
func guardSources(tb testing.TB) (string, []Source) {
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	var disk srchash.Disk
	var srcs []Source
	for _, p := range []struct{ dir, pkg string }{{wd, "github.com/cachegen/cachegen/runtime"}, {filepath.Join(wd, "..", "backends"), "github.com/cachegen/cachegen/backends"}} {
		ix := disk.Index(p.dir)
		for _, name := range slices.Sorted(maps.Keys(ix)) {
			d := ix[name][0]
			srcs = append(srcs, Source{Pkg: p.pkg, File: d.File, Name: name, Hash: d.Hash})
		}
	}
	srcs = append(srcs, Source{Pkg: "github.com/cachegen/cachegen/runtime", File: "cache.go", Name: "Cached", Hash: "x", Task: true})
	return wd, srcs
}

// BenchmarkGuardFirstCall is what the first call of a task pays for the
// guard where its source is present: parse its packages' files and hash
// the declarations its fingerprint covers (here every declaration of two
// packages, 40-odd files). Later calls pay BenchmarkHitWarmGuarded's
// difference to BenchmarkHitWarm.
func BenchmarkGuardFirstCall(b *testing.B) {
	dir, srcs := guardSources(b)
	for b.Loop() {
		if ch := compareSources(new(srchash.Disk), dir, srcs); len(ch) != 1 {
			b.Fatalf("changes %v, want the one planted", ch)
		}
	}
	b.ReportMetric(float64(len(srcs)), "sources")
}

// BenchmarkHitWarmGuarded is BenchmarkHitWarm for a task with sources:
// after the first call, the guard is one atomic load.
func BenchmarkHitWarmGuarded(b *testing.B) {
	task := &Task{ID: benchTask.ID, Fingerprint: benchTask.Fingerprint,
		Sources: []Source{{Pkg: "example.com/m/pkg", File: "a.go", Name: "Bench", Hash: "0123456789abcdef", Task: true}}}
	benchHits(b, task, true, WithStoreURL("mem://"))
}
