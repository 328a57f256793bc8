package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
)

// activityRecords reads every activity record in the store.
func activityRecords(t *testing.T, s backends.Store, ns string) []ActivityRecord {
	t.Helper()
	var out []ActivityRecord
	for info, err := range s.List(context.Background(), backends.ActivityPrefix(ns)) {
		if err != nil {
			t.Fatal(err)
		}
		rc, _, err := s.Get(context.Background(), info.Key)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		var rec ActivityRecord
		if err := json.Unmarshal(data, &rec); err != nil {
			t.Fatalf("%s: %v", info.Key, err)
		}
		out = append(out, rec)
	}
	return out
}

// TestActivityRecorded counts a first-call miss, a memory hit, a store hit
// (a second runtime), a failed call and a miss after a code change, and
// reads back what Close wrote.
func TestActivityRecorded(t *testing.T) {
	store := memory.New()
	task := Task{ID: "example.com/m/pkg.F", Fingerprint: "1111111111111111", Parts: []Part{{Kind: PartDecl, Name: "example.com/m/pkg.F", Hash: "a"}}}
	run := func(task *Task, calls ...string) {
		rt, err := New(context.Background(), WithStore(store), WithLogger(quiet()), WithActivityInterval(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		ctx := WithRuntime(context.Background(), rt)
		for _, arg := range calls {
			Cached(ctx, task, AppendString(nil, arg), nil, func(context.Context) (int, error) {
				time.Sleep(time.Millisecond)
				if arg == "fails" {
					return 0, errors.New("boom")
				}
				return len(arg), nil
			})
		}
		if err := rt.Close(); err != nil {
			t.Fatal(err)
		}
	}
	run(&task, "a", "a", "fails")
	run(&task, "a", "b")
	edited := task
	edited.Fingerprint, edited.Parts = "2222222222222222", []Part{{Kind: PartDecl, Name: "example.com/m/pkg.F", Hash: "b"}}
	run(&edited, "a")

	recs := activityRecords(t, store, DefaultNamespace)
	if len(recs) != 3 {
		t.Fatalf("%d records, want one per runtime", len(recs))
	}
	var total TaskActivity
	for _, r := range recs {
		if r.Process == "" || r.End.Before(r.Start) || len(r.Tasks) != 1 {
			t.Errorf("record %+v", r)
		}
		total.Add(r.Tasks[task.ID])
	}
	// Misses: a (first call), fails (new arguments in the same process),
	// b (explained by the second process: other arguments are stored), a
	// after the edit.
	if total.MemoryHits != 1 || total.StoreHits != 1 || total.Misses != 4 || total.Errors != 1 || total.Saved <= 0 {
		t.Errorf("counted %+v; want 1 memory hit, 1 store hit, 4 misses, 1 error, time saved", total)
	}
	if total.Reasons["first call"] != 1 || total.Reasons["new arguments"] != 1 ||
		total.Reasons["arguments differ: 1 stored result(s) of this code have other arguments"] != 1 {
		t.Errorf("reasons %v", total.Reasons)
	}
	edits := 0
	for _, r := range recs {
		if a := r.Tasks[task.ID]; strings.HasPrefix(a.LastMiss, "code changed: the function's own code") && a.Reasons[a.LastMiss] == 1 {
			edits++
		}
	}
	if edits != 1 {
		t.Errorf("no record says the miss after the edit was a code change: %+v", recs)
	}
}

// TestActivityOff checks that a runtime with recording off writes nothing.
func TestActivityOff(t *testing.T) {
	store := memory.New()
	t.Setenv(EnvActivity, "off")
	rt, err := New(context.Background(), WithStore(store), WithLogger(quiet()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithRuntime(context.Background(), rt)
	Cached(ctx, &Task{ID: "p.F", Fingerprint: "0"}, nil, nil, func(context.Context) (int, error) { return 1, nil })
	rt.Close()
	if recs := activityRecords(t, store, DefaultNamespace); len(recs) != 0 {
		t.Fatalf("%d records with recording off", len(recs))
	}
	if n := len(slices.Collect(rt.TaskCounts())); n != 0 {
		t.Fatalf("TaskCounts has %d tasks with recording off", n)
	}
}

// TestTaskCounts checks that TaskCounts sums the intervals already
// written and the current one, per namespace and task, and that a write
// does not lower them.
func TestTaskCounts(t *testing.T) {
	store := memory.New()
	rt, err := New(context.Background(), WithStore(store), WithLogger(quiet()), WithActivityInterval(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	f := &Task{ID: "example.com/m.F", Fingerprint: "1111111111111111"}
	g := &Task{ID: "example.com/m.G", Fingerprint: "2222222222222222"}
	call := func(ns string, task *Task, arg string) {
		ctx := WithNamespace(WithRuntime(context.Background(), rt), ns)
		Cached(ctx, task, AppendString(nil, arg), nil, func(context.Context) (int, error) {
			if arg == "fails" {
				return 0, errors.New("boom")
			}
			return len(arg), nil
		})
	}
	call("a", f, "x") // miss
	call("a", f, "x") // hit
	call("b", f, "x") // miss in another namespace
	rt.rec.flush(context.Background())
	if recs := activityRecords(t, store, "a"); len(recs) != 1 || recs[0].Tasks[f.ID].Misses != 1 || recs[0].Tasks[f.ID].MemoryHits != 1 {
		t.Fatalf("records of namespace a after the write: %+v", recs)
	}
	call("a", f, "x") // hit
	call("a", f, "fails")
	call("a", g, "y") // miss
	got := map[string]TaskActivity{}
	for c := range rt.TaskCounts() {
		got[c.Namespace+" "+c.Task] = c.TaskActivity
	}
	want := map[string]TaskActivity{
		"a " + f.ID: {MemoryHits: 2, Misses: 2, Errors: 1},
		"b " + f.ID: {Misses: 1},
		"a " + g.ID: {Misses: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("TaskCounts = %+v, want %d tasks", got, len(want))
	}
	for k, w := range want {
		g := got[k]
		if g.MemoryHits != w.MemoryHits || g.StoreHits != w.StoreHits || g.Misses != w.Misses || g.Errors != w.Errors || g.Reasons != nil {
			t.Errorf("%s: %+v, want %+v", k, g, w)
		}
	}
	if r := got["a "+g.ID].LastMiss; r != "first call" {
		t.Errorf("last miss of G: %q, want first call", r)
	}
}
