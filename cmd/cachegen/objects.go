package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// Job caches, shared caches and durable memo runs are objects that belong
// to an ID rather than to a task:
//
//	job/<namespace>/<job-id>/<group>/.../<key>
//	shared/<namespace>/<name>/<group>/.../<key>
//	run/<namespace>/<run-id>/<task>/<signature>/<argdigest>
//
// ls lists the IDs of a kind or the objects of one ID; purge deletes the
// objects of one ID; stats sums each kind.

// objectKind is one of those trees.
type objectKind struct {
	dir      string // the layout's first segment
	flag     string // the flag naming one ID (ls and purge)
	listFlag string // ls's flag listing every ID
	what     string // what an ID is called in messages
	column   string // table header of the ID column
	// escaped is true when the ID segment is backends.EscapeSegment'd
	// (run IDs); job IDs and cache names are validated, not escaped, by
	// the runtime, with valid.
	escaped bool
	valid   func(string) error
}

// objectKinds returns the kinds in the order ls, purge and stats use.
func objectKinds() []objectKind {
	return []objectKind{
		{dir: "job", flag: "job", listFlag: "jobs", what: "job ID", column: "JOB", valid: runtime.ValidJobID},
		{dir: "shared", flag: "shared", listFlag: "shared-caches", what: "shared cache name", column: "SHARED", valid: runtime.ValidCacheName},
		{dir: "run", flag: "run", listFlag: "runs", what: "run ID", column: "RUN", escaped: true},
	}
}

// prefix is the prefix of every object of the kind in namespace ns.
func (k objectKind) prefix(ns string) string {
	return k.dir + "/" + backends.EscapeSegment(ns) + "/"
}

// idPrefix is the prefix of every object of id, which must be valid: it
// ends with "/", so job "j1" never selects job "j10".
func (k objectKind) idPrefix(ns, id string) string {
	if k.escaped {
		id = backends.EscapeSegment(id)
	}
	return k.prefix(ns) + id + "/"
}

// validate rejects an ID that could select objects other than its own:
// job IDs and cache names, which the runtime does not escape, by the
// runtime's own rules (runtime.ValidJobID, runtime.ValidCacheName); run
// IDs, which are escaped, when empty, "." or "..".
func (k objectKind) validate(id string) error {
	if k.valid != nil {
		return k.valid(id)
	}
	switch id {
	case "":
		return fmt.Errorf("invalid %s %q: empty", k.what, id)
	case ".", "..":
		return fmt.Errorf("invalid %s %q: %q segment", k.what, id, id)
	}
	return nil
}

// unescape turns a listed ID segment back into the ID.
func (k objectKind) unescape(seg string) (string, error) {
	if !k.escaped {
		return seg, nil
	}
	return unescapeSegment(seg)
}

// objectChoice is what the object flags of one command asked for: the
// objects of one ID, or (list) the IDs of a kind.
type objectChoice struct {
	kind objectKind
	id   string
	list bool
}

// objectFlags holds the -job, -shared and -run flags, and ls's -jobs,
// -shared-caches and -runs, indexed like objectKinds.
type objectFlags struct {
	kinds []objectKind
	ids   []string
	list  []bool
}

// addObjectFlags registers the flags on fs; verb starts their help
// ("list", "delete"), and listing adds the flags listing every ID.
func addObjectFlags(fs *flag.FlagSet, verb string, listing bool) *objectFlags {
	o := &objectFlags{kinds: objectKinds()}
	o.ids = make([]string, len(o.kinds))
	o.list = make([]bool, len(o.kinds))
	help := []string{
		"the objects of job `ID`'s cache",
		"the objects of the shared cache `NAME`",
		"the durable memo entries of run `ID`",
	}
	listHelp := []string{
		"list the jobs that have cached objects: objects, bytes, age of the newest",
		"list the shared caches: objects, bytes, age of the newest",
		"list the durable memo runs: entries, bytes, age of the newest",
	}
	for i, k := range o.kinds {
		fs.StringVar(&o.ids[i], k.flag, "", verb+" "+help[i])
		if listing {
			fs.BoolVar(&o.list[i], k.listFlag, false, listHelp[i])
		}
	}
	return o
}

