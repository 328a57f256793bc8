package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"io"
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
}
