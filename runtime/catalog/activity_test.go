package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/runtime"
)

// The helper processes (CACHEGEN_CATALOG_HELPER=calls or crash) make
// CACHEGEN_CATALOG_CALLS calls of one task on the file store in
// CACHEGEN_STORE, recording activity every CACHEGEN_ACTIVITY: "calls"
// closes its runtime at the end; "crash" makes as many calls again after
// its first write and exits without closing.
func TestMain(m *testing.M) {
	switch os.Getenv("CACHEGEN_CATALOG_HELPER") {
	case "calls":
		os.Exit(activityHelper(false))
	case "crash":
		os.Exit(activityHelper(true))
	}
	os.Exit(m.Run())
}

var helperTask = runtime.Task{ID: "example.com/m/pkg.Count", Fingerprint: "0123456789abcdef"}

func activityHelper(crash bool) int {
	rt, err := runtime.New(context.Background(), runtime.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx := runtime.WithRuntime(context.Background(), rt)
	n, _ := strconv.Atoi(os.Getenv("CACHEGEN_CATALOG_CALLS"))
	calls := func() {
		for i := range n {
			runtime.Cached(ctx, &helperTask, runtime.AppendInt(nil, int64(i%3)), nil, func(context.Context) (int, error) { return i, nil })
		}
	}
	calls()
	if !crash {
		rt.Close()
		return 0
	}
	time.Sleep(3 * time.Second) // at least one write of the calls above
	calls()
	os.Exit(3) // no Close: what the second round counted is lost
	return 0
}

func runActivityHelper(t *testing.T, mode, dir string, calls int, interval string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CACHEGEN_CATALOG_HELPER="+mode, "CACHEGEN_STORE=file://"+dir,
		"CACHEGEN_CATALOG_CALLS="+strconv.Itoa(calls), runtime.EnvActivity+"="+interval)
	out, err := cmd.CombinedOutput()
	if mode == "crash" {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
			t.Fatalf("crash helper: %v\n%s", err, out)
		}
		return
	}
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
}

func openFS(t *testing.T, dir string) backends.Store {
	t.Helper()
	s, err := fs.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestActivityTwoProcesses runs two processes on one store: their counts
// merge.
func TestActivityTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	runActivityHelper(t, "calls", dir, 10, "1h") // 3 misses, 7 memory hits
	runActivityHelper(t, "calls", dir, 10, "1h") // 3 store hits, 7 memory hits
	act, err := (&Catalog{Store: openFS(t, dir)}).Activity(t.Context(), time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	a := act.Tasks[helperTask.ID]
	if act.Records != 2 || a == nil || a.Misses != 3 || a.StoreHits != 3 || a.MemoryHits != 14 {
		t.Fatalf("merged %d records: %+v; want 3 misses, 3 store hits, 14 memory hits", act.Records, a)
	}
	if len(act.Points) != 1 && len(act.Points) != 2 {
		t.Errorf("points %+v", act.Points)
	}
	if a.Reasons["first call"] != 1 || a.Reasons["new arguments"] != 2 {
		t.Errorf("reasons %v", a.Reasons)
	}
}

// TestActivityCrash kills a process after a write: what it counted before
// the write is kept; what came after, at most one interval, is lost.
func TestActivityCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	runActivityHelper(t, "crash", dir, 10, "500ms")
	act, err := (&Catalog{Store: openFS(t, dir)}).Activity(t.Context(), time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	a := act.Tasks[helperTask.ID]
	if a == nil || a.Hits()+a.Misses < 10 || a.Hits()+a.Misses >= 20 {
		t.Fatalf("after a crash: %+v; want the 10 calls before the write, not the 10 after", a)
	}
}

// TestTrimActivity checks that gc's age cut deletes old activity records
// and keeps recent ones.
func TestTrimActivity(t *testing.T) {
	dir := t.TempDir()
	store := openFS(t, dir)
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	for _, age := range []time.Duration{48 * time.Hour, time.Hour} {
		name := backends.ActivityKey(runtime.DefaultNamespace, runtime.IntervalName(now.Add(-age)), "p")
		if _, err := store.Put(t.Context(), name, strings.NewReader(`{"tasks":{}}`), backends.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	s := &Sweep{}
	if err := (&Catalog{Store: store, Now: now}).Trim(t.Context(), Policy{OlderThan: 24 * time.Hour, MaxBytes: -1}, s); err != nil {
		t.Fatal(err)
	}
	act, _ := (&Catalog{Store: store}).Activity(t.Context(), time.Time{}, "")
	if s.Deleted != 1 || act.Records != 1 {
		t.Fatalf("deleted %d, %d records left; want the 48-hour-old one gone", s.Deleted, act.Records)
	}
}