// choice returns the one choice the flags make, nil for none; positional
// arguments, more than one choice, or an invalid ID are usage errors.
func (o *objectFlags) choice(fs *flag.FlagSet, pos []string) (*objectChoice, error) {
	if err := noArgs(pos); err != nil {
		return nil, err
	}
	var set []string
	var c *objectChoice
	for i, k := range o.kinds {
		if isSet(fs, k.flag) {
			if err := k.validate(o.ids[i]); err != nil {
				return nil, err
			}
			set = append(set, "-"+k.flag)
			c = &objectChoice{kind: k, id: o.ids[i]}
		}
		if o.list[i] {
			set = append(set, "-"+k.listFlag)
			c = &objectChoice{kind: k, list: true}
		}
	}
	if len(set) > 1 {
		return nil, fmt.Errorf("%s: give one at most", strings.Join(set, ", "))
	}
	return c, nil
}

// isSet reports whether the flag called name was given.
func isSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// checkTask rejects -task with a choice it does not apply to: it filters
// cached results and a run's memo entries, not job or shared caches, and
// not a listing of IDs.
func (c *objectChoice) checkTask(task string) error {
	if c == nil || task == "" || (c.kind.escaped && !c.list) {
		return nil
	}
	if c.list {
		return fmt.Errorf("-task and -%s: give one at most", c.kind.listFlag)
	}
	return fmt.Errorf("-task and -%s: -task selects cached results or a run's entries", c.kind.flag)
}

// idTotals sums the objects of one job, shared cache or run.
type idTotals struct {
	ID         string    `json:"id"`
	Objects    int       `json:"objects"`
	Bytes      int64     `json:"bytes"`
	Newest     time.Time `json:"newest"`
	AgeSeconds int64     `json:"age_seconds"`
}

// totals lists the kind's objects once and sums them per ID, sorted by ID.
// An ID's objects are contiguous in the listing (they share a prefix), so
// it keeps one small row per ID and nothing per object.
func (e *storeEnv) totals(ctx context.Context, k objectKind) ([]idTotals, error) {
	prefix := k.prefix(e.ns)
	var rows []idTotals
	n := 0
	for info, err := range e.store.List(ctx, prefix) {
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", prefix, err)
		}
		n++
		e.progress.scanned(n, "objects", nil)
		seg, rest, ok := strings.Cut(strings.TrimPrefix(info.Key, prefix), "/")
		id, err := k.unescape(seg)
		if !ok || seg == "" || rest == "" || err != nil {
			continue // not the layout of the kind
		}
		if len(rows) == 0 || rows[len(rows)-1].ID != id {
			rows = append(rows, idTotals{ID: id})
		}
		r := &rows[len(rows)-1]
		r.Objects++
		r.Bytes += info.Size
		if info.Modified.After(r.Newest) {
			r.Newest = info.Modified
		}
	}
	// "j1-x/…" sorts before "j1/…" in the listing; IDs sort by themselves.
	slices.SortFunc(rows, func(a, b idTotals) int { return strings.Compare(a.ID, b.ID) })
	for i := range rows {
		rows[i].AgeSeconds = int64(e.age(rows[i].Newest) / time.Second)
	}
	return rows, nil
}

// lsIDs prints one row per ID of the kind.
func (e *storeEnv) lsIDs(ctx context.Context, k objectKind) error {
	rows, err := e.totals(ctx, k)
	if err != nil {
		return err
	}
	if e.json {
		return writeJSON(e.out, cmpOrEmpty(rows))
	}
	tw := newTable(e.out)
	fmt.Fprintf(tw, "%s\tOBJECTS\tBYTES\tAGE\n", k.column)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", r.ID, r.Objects, r.Bytes, e.age(r.Newest))
	}
	return tw.Flush()
}

