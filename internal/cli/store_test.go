package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"regexp"
	goruntime "runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/runtime"
	"github.com/cachegen/cachegen/runtime/catalog"
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

// memoryRuntime returns a memory store and a context whose runtime keeps
// its results there, in namespace "default".
func memoryRuntime(t *testing.T) (context.Context, *memory.Store) {
	t.Helper()
	mem := memory.New()
	rt, err := runtime.New(context.Background(), runtime.WithStore(mem), runtime.WithDefaultNamespace("default"))
	if err != nil {
		t.Fatal(err)
	}
	return runtime.WithRuntime(context.Background(), rt), mem
}

// fill stores entries through runtime.Cached: A with keys a1..a3, B with
// b1, b2, and B's old code with b0. Each key's value is the key repeated,
// and each computation sleeps nothing but reports its compute time in the
// header. It returns the store and the keys in storing order.
func fill(t *testing.T) (agedStore, []string) {
	t.Helper()
	ctx, mem := memoryRuntime(t)
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
		Tasks []catalog.TaskStats
		Total catalog.TaskStats
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
	m := runtime.Manifest{Task: taskA.ID, Fingerprint: taskA.Fingerprint, Parts: []runtime.Part{{Kind: runtime.PartDecl, Name: taskA.ID, Hash: "1234"}}}
	data, _ := json.Marshal(m)
	// The runtime may have written a manifest already; replace it with ours.
	if _, err := s.Put(ctx, backends.ManifestKey("default", taskA.ID, taskA.Fingerprint), bytes.NewReader(data), backends.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	env, out := newEnv(s, true)
	if _, err := env.inspect(ctx, keys[1]); err != nil {
		t.Fatal(err)
	}
	var got catalog.Inspected
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err, out)
	}
	if got.Task != taskA.ID || got.Codec == 0 || got.PayloadSize <= 200 || got.Created.IsZero() ||
		got.Manifest == nil || len(got.Manifest.Parts) != 1 || got.Manifest.Parts[0].Hash != "1234" {
		t.Errorf("inspect %s: %+v", keys[1], got)
	}
	env, out = newEnv(s, false)
	rel := strings.TrimPrefix(keys[3], "cache/default/")
	if _, err := env.inspect(ctx, rel); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "task         "+taskB.ID) || !strings.Contains(out.String(), "codec ") {
		t.Errorf("inspect %s:\n%s", rel, out)
	}
	if _, err := env.inspect(ctx, "cache/default/x/y/z"); err == nil {
		t.Error("inspect of a missing entry: no error")
	}
}

func TestPurge(t *testing.T) {
	ctx := context.Background()
	s, keys := fill(t)
	env, _ := newEnv(s, false)
	s.ages[keys[0]] = env.now.Add(-2 * time.Hour)
	s.ages[keys[3]] = env.now.Add(-2 * time.Hour)
	if err := env.purge(ctx, "A", time.Hour, false, false); err != nil {
		t.Fatal(err)
	}
	if got, want := remaining(t, s), without(keys, 0); !slices.Equal(got, want) {
		t.Errorf("purge -task A -older-than 1h left %q, want %q", got, want)
	}
	if err := env.purge(ctx, "p.B", 0, true, false); err != nil {
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

// meteredStore delegates to a store and counts what reading values costs:
// Get calls and the bytes read through them. It is instrumentation around
// a real store, so a test can assert that a command read no value.
type meteredStore struct {
	backends.Store
	gets  atomic.Int64
	bytes atomic.Int64
}

func (s *meteredStore) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	s.gets.Add(1)
	rc, info, err := s.Store.Get(ctx, key)
	if err != nil {
		return nil, info, err
	}
	return countingReader{rc, &s.bytes}, info, nil
}

type countingReader struct {
	io.ReadCloser
	n *atomic.Int64
}

func (r countingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.n.Add(int64(n))
	return n, err
}

// indexAgedStore reports the entry whose digest is i in hex as modified i
// seconds after base, so ages are exact at any scale without a map.
type indexAgedStore struct {
	backends.Store
	base time.Time
}

func (s indexAgedStore) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		for info, err := range s.Store.List(ctx, prefix) {
			if i, ok := entryIndex(info.Key); ok {
				info.Modified = s.base.Add(time.Duration(i) * time.Second)
			}
			if !yield(info, err) {
				return
			}
		}
	}
}

