package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
	"github.com/cachegen/cachegen/runtime/catalog"
)

// Object keys fillObjects writes.
const (
	objJ1K1   = "job/default/j1/k1"
	objJ1K2   = "job/default/j1/g/h/k2"
	objJ10    = "job/default/j10/k"
	objJ1x    = "job/default/j1-x/k"
	objShared = "shared/default/models/m/v1"
	objOtherN = "job/other/j1/k1"
)

// Durable run entries fillObjects writes: run "r/1" has one entry of A and
// one of B, run "r2" one of A.
var (
	objR1A = backends.RunKey("default", "r/1", taskA.ID, "5151515151515151", "00000000000000aa")
	objR1B = backends.RunKey("default", "r/1", taskB.ID, "5252525252525252", "00000000000000bb")
	objR2A = backends.RunKey("default", "r2", taskA.ID, "5151515151515151", "00000000000000aa")
)

// fillObjects stores job caches j1 (two keys), j10 and j1-x (whose names
// share j1's prefix), a shared cache, a job in another namespace (through
// the runtime's job cache API), and durable run entries (at their layout's
// names), all of them with values as long as their last key segment.
func fillObjects(t *testing.T) agedStore {
	t.Helper()
	ctx, mem := memoryRuntime(t)
	save := func(ctx context.Context, job, shared, group, key string) {
		t.Helper()
		var c *runtime.Cache
		var err error
		if shared != "" {
			c, err = runtime.SharedCache(ctx, shared)
		} else {
			c, err = runtime.JobCache(runtime.WithJob(ctx, job))
		}
		if err != nil {
			t.Fatal(err)
		}
		if group != "" {
			c = c.Group(group)
		}
		if err := c.Save(ctx, key, []byte(key)); err != nil {
			t.Fatal(err)
		}
	}
	save(ctx, "j1", "", "", "k1")
	save(ctx, "j1", "", "g/h", "k2")
	save(ctx, "j10", "", "", "k")
	save(ctx, "j1-x", "", "", "k")
	save(ctx, "", "models", "m", "v1")
	save(runtime.WithNamespace(ctx, "other"), "j1", "", "", "k1")
	for _, key := range []string{objR1A, objR1B, objR2A} {
		if _, err := mem.Put(ctx, key, strings.NewReader(key[strings.LastIndexByte(key, '/')+1:]), backends.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	all := []string{objJ1K1, objJ1K2, objJ10, objJ1x, objShared, objOtherN, objR1A, objR1B, objR2A}
	for _, key := range all {
		if _, _, err := mem.Get(ctx, key); err != nil {
			t.Fatalf("fill: %v", err)
		}
	}
	if mem.Len() != len(all) {
		t.Fatalf("fill: %d objects, want %d", mem.Len(), len(all))
	}
	return agedStore{mem, map[string]time.Time{}}
}

// allKeys lists every object in s.
func allKeys(t *testing.T, s backends.Store) []string {
	t.Helper()
	var keys []string
	for info, err := range s.List(context.Background(), "") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

func TestLsObjectsIDs(t *testing.T) {
	s := fillObjects(t)
	ctx := context.Background()
	for _, c := range []struct {
		kind  objectKind
		ids   []string
		count []int
		bytes []int64
	}{
		{objectKinds()[0], []string{"j1", "j1-x", "j10"}, []int{2, 1, 1}, []int64{4, 1, 1}},
		{objectKinds()[1], []string{"models"}, []int{1}, []int64{2}},
		{objectKinds()[2], []string{"r/1", "r2"}, []int{2, 1}, []int64{32, 16}},
	} {
		env, out := newEnv(s, true)
		if err := env.lsIDs(ctx, c.kind); err != nil {
			t.Fatal(err)
		}
		var got []idRow
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err, out)
		}
		var ids []string
		var count []int
		var bytes []int64
		for _, r := range got {
			ids, count, bytes = append(ids, r.ID), append(count, r.Objects), append(bytes, r.Bytes)
			if r.Newest.IsZero() || r.AgeSeconds < 0 || r.AgeSeconds > 60 {
				t.Errorf("ls -%s: %+v: newest or age wrong", c.kind.listFlag, r)
			}
		}
		if !slices.Equal(ids, c.ids) || !slices.Equal(count, c.count) || !slices.Equal(bytes, c.bytes) {
			t.Errorf("ls -%s: ids %q objects %v bytes %v, want %q %v %v", c.kind.listFlag, ids, count, bytes, c.ids, c.count, c.bytes)
		}
	}
	env, out := newEnv(s, false)
	if err := env.lsIDs(ctx, objectKinds()[0]); err != nil {
		t.Fatal(err)
	}
	want := "JOB   OBJECTS  BYTES  AGE\nj1    2        4      0s\nj1-x  1        1      0s\nj10   1        1      0s\n"
	if out.String() != want {
		t.Errorf("ls -jobs table:\n%s\nwant:\n%s", out, want)
	}
}

func TestLsObjects(t *testing.T) {
	s := fillObjects(t)
	ctx := context.Background()
	for _, c := range []struct {
		kind    int
		id      string
		task    string
		keys    []string
		objects []string
	}{
		{0, "j1", "", []string{"g/h/k2", "k1"}, []string{objJ1K2, objJ1K1}},
		{1, "models", "", []string{"m/v1"}, []string{objShared}},
		{2, "r/1", "", nil, []string{objR1A, objR1B}},
		{2, "r/1", "p.B", nil, []string{objR1B}},
		{2, "nothing", "", nil, nil},
	} {
		env, out := newEnv(s, true)
		ch := &objectChoice{kind: objectKinds()[c.kind], id: c.id}
		if err := env.lsObjects(ctx, ch, c.task); err != nil {
			t.Fatal(err)
		}
		var got []objectRow
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err, out)
		}
		var keys, objects []string
		for _, r := range got {
			objects = append(objects, r.Name)
			if ch.kind.Kind == catalog.Run {
				if r.Task == "" || r.Signature == "" || r.Digest == "" || r.Size != 16 {
					t.Errorf("ls -run %s: %+v", c.id, r)
				}
				continue
			}
			keys = append(keys, r.Key)
			if r.Size != int64(len(r.Key[strings.LastIndexByte(r.Key, '/')+1:])) {
				t.Errorf("ls -%s %s: %+v: wrong size", ch.kind.flag, c.id, r)
			}
		}
		if !slices.Equal(keys, c.keys) || !slices.Equal(objects, c.objects) {
			t.Errorf("ls -%s %s -task %q: keys %q objects %q, want %q %q", ch.kind.flag, c.id, c.task, keys, objects, c.keys, c.objects)
		}
	}
	env, out := newEnv(s, false)
	if err := env.lsObjects(ctx, &objectChoice{kind: objectKinds()[2], id: "r2"}, ""); err != nil {
		t.Fatal(err)
	}
	want := "TASK               SIGNATURE         DIGEST            SIZE  AGE\n" +
		"example.com/m/p.A  5151515151515151  00000000000000aa  16    0s\n"
	if out.String() != want {
		t.Errorf("ls -run r2 table:\n%s\nwant:\n%s", out, want)
	}
}

