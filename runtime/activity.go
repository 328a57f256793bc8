package runtime

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// Recorded activity. Each runtime with a store counts, per namespace and
// cache task, hits from memory and from the store, misses with their
// reasons, errors and time saved, and writes what it counted to the store
// in the background, one small object per namespace and interval:
//
//	activity/<namespace>/<interval>/<process>
//
// (see backends.ActivityKey). Readers merge the records of every process
// (runtime/catalog). A call only adds to atomic counters; the writes happen
// on a goroutine, under the store's budget, and a record the store does not
// take in time is dropped. A process that crashes loses what it counted
// since its last write: at most one interval.

// EnvActivity sets the interval of activity records ("1m", "10s"), or
// turns recording off ("off").
const EnvActivity = "CACHEGEN_ACTIVITY"

// DefaultActivityInterval is how often a runtime writes its activity.
const DefaultActivityInterval = time.Minute

// Bounds of one record: tasks beyond maxActivityTasks are counted in
// Dropped, and each task keeps at most maxReasons distinct miss reasons of
// at most maxReasonLen bytes.
const (
	maxActivityTasks = 1000
	maxReasons       = 4
	maxReasonLen     = 200
)

// ActivityRecord is what one process counted in one namespace and interval.
type ActivityRecord struct {
	Process string `json:"process"`
	// Start and End bound the interval.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Tasks are the counts by task identity.
	Tasks map[string]TaskActivity `json:"tasks"`
	// Dropped counts tasks left out to bound the record's size.
	Dropped int `json:"dropped,omitempty"`
}

// TaskActivity is what was counted for one task.
type TaskActivity struct {
	MemoryHits int64 `json:"memory_hits,omitempty"`
	StoreHits  int64 `json:"store_hits,omitempty"`
	Misses     int64 `json:"misses,omitempty"`
	// Errors counts calls whose function failed or panicked.
	Errors int64 `json:"errors,omitempty"`
	// Saved is the compute time the hits saved.
	Saved time.Duration `json:"saved_ns,omitempty"`
	// Reasons counts misses by reason ("first call", "code changed: …").
	Reasons map[string]int64 `json:"reasons,omitempty"`
	// LastMiss is the reason of the interval's last miss.
	LastMiss string `json:"last_miss,omitempty"`
}

// Hits is MemoryHits + StoreHits.
func (a TaskActivity) Hits() int64 { return a.MemoryHits + a.StoreHits }

// Add adds b's counts to a.
func (a *TaskActivity) Add(b TaskActivity) {
	a.MemoryHits += b.MemoryHits
	a.StoreHits += b.StoreHits
	a.Misses += b.Misses
	a.Errors += b.Errors
	a.Saved += b.Saved
	for r, n := range b.Reasons {
		if a.Reasons == nil {
			a.Reasons = make(map[string]int64)
		}
		a.Reasons[r] += n
	}
	a.LastMiss = cmp.Or(b.LastMiss, a.LastMiss)
}

// IntervalName formats an interval's start for backends.ActivityKey.
func IntervalName(t time.Time) string { return t.UTC().Format("20060102T1504Z") }

// ParseIntervalName reads an interval name back.
func ParseIntervalName(s string) (time.Time, error) { return time.Parse("20060102T1504Z", s) }

// WithActivityInterval sets how often activity is written to the store
// (default: $CACHEGEN_ACTIVITY, else DefaultActivityInterval); 0 or less
// turns recording off.
func WithActivityInterval(d time.Duration) Option {
	return func(c *config) { c.activity, c.activitySet = d, true }
}

// activityFromEnv reads CACHEGEN_ACTIVITY.
func activityFromEnv() (time.Duration, error) {
	switch v := strings.TrimSpace(os.Getenv(EnvActivity)); v {
	case "":
		return DefaultActivityInterval, nil
	case "off", "0":
		return 0, nil
	default:
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return DefaultActivityInterval, fmt.Errorf("%s=%q: want a duration such as 1m, or off", EnvActivity, v)
		}
		return d, nil
	}
}

// actKey names a cell: a task (its descriptor) in a namespace.
type actKey struct {
	t  *Task
	ns string
}

// actCell counts one task in one namespace between two writes.
type actCell struct {
	memoryHits, storeHits, misses, errors, saved atomic.Int64

	mu       sync.Mutex // guards the fields below (misses only)
	reasons  map[string]int64
	lastMiss string
}