// objectRow is one object of a job, shared cache or run. Key is its name
// below the ID (group path and key, or for runs task/signature/digest with
// the task escaped); Task, Signature and Digest are set for runs.
type objectRow struct {
	Key        string    `json:"key"`
	Object     string    `json:"object"`
	Task       string    `json:"task,omitempty"`
	Signature  string    `json:"signature,omitempty"`
	Digest     string    `json:"digest,omitempty"`
	Size       int64     `json:"size"`
	Modified   time.Time `json:"modified"`
	AgeSeconds int64     `json:"age_seconds"`
}

// objects streams the objects of c.id, sorted by key; for runs, only the
// entries of task when it is not "" (runtime.TaskMatches).
func (e *storeEnv) objects(ctx context.Context, c *objectChoice, task string) iter.Seq2[objectRow, error] {
	prefix := c.kind.idPrefix(e.ns, c.id)
	return func(yield func(objectRow, error) bool) {
		for info, err := range e.store.List(ctx, prefix) {
			if err != nil {
				yield(objectRow{}, fmt.Errorf("list %s: %w", prefix, err))
				return
			}
			r := objectRow{Key: strings.TrimPrefix(info.Key, prefix), Object: info.Key, Size: info.Size, Modified: info.Modified}
			if r.Key == "" {
				continue
			}
			if c.kind.escaped {
				r.Task, r.Signature, r.Digest, _ = parseCacheKey("", r.Key)
			}
			if task != "" && (r.Task == "" || !matchesTask(r.Task, task)) {
				continue
			}
			r.AgeSeconds = int64(e.age(r.Modified) / time.Second)
			if !yield(r, nil) {
				return
			}
		}
	}
}

// matchesTask reports whether the task identity id (possibly a generic
// instantiation) is the one the user named, as every entry point reads a
// name (runtime.TaskMatches).
func matchesTask(id, name string) bool { return runtime.TaskMatches(id, name) }

// lsObjects prints the objects of one ID.
func (e *storeEnv) lsObjects(ctx context.Context, c *objectChoice, task string) error {
	var rows []objectRow
	n := 0
	for r, err := range e.objects(ctx, c, task) {
		if err != nil {
			return err
		}
		n++
		e.progress.scanned(n, "objects", nil)
		rows = append(rows, r)
	}
	if e.json {
		return writeJSON(e.out, cmpOrEmpty(rows))
	}
	tw := newTable(e.out)
	if c.kind.escaped {
		fmt.Fprintln(tw, "TASK\tSIGNATURE\tDIGEST\tSIZE\tAGE")
	} else {
		fmt.Fprintln(tw, "KEY\tSIZE\tAGE")
	}
	for _, r := range rows {
		switch {
		case !c.kind.escaped:
			fmt.Fprintf(tw, "%s\t%d\t%s\n", r.Key, r.Size, e.age(r.Modified))
		case r.Task != "":
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.Task, r.Signature, r.Digest, r.Size, e.age(r.Modified))
		default: // not the run layout: show the name as it is
			fmt.Fprintf(tw, "%s\t-\t-\t%d\t%s\n", r.Key, r.Size, e.age(r.Modified))
		}
	}
	return tw.Flush()
}

// purgeObjects deletes the objects of one ID, only those stored longer ago
// than older when it is positive, and for runs only task's entries when
// task is not "".
func (e *storeEnv) purgeObjects(ctx context.Context, c *objectChoice, task string, older time.Duration, dryRun bool) error {
	d := &deleter{env: e, dryRun: dryRun, noun: "objects"}
	n := 0
	for r, err := range e.objects(ctx, c, task) {
		if err != nil {
			return err
		}
		n++
		e.progress.scanned(n, "objects", d)
		if older > 0 && e.now.Sub(r.Modified) <= older {
			continue
		}
		if err := d.delete(ctx, r.Object, r.Size, "purge"); err != nil {
			return err
		}
	}
	return d.finish()
}