func TestPurgeObjects(t *testing.T) {
	ctx := context.Background()
	all := []string{objJ1K1, objJ1K2, objJ10, objJ1x, objShared, objOtherN, objR1A, objR1B, objR2A}
	for _, c := range []struct {
		name   string
		kind   int
		id     string
		task   string
		older  time.Duration
		dryRun bool
		gone   []string
	}{
		{"job", 0, "j1", "", 0, false, []string{objJ1K1, objJ1K2}},
		{"job older", 0, "j1", "", time.Hour, false, []string{objJ1K2}},
		{"job dry run", 0, "j1", "", 0, true, nil},
		{"shared", 1, "models", "", 0, false, []string{objShared}},
		{"run", 2, "r/1", "", 0, false, []string{objR1A, objR1B}},
		{"run task", 2, "r/1", "A", 0, false, []string{objR1A}},
		{"missing", 0, "j2", "", 0, false, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := fillObjects(t)
			env, out := newEnv(s, false)
			s.ages[objJ1K2] = env.now.Add(-2 * time.Hour)
			ch := &objectChoice{kind: objectKinds()[c.kind], id: c.id}
			if err := env.purgeObjects(ctx, ch, c.task, c.older, c.dryRun); err != nil {
				t.Fatal(err)
			}
			want := slices.DeleteFunc(slices.Clone(all), func(k string) bool { return slices.Contains(c.gone, k) })
			slices.Sort(want)
			if got := allKeys(t, s); !slices.Equal(got, want) {
				t.Errorf("purge left %q, want %q", got, want)
			}
			verb := "deleted"
			if c.dryRun {
				verb, c.gone = "would delete", []string{objJ1K2, objJ1K1}
			}
			for _, k := range c.gone {
				if !strings.Contains(out.String(), verb+" "+k+" (purge)\n") {
					t.Errorf("output lacks %q:\n%s", k, out)
				}
			}
			noun := " objects, "
			if len(c.gone) == 1 {
				noun = " object, "
			}
			if summary := verb + " " + strconv.Itoa(len(c.gone)) + noun; !strings.Contains(out.String(), summary) {
				t.Errorf("output lacks %q:\n%s", summary, out)
			}
		})
	}
}