// entryIndex is the index a large-store key encodes in its digest.
func entryIndex(key string) (int, bool) {
	i, err := strconv.ParseUint(key[strings.LastIndexByte(key, '/')+1:], 16, 32)
	return int(i), err == nil
}

const (
	gcEntries = 100_000
	gcTask    = "example.com/m/p.Big"
	gcFPNew   = "1111111111111111"
	gcFPOld   = "0000000000000000" // every fourth entry's: stale in the packages mode
)

// fillLarge returns a memory store with gcEntries entries of valueSize
// bytes each: entry i has digest i in hex and, when i%4 == 0, the old
// fingerprint.
func fillLarge(tb testing.TB, valueSize int) *memory.Store {
	tb.Helper()
	ctx := context.Background()
	mem := memory.New()
	value := bytes.Repeat([]byte{'v'}, valueSize)
	for i := range gcEntries {
		fp := gcFPNew
		if i%4 == 0 {
			fp = gcFPOld
		}
		key := backends.CacheKey("default", gcTask, fp, fmt.Sprintf("%016x", i))
		if _, err := mem.Put(ctx, key, bytes.NewReader(value), backends.PutOptions{Size: int64(valueSize)}); err != nil {
			tb.Fatal(err)
		}
	}
	return mem
}

// peakHeapGrowth runs f and returns how far the heap's objects rose above
// their level before it, sampled every millisecond and once at the end.
// The metric, /memory/classes/heap/objects:bytes, counts live objects plus
// garbage not yet swept, so it bounds live memory from above; GOGC is 5
// meanwhile, so garbage is collected after a few percent of heap growth
// and the figure tracks live memory closely.
func peakHeapGrowth(f func() error) (int64, error) {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	goruntime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() int64 {
		metrics.Read(sample)
		return int64(sample[0].Value.Uint64())
	}
	base := read()
	var peak atomic.Int64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	err := f()
	close(stop)
	<-done
	return max(peak.Load(), read()) - base, err
}

// lineCounter counts the lines written to it and keeps nothing.
type lineCounter struct{ n int }

func (w *lineCounter) Write(p []byte) (int, error) {
	w.n += bytes.Count(p, []byte{'\n'})
	return len(p), nil
}

// TestGCMemory runs gc in each mode over 100,000 entries of 2 KiB (205 MB
// of values), first with -n (so no deletion frees memory that holding
// values would take), then for real. Each run must read no value and grow
// the heap by less than a quarter of the values: it needs under 30 MB (the
// memory store's listing snapshot of 6.4 MB, gc's 32-byte records of
// survivors with append's slack, and the collector's 5% of a 210 MB heap),
// and holding the values would take up to 205 MB more. The real run must
// delete exactly the expected entries.
func TestGCMemory(t *testing.T) {
	const valueSize = 2 << 10
	const older = 70_000*time.Second + time.Second/2 // deletes i < 30,000
	// Entry i is i seconds old at base+gcEntries seconds.
	olderKept := func(i int) bool { return i >= 30_000 }
	staleKept := func(i int) bool { return i%4 != 0 }
	for _, c := range []struct {
		name    string
		o       gcOpts
		current map[string]string
		kept    []bool
	}{
		{"older-than", gcOpts{older: older, maxBytes: -1}, nil, keptWhere(olderKept, -1)},
		// Room for the newest 25,000 entries and half of one more.
		{"max-bytes", gcOpts{maxBytes: 25_000*valueSize + valueSize/2}, nil, keptWhere(nil, 25_000)},
		{"stale", gcOpts{maxBytes: -1}, map[string]string{gcTask: gcFPNew}, keptWhere(staleKept, -1)},
		{"all three", gcOpts{older: older, maxBytes: 25_000*valueSize + valueSize/2}, map[string]string{gcTask: gcFPNew},
			keptWhere(func(i int) bool { return olderKept(i) && staleKept(i) }, 25_000)},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := fillLarge(t, valueSize)
			base := time.Now().Add(-time.Hour)
			wantDeleted := gcEntries - countTrue(c.kept)
			for _, dryRun := range []bool{true, false} {
				st := &meteredStore{Store: indexAgedStore{mem, base}}
				out := &lineCounter{}
				env := &storeEnv{store: st, ns: "default", now: base.Add(gcEntries * time.Second), out: out}
				o := c.o
				o.dryRun = dryRun
				peak, err := peakHeapGrowth(func() error { return env.gc(context.Background(), &o, c.current) })
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("dry run %v: peak heap growth %.1f MB", dryRun, float64(peak)/1e6)
				if st.gets.Load() != 0 || st.bytes.Load() != 0 {
					t.Errorf("gc (dry run %v) read values: %d gets, %d bytes", dryRun, st.gets.Load(), st.bytes.Load())
				}
				if limit := int64(gcEntries * valueSize / 4); peak >= limit {
					t.Errorf("gc (dry run %v) grew the heap by %d bytes, want < %d (a quarter of the values)", dryRun, peak, limit)
				}
				if out.n != wantDeleted+1 {
					t.Errorf("gc (dry run %v) printed %d lines, want %d deletions and a summary", dryRun, out.n, wantDeleted)
				}
				if dryRun && mem.Len() != gcEntries {
					t.Fatalf("gc -n deleted %d entries", gcEntries-mem.Len())
				}
			}
			checkKept(t, mem, c.kept)
		})
	}
}