// kindTotals sums one kind of objects for stats.
type kindTotals struct {
	Kind    string `json:"kind"`
	IDs     int    `json:"ids"`
	Objects int    `json:"objects"`
	Bytes   int64  `json:"bytes"`
}

// kindTotals sums each kind's objects.
func (e *storeEnv) kindTotals(ctx context.Context) ([]kindTotals, error) {
	var out []kindTotals
	for _, k := range objectKinds() {
		rows, err := e.totals(ctx, k)
		if err != nil {
			return nil, err
		}
		t := kindTotals{Kind: k.dir, IDs: len(rows)}
		for _, r := range rows {
			t.Objects += r.Objects
			t.Bytes += r.Bytes
		}
		out = append(out, t)
	}
	return out, nil
}

// deletion is one deleted (or, with -n, deletable) object.
type deletion struct {
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	Reason string `json:"reason"`
}

// deleter deletes objects, or with dryRun only records them, and prints
// one line per object as it goes (tables) or a summary at the end (JSON).
// Besides the JSON records it keeps only counters.
type deleter struct {
	env    *storeEnv
	dryRun bool
	noun   string // what the summary counts; "" is "entries"
	done   []deletion
	n      int
	bytes  int64
	line   []byte // the table line being written, reused
	temps  int    // temporary files of crashed writers removed
}

// tempRemover is implemented by stores whose writers can leave temporary
// files behind when they crash (the file store).
type tempRemover interface {
	RemoveTemp(ctx context.Context, age time.Duration) (int, error)
}

// tempAge is how old a temporary file must be for gc and purge -all to
// remove it: a writer in progress keeps its file's time fresh.
const tempAge = time.Hour

// removeTemp removes the temporary files crashed writers left (not on a
// dry run), counting them for the summary.
func (d *deleter) removeTemp(ctx context.Context) error {
	tr, ok := d.env.store.(tempRemover)
	if !ok || d.dryRun {
		return nil
	}
	n, err := tr.RemoveTemp(ctx, tempAge)
	d.temps += n
	return err
}

func (d *deleter) delete(ctx context.Context, key string, size int64, reason string) error {
	if !d.dryRun {
		if err := d.env.store.Delete(ctx, key); err != nil && !errors.Is(err, backends.ErrNotFound) {
			return fmt.Errorf("delete %s: %w", key, err)
		}
	}
	d.n++
	d.bytes += size
	if d.env.json {
		d.done = append(d.done, deletion{key, size, reason})
		return nil
	}
	// One line per object, built in a reused buffer: over a large store
	// this is the loop's only allocation otherwise.
	d.line = append(append(append(append(append(d.line[:0], d.verb()...), ' '), key...), " ("...), reason...)
	d.line = append(d.line, ")\n"...)
	_, err := d.env.out.Write(d.line)
	return err
}

func (d *deleter) verb() string {
	if d.dryRun {
		return "would delete"
	}
	return "deleted"
}

// finish prints the summary.
func (d *deleter) finish() error {
	if d.env.json {
		return writeJSON(d.env.out, struct {
			DryRun    bool       `json:"dry_run,omitempty"`
			Deleted   []deletion `json:"deleted"`
			Entries   int        `json:"entries"`
			Bytes     int64      `json:"bytes"`
			TempFiles int        `json:"temp_files,omitempty"`
		}{d.dryRun, cmpOrEmpty(d.done), d.n, d.bytes, d.temps})
	}
	noun := cmp.Or(d.noun, "entries")
	if d.n == 1 {
		noun = map[string]string{"entries": "entry", "objects": "object"}[noun]
	}
	fmt.Fprintf(d.env.out, "%s %d %s, %d bytes\n", d.verb(), d.n, noun, d.bytes)
	if d.temps > 0 {
		files := "files"
		if d.temps == 1 {
			files = "file"
		}
		fmt.Fprintf(d.env.out, "removed %d temporary %s of interrupted writes, older than %s\n", d.temps, files, tempAge)
	}
	return nil
}