// TestObjectFlags runs the commands' flag checks: one choice at most, IDs
// that could reach other objects rejected, -task and -all only where they
// apply. All of them are usage errors, found before the store is opened.
func TestObjectFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"ls", "-jobs", "-runs"}, "-jobs, -runs: give one at most"},
		{[]string{"ls", "-job", "j1", "-shared", "s"}, "-job, -shared: give one at most"},
		{[]string{"ls", "-task", "A", "-job", "j1"}, "-task and -job: -task selects cached results or a run's entries"},
		{[]string{"ls", "-task", "A", "-runs"}, "-task and -runs: give one at most"},
		{[]string{"ls", "-job", "a/b"}, `invalid job ID "a/b": contains "/"`},
		{[]string{"purge", "-job", ""}, `invalid job ID "": empty`},
		{[]string{"purge", "-shared", "x..y"}, `invalid cache name "x..y": contains ".."`},
		{[]string{"purge", "-run", ".."}, `invalid run ID "..": ".." segment`},
		{[]string{"purge", "-job", "j1", "-all"}, "-all and -job: -all selects cached results"},
		{[]string{"purge", "-shared", "s", "-task", "A"}, "-task and -shared"},
		{[]string{"purge"}, "give at least one of -task, -older-than, -all, -job, -shared, -run"},
	} {
		var stdout, stderr bytes.Buffer
		code := runStoreCmd(context.Background(), c.args[0], append(c.args[1:], "-store", "mem://"), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), c.err) || stdout.Len() != 0 {
			t.Errorf("cachegen %q: exit %d, stderr %q; want exit 2 and %q", c.args, code, stderr.String(), c.err)
		}
	}
	// Accepted: -task with -run, an ID with the characters runs escape.
	for _, args := range [][]string{{"ls", "-run", "r/1", "-task", "A"}, {"purge", "-run", "r%2", "-task", "A", "-n"}, {"ls", "-shared-caches"}} {
		var stdout, stderr bytes.Buffer
		if code := runStoreCmd(context.Background(), args[0], append(args[1:], "-store", "mem://"), &stdout, &stderr); code != exitOK || stderr.Len() != 0 {
			t.Errorf("cachegen %q: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}

func TestStatsObjects(t *testing.T) {
	s := fillObjects(t)
	env, out := newEnv(s, true)
	if err := env.stats(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	var got struct{ Objects []catalog.KindTotals }
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err, out)
	}
	want := []catalog.KindTotals{{Kind: "job", IDs: 3, Objects: 4, Bytes: 6}, {Kind: "shared", IDs: 1, Objects: 1, Bytes: 2}, {Kind: "run", IDs: 2, Objects: 3, Bytes: 48}}
	if !slices.Equal(got.Objects, want) {
		t.Errorf("stats objects %+v, want %+v", got.Objects, want)
	}
	env, out = newEnv(s, false)
	if err := env.stats(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\nKIND    IDS  OBJECTS  BYTES\njob     3    4        6\nshared  1    1        2\nrun     2    3        48\n") {
		t.Errorf("stats table:\n%s", out)
	}
}
