package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"iter"
	"regexp"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/runtime"
)

// agedStore reports the modification times in ages (key → time) instead of
// the memory store's, so tests can make entries old without waiting.
type agedStore struct {
	*memory.Store
	ages map[string]time.Time
}

func (s agedStore) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		for info, err := range s.Store.List(ctx, prefix) {
			if t, ok := s.ages[info.Key]; ok {
				info.Modified = t
			}
			if !yield(info, err) {
				return
			}
		}
	}
}

var (
	taskA = &runtime.Task{ID: "example.com/m/p.A", Fingerprint: "aaaaaaaaaaaaaaaa"}
	taskB = &runtime.Task{ID: "example.com/m/p.B", Fingerprint: "bbbbbbbbbbbbbbbb"}
	// taskBOld is B under an earlier fingerprint.
	taskBOld = &runtime.Task{ID: "example.com/m/p.B", Fingerprint: "0000000000000001"}
)

// fill stores entries through runtime.Cached: A with keys a1..a3, B with
// b1, b2, and B's old code with b0. Each key's value is the key repeated,
// and each computation sleeps nothing but reports its compute time in the
// header. It returns the store and the keys in storing order.
func fill(t *testing.T) (agedStore, []string) {
	t.Helper()
	ctx := context.Background()
	mem := memory.New()
	rt, err := runtime.New(ctx, runtime.WithStore(mem), runtime.WithDefaultNamespace("default"))
	if err != nil {
		t.Fatal(err)
	}
	ctx = runtime.WithRuntime(ctx, rt)
	var keys []string
	put := func(task *runtime.Task, key string, size int) {
		_, err := runtime.Cached(ctx, task, []byte(key), nil, func(context.Context) (string, error) {
			return strings.Repeat("x", size), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, runtime.ObjectKey("default", task, []byte(key)))
	}
	put(taskA, "a1", 100)
	put(taskA, "a2", 200)
	put(taskA, "a3", 300)
	put(taskB, "b1", 10)
	put(taskB, "b2", 20)
	put(taskBOld, "b0", 30)
	if n := countPrefix(t, mem, "cache/default/"); n != 6 {
		t.Fatalf("filled %d entries, want 6", n)
	}
	return agedStore{mem, map[string]time.Time{}}, keys
}

func countPrefix(t *testing.T, s backends.Store, prefix string) int {
	n := 0
	for _, err := range s.List(context.Background(), prefix) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func remaining(t *testing.T, s backends.Store) []string {
	var keys []string
	for info, err := range s.List(context.Background(), "cache/default/") {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

func sizes(t *testing.T, s backends.Store) map[string]int64 {
	m := map[string]int64{}
	for info, err := range s.List(context.Background(), "cache/default/") {
		if err != nil {
			t.Fatal(err)
		}
		m[info.Key] = info.Size
	}
	return m
}

func newEnv(s backends.Store, asJSON bool) (*storeEnv, *bytes.Buffer) {
	var out bytes.Buffer
	return &storeEnv{store: s, ns: "default", json: asJSON, now: time.Now(), out: &out}, &out
}

func TestLs(t *testing.T) {
	s, keys := fill(t)
	env, out := newEnv(s, true)
	if err := env.ls(context.Background(), "p.A"); err != nil {
		t.Fatal(err)
	}
	var got []lsEntry
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err, out)
	}
	var gotKeys []string
	for _, e := range got {
		if e.Task != taskA.ID || e.Fingerprint != taskA.Fingerprint || e.Size <= 0 {
			t.Errorf("ls entry %+v", e)
		}
		gotKeys = append(gotKeys, e.Key)
	}
	want := slices.Sorted(slices.Values(keys[:3]))
	if !slices.Equal(gotKeys, want) {
		t.Errorf("ls -task p.A keys %q, want %q", gotKeys, want)
	}
	env, out = newEnv(s, false)
	if err := env.ls(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 7 || !strings.HasPrefix(lines[0], "TASK") {
		t.Errorf("ls table:\n%s", out)
	}
}

func TestStats(t *testing.T) {
	s, _ := fill(t)
	env, out := newEnv(s, true)
	if err := env.stats(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Tasks []taskStats
		Total taskStats
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err, out)
	}
	sz := sizes(t, s)
	var total int64
	for _, n := range sz {
		total += n
	}
	if len(got.Tasks) != 2 || got.Tasks[0].Entries != 3 || got.Tasks[1].Entries != 3 ||
		got.Total.Entries != 6 || got.Total.Bytes != total || got.Total.Unreadable != 0 {
		t.Errorf("stats %+v, want 3+3 entries of %d bytes", got, total)
	}
	// A corrupt entry counts as unreadable with -deep.
	s.Put(context.Background(), "cache/default/x/0000000000000000/0000000000000000", strings.NewReader("junk"), backends.PutOptions{})
	env, out = newEnv(s, false)
	if err := env.stats(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "total") || !regexpMatch(`(?m)^x +1 +4 +0s +1$`, out.String()) {
		t.Errorf("stats table:\n%s", out)
	}
}

func TestInspect(t *testing.T) {
	s, keys := fill(t)
	ctx := context.Background()
	m := runtime.Manifest{Task: taskA.ID, Fingerprint: taskA.Fingerprint, Parts: []runtime.Part{{Kind: "decl", Name: taskA.ID, Hash: "1234"}}}
	data, _ := json.Marshal(m)
	// The runtime may have written a manifest already; replace it with ours.
	if _, err := s.Put(ctx, backends.ManifestKey("default", taskA.ID, taskA.Fingerprint), bytes.NewReader(data), backends.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	env, out := newEnv(s, true)
	if err := env.inspect(ctx, keys[1]); err != nil {
		t.Fatal(err)
	}
	var got inspected
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err, out)
	}
	if got.Task != taskA.ID || got.Codec == 0 || got.PayloadSize <= 200 || got.Created.IsZero() ||
		got.Manifest == nil || len(got.Manifest.Parts) != 1 || got.Manifest.Parts[0].Hash != "1234" {
		t.Errorf("inspect %s: %+v", keys[1], got)
	}
	env, out = newEnv(s, false)
	rel := strings.TrimPrefix(keys[3], "cache/default/")
	if err := env.inspect(ctx, rel); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "task         "+taskB.ID) || !strings.Contains(out.String(), "codec ") {
		t.Errorf("inspect %s:\n%s", rel, out)
	}
	if err := env.inspect(ctx, "cache/default/x/y/z"); err == nil {
		t.Error("inspect of a missing entry: no error")
	}
}