// activityRecorder keeps the cells of one runtime and writes them out.
type activityRecorder struct {
	rt       *Runtime
	interval time.Duration
	process  string
	cells    atomic.Pointer[map[actKey]*actCell] // copied on write: the hit path only loads
	mu       sync.Mutex                          // guards adding cells and start
	flushMu  sync.Mutex                          // one write at a time
	totMu    sync.Mutex                          // guards totals; orders a take against a read of the cells
	totals   map[actKey]TaskActivity             // what earlier intervals counted, without reasons
	start    time.Time                           // the current interval's start
	wake     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	once     sync.Once
}

func newActivityRecorder(rt *Runtime, interval time.Duration) *activityRecorder {
	host, _ := os.Hostname()
	return &activityRecorder{
		rt: rt, interval: interval,
		process: fmt.Sprintf("%s-%d-%04x", cmp.Or(host, "host"), os.Getpid(), rand.Uint32()&0xffff),
		start:   rt.now(), wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// cell returns the cell of t in ns, adding it on first use; the background
// writer starts with the first cell. A nil recorder has no cells. The
// in-process layer keeps the cell with each entry, so a memory hit counts
// without looking it up.
func (r *activityRecorder) cell(t *Task, ns string) *actCell {
	if r == nil {
		return nil
	}
	if m := r.cells.Load(); m != nil {
		if c := (*m)[actKey{t, ns}]; c != nil {
			return c
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.cells.Load()
	if old != nil {
		if c := (*old)[actKey{t, ns}]; c != nil {
			return c
		}
	}
	m := make(map[actKey]*actCell, 1)
	if old != nil {
		for k, v := range *old {
			m[k] = v
		}
	} else {
		go r.loop()
	}
	c := &actCell{}
	m[actKey{t, ns}] = c
	r.cells.Store(&m)
	return c
}

// miss counts a miss with its reason (see Runtime.missReason).
func (r *activityRecorder) miss(cl *call, why string) {
	c := r.cell(cl.t, cl.ns)
	c.misses.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reasons == nil {
		c.reasons = make(map[string]int64)
	}
	if _, ok := c.reasons[why]; ok || len(c.reasons) < maxReasons {
		c.reasons[why]++
	}
	c.lastMiss = why
}

// missReason words why a call missed, for recorded activity and the
// observer. why is the lookup's reason, "" for an entry that was not
// found: the first such miss of a task's fingerprint in a namespace is
// explained from what the store holds (first call, code changed, version
// bumped, other arguments stored), later ones are new arguments.
func (rt *Runtime) missReason(ctx context.Context, cl *call, key []byte, why string) string {
	if why == "" {
		why = "new arguments"
		k := explainedKey{cl.t, cl.ns, cl.t.Fingerprint}
		if _, done := rt.explained.LoadOrStore(k, true); !done && rt.store != nil {
			why = "not found"
			if ex, err := Explain(ctx, rt.store, cl.ns, cl.t, key, rt.now()); err == nil {
				why = ex.Reason
			}
		}
	}
	if len(why) > maxReasonLen {
		why = why[:maxReasonLen] + "…"
	}
	return why
}

// explainedKey is a task's fingerprint in a namespace whose first miss
// was explained.
type explainedKey struct {
	t      *Task
	ns, fp string
}

func (r *activityRecorder) failed(t *Task, ns string) { r.cell(t, ns).errors.Add(1) }

// loop writes the cells every interval until close.
func (r *activityRecorder) loop() {
	defer close(r.done)
	tick := time.NewTicker(r.interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case <-r.wake:
		case <-r.stop:
			return
		}
		r.flush(context.Background())
	}
}

// flush writes what the cells counted since the last write, one record
// per namespace, and starts a new interval. The cells are read without
// holding up calls: a call adding a cell waits only for the snapshot, never
// for the store.
func (r *activityRecorder) flush(ctx context.Context) {
	r.flushMu.Lock()
	defer r.flushMu.Unlock()
	if r.rt.store == nil || r.rt.readOnly {
		return
	}
	r.mu.Lock()
	m := r.cells.Load()
	start, end := r.start, r.rt.now()
	r.start = end
	r.mu.Unlock()
	if m == nil {
		return
	}
	records := make(map[string]*ActivityRecord)
	r.totMu.Lock() // held while counts move from the cells to totals, not while writing
	for k, c := range *m {
		a := c.take()
		if r.totals == nil {
			r.totals = make(map[actKey]TaskActivity)
		}
		t, counted := r.totals[k], a
		counted.Reasons = nil // totals keep counts only: reasons stay bounded per record
		t.Add(counted)
		r.totals[k] = t
		if a.Hits()+a.Misses+a.Errors == 0 {
			continue
		}
		rec := records[k.ns]
		if rec == nil {
			rec = &ActivityRecord{Process: r.process, Start: start.UTC(), End: end.UTC(), Tasks: make(map[string]TaskActivity)}
			records[k.ns] = rec
		}
		if old, ok := rec.Tasks[k.t.ID]; ok {
			old.Add(a)
			rec.Tasks[k.t.ID] = old
		} else if len(rec.Tasks) < maxActivityTasks {
			rec.Tasks[k.t.ID] = a
		} else {
			rec.Dropped++
		}
	}
	r.totMu.Unlock()
	interval := IntervalName(start)
	for ns, rec := range records {
		data, err := json.Marshal(rec)
		if err != nil {
			continue // a record always marshals
		}
		name := backends.ActivityKey(ns, interval, r.process+"-"+strconv.FormatInt(end.UnixNano(), 36))
		if _, err := r.rt.store.Put(ctx, name, bytes.NewReader(data), backends.PutOptions{Size: int64(len(data))}); err != nil {
			r.rt.storeFailed(ctx, "put", name, err)
		}
	}
}

// TaskCount is what a runtime counted for one task in one namespace since
// it started: the sum of the counts recorded activity writes, interval by
// interval, and of the current interval's.
type TaskCount struct {
	Namespace string
	Task      string // the task's identity
	// TaskActivity holds the counts; its Reasons is nil, and LastMiss is
	// the reason of the last miss.
	TaskActivity
}

// TaskCounts returns what the runtime counted per task and namespace since
// it started, sorted by namespace and task, for exporters such as package
// telemetry. The counts are the ones calls already keep for recorded
// activity, so reading them adds nothing to a call. It is empty when
// activity is not recorded (CACHEGEN_ACTIVITY=off, WithActivityInterval(0)).
func (rt *Runtime) TaskCounts() iter.Seq[TaskCount] {
	return func(yield func(TaskCount) bool) {
		if rt.rec == nil {
			return
		}
		for _, c := range rt.rec.counts() {
			if !yield(c) {
				return
			}
		}
	}
}

// counts reads the totals and the cells' current counts together, so that
// a count never goes down while a write moves it from a cell to totals.
func (r *activityRecorder) counts() []TaskCount {
	r.totMu.Lock()
	defer r.totMu.Unlock()
	m := r.cells.Load()
	if m == nil {
		return nil
	}
	byID := make(map[[2]string]*TaskCount, len(*m)) // descriptors of one identity are summed, as in a record
	for k, c := range *m {
		a := r.totals[k]
		a.Add(c.load())
		id := [2]string{k.ns, k.t.ID}
		if tc := byID[id]; tc != nil {
			tc.Add(a)
		} else {
			byID[id] = &TaskCount{Namespace: k.ns, Task: k.t.ID, TaskActivity: a}
		}
	}
	out := make([]TaskCount, 0, len(byID))
	for _, tc := range byID {
		out = append(out, *tc)
	}
	slices.SortFunc(out, func(a, b TaskCount) int {
		return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Task, b.Task))
	})
	return out
}

// load returns the cell's counts and last miss reason, without its
// reasons and without resetting them.
func (c *actCell) load() TaskActivity {
	a := TaskActivity{
		MemoryHits: c.memoryHits.Load(), StoreHits: c.storeHits.Load(), Misses: c.misses.Load(),
		Errors: c.errors.Load(), Saved: time.Duration(c.saved.Load()),
	}
	c.mu.Lock()
	a.LastMiss = c.lastMiss
	c.mu.Unlock()
	return a
}

// take returns the cell's counts and resets them.
func (c *actCell) take() TaskActivity {
	a := TaskActivity{
		MemoryHits: c.memoryHits.Swap(0), StoreHits: c.storeHits.Swap(0), Misses: c.misses.Swap(0),
		Errors: c.errors.Swap(0), Saved: time.Duration(c.saved.Swap(0)),
	}
	c.mu.Lock()
	a.Reasons, a.LastMiss = c.reasons, c.lastMiss
	c.reasons, c.lastMiss = nil, ""
	c.mu.Unlock()
	return a
}

// close writes what is left and stops the writer.
func (r *activityRecorder) close(ctx context.Context) {
	r.once.Do(func() {
		if r.cells.Load() != nil {
			close(r.stop)
			<-r.done
		}
		r.flush(ctx)
	})
}