func countTrue(s []bool) int {
	n := 0
	for _, b := range s {
		if b {
			n++
		}
	}
	return n
}

// keptWhere is the set of entries gc keeps: those pass keeps (nil: all);
// then, when newest >= 0, only the newest that many of them.
func keptWhere(pass func(int) bool, newest int) []bool {
	kept := make([]bool, gcEntries)
	n := 0
	for i := gcEntries - 1; i >= 0; i-- {
		if (pass == nil || pass(i)) && (newest < 0 || n < newest) {
			kept[i] = true
			n++
		}
	}
	return kept
}

// checkKept compares the entries left in mem with want, by index.
func checkKept(t *testing.T, mem *memory.Store, want []bool) {
	t.Helper()
	got := make([]bool, gcEntries)
	for info, err := range mem.List(context.Background(), "cache/default/") {
		if err != nil {
			t.Fatal(err)
		}
		i, ok := entryIndex(info.Key)
		if !ok || i >= gcEntries || got[i] {
			t.Fatalf("unexpected key %s", info.Key)
		}
		got[i] = true
	}
	wrong := 0
	for i := range want {
		if got[i] != want[i] {
			if wrong < 5 {
				t.Errorf("entry %d: kept %v, want %v", i, got[i], want[i])
			}
			wrong++
		}
	}
	if wrong > 0 {
		t.Errorf("%d entries wrongly kept or deleted", wrong)
	}
}

// BenchmarkGC runs gc -n over 100,000 entries of 1 KiB in the memory
// store, with a size budget that keeps half and with -older-than deleting
// half. It reports the time per run and the peak heap growth of one run,
// measured apart from the timed ones (peakHeapGrowth lowers GOGC).
func BenchmarkGC(b *testing.B) {
	const valueSize = 1 << 10
	mem := fillLarge(b, valueSize)
	base := time.Now().Add(-time.Hour)
	st := indexAgedStore{mem, base}
	for _, c := range []struct {
		name string
		o    gcOpts
	}{
		{"max-bytes", gcOpts{dryRun: true, maxBytes: gcEntries / 2 * valueSize}},
		{"older-than", gcOpts{dryRun: true, older: gcEntries / 2 * time.Second, maxBytes: -1}},
	} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			run := func() error {
				env := &storeEnv{store: st, ns: "default", now: base.Add(gcEntries * time.Second), out: io.Discard}
				return env.gc(ctx, &c.o, nil)
			}
			peak, err := peakHeapGrowth(run)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
		})
	}
}