func TestPurge(t *testing.T) {
	ctx := context.Background()
	s, keys := fill(t)
	env, _ := newEnv(s, false)
	s.ages[keys[0]] = env.now.Add(-2 * time.Hour)
	s.ages[keys[3]] = env.now.Add(-2 * time.Hour)
	if err := env.purge(ctx, "A", time.Hour, false); err != nil {
		t.Fatal(err)
	}
	if got, want := remaining(t, s), without(keys, 0); !slices.Equal(got, want) {
		t.Errorf("purge -task A -older-than 1h left %q, want %q", got, want)
	}
	if err := env.purge(ctx, "p.B", 0, true); err != nil {
		t.Fatal(err)
	}
	if got, want := remaining(t, s), without(keys, 0, 3, 4, 5); !slices.Equal(got, want) {
		t.Errorf("purge -task p.B -all left %q, want %q", got, want)
	}
	if n := countPrefix(t, s, backends.ManifestKey("default", taskB.ID, "")); n != 0 {
		t.Errorf("purge -all left %d manifests of B", n)
	}
}

// without returns keys minus the given indices, sorted.
func without(keys []string, drop ...int) []string {
	var out []string
	for i, k := range keys {
		if !slices.Contains(drop, i) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func TestGC(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name    string
		o       gcOpts
		current map[string]string
		drop    []int
	}{
		{"older-than", gcOpts{older: time.Hour, maxBytes: -1}, nil, []int{1, 2, 5}},
		{"dry run", gcOpts{dryRun: true, older: time.Hour, maxBytes: -1}, nil, nil},
		// Oldest first: a2 (3h), b0 (2h), then a3 (1h30m) until within budget.
		{"max-bytes", gcOpts{maxBytes: 1}, nil, nil},
		{"stale", gcOpts{maxBytes: -1}, map[string]string{taskB.ID: taskB.Fingerprint, "example.com/m/p.Gone": "x"}, []int{5}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, keys := fill(t)
			env, out := newEnv(s, false)
			s.ages[keys[1]] = env.now.Add(-3 * time.Hour)
			s.ages[keys[5]] = env.now.Add(-2 * time.Hour)
			s.ages[keys[2]] = env.now.Add(-90 * time.Minute)
			drop := c.drop
			if c.name == "max-bytes" {
				sz := sizes(t, s)
				var total int64
				for _, n := range sz {
					total += n
				}
				// A budget that a2 and b0 going is not enough for, a3 going is.
				c.o.maxBytes = total - sz[keys[1]] - sz[keys[5]] - 1
				drop = []int{1, 5, 2}
			}
			if err := env.gc(ctx, &c.o, c.current); err != nil {
				t.Fatal(err)
			}
			if got, want := remaining(t, s), without(keys, drop...); !slices.Equal(got, want) {
				t.Errorf("gc left %q, want %q\noutput:\n%s", got, want, out)
			}
			if c.o.dryRun && !strings.Contains(out.String(), "would delete "+keys[1]) {
				t.Errorf("gc -n output:\n%s", out)
			}
		})
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

// FuzzParseCacheKey checks that parseCacheKey inverts backends.CacheKey.
func FuzzParseCacheKey(f *testing.F) {
	f.Add("example.com/m/p.F", "0123456789abcdef", "fedcba9876543210")
	f.Add("", "a", "b")
	f.Add("p.Map[int,string]%", "x", "y")
	f.Fuzz(func(t *testing.T, task, fp, digest string) {
		if fp == "" || digest == "" || strings.Contains(fp+digest, "/") {
			return
		}
		key := backends.CacheKey("ns", task, fp, digest)
		gt, gf, gd, ok := parseCacheKey(backends.CachePrefix("ns", ""), key)
		if !ok || gt != task || gf != fp || gd != digest {
			t.Errorf("parseCacheKey(%q) = %q %q %q %v", key, gt, gf, gd, ok)
		}
	})
}

// BenchmarkGC runs gc -n with a size budget over 100,000 entries in the
// memory store, and reports the peak heap growth.
func BenchmarkGC(b *testing.B) {
	ctx := context.Background()
	mem := memory.New()
	for i := range 100_000 {
		key := backends.CacheKey("default", "example.com/m/p.F", "0123456789abcdef", strconv.FormatInt(int64(i), 16))
		if _, err := mem.Put(ctx, key, strings.NewReader("0123456789"), backends.PutOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		var before, after goruntime.MemStats
		goruntime.GC()
		goruntime.ReadMemStats(&before)
		env := &storeEnv{store: mem, ns: "default", now: time.Now(), out: io.Discard}
		if err := env.gc(ctx, &gcOpts{dryRun: true, maxBytes: 500_000}, nil); err != nil {
			b.Fatal(err)
		}
		goruntime.ReadMemStats(&after)
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/1e6, "MB-alloc/op")
	}
}
