package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"net/url"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// storeUsage is the manual of the store commands, printed by -h.
const storeUsage = `usage: cachegen ls      [flags] [-task T] [-jobs | -job ID | -shared-caches | -shared NAME | -runs | -run ID]
       cachegen stats   [flags] [-deep]
       cachegen inspect [flags] KEY
       cachegen purge   [flags] [-n] [-task T] [-older-than D] [-all] [-job ID | -shared NAME | -run ID]
       cachegen gc      [flags] [-n] [-older-than D] [-max-bytes N] [packages]

The store commands look at the cached results of one namespace, the objects
cache/<namespace>/<task>/<fingerprint>/<argdigest>. ls lists them; stats sums
entries and bytes per task (-deep reads each entry's header to add the compute
time its hits save), and the objects of job caches, shared caches and runs;
inspect prints one entry's header and its task's key manifest (KEY is an
object key, or <task>/<fingerprint>/<argdigest> under the namespace); purge
deletes the entries -task, -older-than and -all select (all of them must
match; -all also deletes the selected tasks' key manifests). purge -n prints
what would be deleted.

Job caches, shared caches and durable memo runs are objects of their own,
job/<namespace>/<job-id>/..., shared/<namespace>/<name>/... and
run/<namespace>/<run-id>/<task>/<signature>/<argdigest>. ls -jobs,
-shared-caches and -runs print one row per job, shared cache or run (objects,
bytes, age of the newest); ls -job ID, -shared NAME and -run ID list the
objects of one. purge -job ID, -shared NAME and -run ID delete the objects of
one: with -older-than only the older ones, and with -run and -task only that
task's entries. An ID or name is one segment (no '/').

gc deletes entries stored longer ago than -older-than; then, while the
remaining entries exceed -max-bytes, the oldest first; and, given packages,
the entries of their tasks under a fingerprint the source no longer has
(tasks of other packages are left alone). -n prints what would be deleted.
gc keeps a small record per entry, never a value. Ages are the store's
modification times; only purge -all, gc with packages and stats -deep look
beyond the listing.

On a terminal, gc, purge, ls and stats print their progress to standard
error as they go (never with -json, or when standard error is not a terminal).

Exit status: 0 ok, 1 on errors, 2 on usage errors.

Flags:
`

// storeEnv is what every store command works with once its flags are parsed.
type storeEnv struct {
	store    backends.Store
	ns       string
	json     bool
	now      time.Time
	out      io.Writer
	progress *progress // nil unless stderr is a terminal and not -json
}

// storeFlags are the flags every store command takes.
type storeFlags struct {
	store, namespace string
	json             bool
}

// runStoreCmd is cachegen ls, stats, inspect, purge and gc.
func runStoreCmd(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cachegen "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, storeUsage)
		fs.PrintDefaults()
	}
	var sf storeFlags
	fs.StringVar(&sf.store, "store", "", "the store URL (default $CACHEGEN_STORE, else the default file store)")
	fs.StringVar(&sf.namespace, "namespace", "", "the namespace (default $CACHEGEN_NAMESPACE, else \"default\")")
	fs.BoolVar(&sf.json, "json", false, "print JSON")
	cmd := storeCommandFor(name, fs)
	pos, code, ok := parseInterleaved(fs, args)
	if !ok {
		return code
	}
	usageErr := func(err error) int {
		fmt.Fprintf(stderr, "cachegen %s: %v\nrun 'cachegen %s -h' for usage\n", name, err, name)
		return exitUsage
	}
	if err := cmd.check(pos); err != nil {
		return usageErr(err)
	}
	store, err := openStore(ctx, sf.store)
	if err != nil {
		fmt.Fprintf(stderr, "cachegen %s: %v\n", name, err)
		return exitFail
	}
	if c, ok := store.(backends.Closer); ok {
		defer c.Close()
	}
	env := &storeEnv{store: store, ns: namespaceOf(sf.namespace), json: sf.json, now: time.Now(), out: stdout}
	if !sf.json {
		env.progress = newProgress(stderr, isTerminal(stderr), time.Now)
		env.out = env.progress.writer(stdout)
	}
	err = cmd.run(ctx, env, pos)
	env.progress.clear()
	if err != nil {
		var gerrs genErrors
		if errors.As(err, &gerrs) {
			for _, e := range gerrs {
				fmt.Fprintln(stderr, e)
			}
			return exitFail
		}
		fmt.Fprintf(stderr, "cachegen %s: %v\n", name, err)
		return exitFail
	}
	return exitOK
}

// storeCommand is one store command: check validates its positional
// arguments and flags (a usage error), run does the work.
type storeCommand struct {
	check func(pos []string) error
	run   func(ctx context.Context, env *storeEnv, pos []string) error
}

// storeCommandFor returns the named command, its own flags registered on fs.
func storeCommandFor(name string, fs *flag.FlagSet) storeCommand {
	switch name {
	case "ls":
		return lsCommand(fs)
	case "stats":
		return statsCommand(fs)
	case "inspect":
		return inspectCommand(fs)
	case "purge":
		return purgeCommand(fs)
	}
	return gcCommand(fs)
}

// parseInterleaved parses flags that may come before or between positional
// arguments. ok false means exit with code.
func parseInterleaved(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		if fs.NArg() == 0 {
			return pos, exitOK, true
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

// namespaceOf is the namespace the flag names, else CACHEGEN_NAMESPACE,
// else "default".
func namespaceOf(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if ns := os.Getenv(runtime.EnvNamespace); ns != "" {
		return ns
	}
	return runtime.DefaultNamespace
}

func noArgs(pos []string) error {
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	return nil
}

// entryRecord is what the store commands keep of one listed entry: never
// its value.
type entryRecord struct {
	Key         string    `json:"key"`
	Task        string    `json:"task"`
	Fingerprint string    `json:"fingerprint"`
	Digest      string    `json:"digest"`
	Size        int64     `json:"size"`
	Modified    time.Time `json:"modified"`
}

// parseCacheKey splits an object key under prefix (cache/<ns>/) into the
// unescaped task identity, fingerprint and argument digest.
func parseCacheKey(prefix, key string) (task, fp, digest string, ok bool) {
	seg, fp, digest, ok := splitCacheKey(prefix, key)
	if !ok {
		return "", "", "", false
	}
	task, err := unescapeSegment(seg)
	if err != nil {
		return "", "", "", false
	}
	return task, fp, digest, true
}

// splitCacheKey splits an object key under prefix into its three segments,
// the task still escaped, without allocating.
func splitCacheKey(prefix, key string) (seg, fp, digest string, ok bool) {
	rest, ok := strings.CutPrefix(key, prefix)
	if !ok {
		return "", "", "", false
	}
	seg, rest, ok1 := strings.Cut(rest, "/")
	fp, digest, ok2 := strings.Cut(rest, "/")
	if !ok1 || !ok2 || strings.Contains(digest, "/") {
		return "", "", "", false
	}
	return seg, fp, digest, true
}

// unescapeSegment reverses backends.EscapeSegment.
func unescapeSegment(s string) (string, error) {
	if s == "%" {
		return "", nil
	}
	return url.PathUnescape(s)
}

// entries streams the namespace's cached results whose task matches task
// (runtime.TaskMatches; "" matches all). Objects that do not have the
// entry layout are skipped.
func (e *storeEnv) entries(ctx context.Context, task string) iter.Seq2[entryRecord, error] {
	prefix := backends.CachePrefix(e.ns, "")
	return func(yield func(entryRecord, error) bool) {
		// A task's entries are contiguous: unescape its name once.
		var lastSeg, id string
		var idErr error
		first := true
		for info, err := range e.store.List(ctx, prefix) {
			if err != nil {
				yield(entryRecord{}, fmt.Errorf("list %s: %w", prefix, err))
				return
			}
			seg, fp, digest, ok := splitCacheKey(prefix, info.Key)
			if !ok {
				continue
			}
			if first || seg != lastSeg {
				first, lastSeg = false, seg
				id, idErr = unescapeSegment(seg)
			}
			if idErr != nil || (task != "" && !matchesTask(id, task)) {
				continue
			}
			r := entryRecord{Key: info.Key, Task: id, Fingerprint: fp, Digest: digest, Size: info.Size, Modified: info.Modified}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// baseTask is a task identity without the type arguments of a generic
// instantiation ("pkg.Map[int]" → "pkg.Map").
func baseTask(id string) string {
	if i := strings.IndexByte(id, '['); i >= 0 {
		return id[:i]
	}
	return id
}

// age is how long ago t was, in whole seconds.
func (e *storeEnv) age(t time.Time) time.Duration {
	return max(e.now.Sub(t), 0).Round(time.Second)
}

func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
}

// lsCommand is cachegen ls.
func lsCommand(fs *flag.FlagSet) storeCommand {
	task := fs.String("task", "", "list only this task's entries, or with -run its memo entries (pkg.Func, a full identity, or Func)")
	of := addObjectFlags(fs, "list", true)
	var choice *objectChoice
	check := func(pos []string) error {
		var err error
		if choice, err = of.choice(fs, pos); err != nil {
			return err
		}
		return choice.checkTask(*task)
	}
	return storeCommand{check: check, run: func(ctx context.Context, env *storeEnv, _ []string) error {
		switch {
		case choice == nil:
			return env.ls(ctx, *task)
		case choice.list:
			return env.lsIDs(ctx, choice.kind)
		}
		return env.lsObjects(ctx, choice, *task)
	}}
}

// lsEntry is one line of cachegen ls -json.
type lsEntry struct {
	entryRecord
	AgeSeconds int64 `json:"age_seconds"`
}

// ls prints the entries, sorted by key.
func (e *storeEnv) ls(ctx context.Context, task string) error {
	var list []lsEntry
	for r, err := range e.entries(ctx, task) {
		if err != nil {
			return err
		}
		e.progress.scanned(len(list)+1, "entries", nil)
		list = append(list, lsEntry{r, int64(e.age(r.Modified) / time.Second)})
	}
	if e.json {
		if list == nil {
			list = []lsEntry{}
		}
		return writeJSON(e.out, list)
	}
	tw := newTable(e.out)
	fmt.Fprintln(tw, "TASK\tFINGERPRINT\tDIGEST\tSIZE\tAGE")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.Task, r.Fingerprint, r.Digest, r.Size, e.age(r.Modified))
	}
	return tw.Flush()
}

// statsCommand is cachegen stats.
func statsCommand(fs *flag.FlagSet) storeCommand {
	deep := fs.Bool("deep", false, "read each entry's header to sum the compute time hits save")
	return storeCommand{check: noArgs, run: func(ctx context.Context, env *storeEnv, _ []string) error {
		return env.stats(ctx, *deep)
	}}
}

// taskStats sums one task's entries; Task is "" for the total.
type taskStats struct {
	Task    string `json:"task"`
	Entries int    `json:"entries"`
	Bytes   int64  `json:"bytes"`
	// Compute sums the entries' compute times (-deep only): what one hit
	// on each entry saves. Unreadable counts entries whose header could
	// not be read.
	Compute    time.Duration `json:"compute_ns,omitempty"`
	Unreadable int           `json:"unreadable,omitempty"`
}

// stats prints entries and bytes per task and in total.
func (e *storeEnv) stats(ctx context.Context, deep bool) error {
	byTask := map[string]*taskStats{}
	total := &taskStats{}
	for r, err := range e.entries(ctx, "") {
		if err != nil {
			return err
		}
		e.progress.scanned(total.Entries+1, "entries", nil)
		s := byTask[r.Task]
		if s == nil {
			s = &taskStats{Task: r.Task}
			byTask[r.Task] = s
		}
		for _, s := range []*taskStats{s, total} {
			s.Entries++
			s.Bytes += r.Size
		}
		if deep {
			compute, err := e.readCompute(ctx, r.Key)
			if err != nil {
				s.Unreadable++
				total.Unreadable++
				continue
			}
			s.Compute += compute
			total.Compute += compute
		}
	}
	var rows []taskStats
	for _, s := range byTask {
		rows = append(rows, *s)
	}
	slices.SortFunc(rows, func(a, b taskStats) int { return strings.Compare(a.Task, b.Task) })
	kinds, err := e.kindTotals(ctx)
	if err != nil {
		return err
	}
	if e.json {
		return writeJSON(e.out, struct {
			Tasks   []taskStats  `json:"tasks"`
			Total   taskStats    `json:"total"`
			Objects []kindTotals `json:"objects"`
		}{cmpOrEmpty(rows), *total, kinds})
	}
	if err := printStats(e.out, rows, *total, deep); err != nil {
		return err
	}
	return printKindTotals(e.out, kinds)
}

// printKindTotals prints the job, shared and run totals after a blank line.
func printKindTotals(w io.Writer, kinds []kindTotals) error {
	fmt.Fprintln(w)
	tw := newTable(w)
	fmt.Fprintln(tw, "KIND	IDS	OBJECTS	BYTES")
	for _, k := range kinds {
		fmt.Fprintf(tw, "%s	%d	%d	%d\n", k.Kind, k.IDs, k.Objects, k.Bytes)
	}
	return tw.Flush()
}

func cmpOrEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func printStats(w io.Writer, rows []taskStats, total taskStats, deep bool) error {
	tw := newTable(w)
	head := "TASK\tENTRIES\tBYTES"
	if deep {
		head += "\tCOMPUTE\tUNREADABLE"
	}
	fmt.Fprintln(tw, head)
	total.Task = "total"
	for _, s := range append(rows, total) {
		fmt.Fprintf(tw, "%s\t%d\t%d", s.Task, s.Entries, s.Bytes)
		if deep {
			fmt.Fprintf(tw, "\t%s\t%d", s.Compute, s.Unreadable)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// readCompute reads the header of the entry at key, only its first bytes.
func (e *storeEnv) readCompute(ctx context.Context, key string) (time.Duration, error) {
	rc, _, err := e.store.Get(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("get %s: %w", key, err)
	}
	defer rc.Close()
	buf := make([]byte, runtime.EntryHeaderSize)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return 0, fmt.Errorf("read header of %s: %w", key, err)
	}
	info, err := runtime.ParseEntryHeader(buf)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", key, err)
	}
	return info.Compute, nil
}

// inspectCommand is cachegen inspect.
func inspectCommand(*flag.FlagSet) storeCommand {
	check := func(pos []string) error {
		if len(pos) != 1 {
			return errors.New("want one KEY")
		}
		return nil
	}
	return storeCommand{check: check, run: func(ctx context.Context, env *storeEnv, pos []string) error {
		return env.inspect(ctx, pos[0])
	}}
}

// inspected is what cachegen inspect prints.
type inspected struct {
	entryRecord
	runtime.EntryInfo
	Manifest *runtime.Manifest `json:"manifest,omitempty"`
}

// inspect prints the entry at key (an object key, or task/fp/digest under
// the namespace) and its task's key manifest if the store has one.
func (e *storeEnv) inspect(ctx context.Context, key string) error {
	if !strings.HasPrefix(key, "cache/") {
		key = backends.CachePrefix(e.ns, "") + key
	}
	ns, _, _ := strings.Cut(strings.TrimPrefix(key, "cache/"), "/")
	prefix := "cache/" + ns + "/"
	task, fp, digest, ok := parseCacheKey(prefix, key)
	if !ok {
		return fmt.Errorf("inspect %s: not a cached result's key (cache/<namespace>/<task>/<fingerprint>/<argdigest>)", key)
	}
	data, info, err := readAll(ctx, e.store, key)
	if err != nil {
		return err
	}
	ei, err := runtime.ParseEntry(data)
	if err != nil {
		return fmt.Errorf("inspect %s: %w", key, err)
	}
	out := inspected{entryRecord: entryRecord{Key: key, Task: task, Fingerprint: fp, Digest: digest, Size: info.Size, Modified: info.Modified}, EntryInfo: ei}
	mkey := "manifest/" + ns + "/" + strings.Split(strings.TrimPrefix(key, prefix), "/")[0] + "/" + fp
	if m, err := readManifest(ctx, e.store, mkey); err != nil {
		return fmt.Errorf("inspect %s: %w", key, err)
	} else {
		out.Manifest = m
	}
	if e.json {
		return writeJSON(e.out, out)
	}
	printInspected(e.out, out, e.age(ei.Created))
	return nil
}

func readAll(ctx context.Context, store backends.Store, key string) ([]byte, backends.Info, error) {
	rc, info, err := store.Get(ctx, key)
	if err != nil {
		return nil, info, fmt.Errorf("get %s: %w", key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, info, fmt.Errorf("read %s: %w", key, err)
	}
	return data, info, nil
}

// readManifest reads and decodes the manifest at key; nil when absent.
func readManifest(ctx context.Context, store backends.Store, key string) (*runtime.Manifest, error) {
	data, _, err := readAll(ctx, store, key)
	if errors.Is(err, backends.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m runtime.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", key, err)
	}
	return &m, nil
}

func printInspected(w io.Writer, in inspected, age time.Duration) {
	fmt.Fprintf(w, "key          %s\ntask         %s\nfingerprint  %s\ndigest       %s\n", in.Key, in.Task, in.Fingerprint, in.Digest)
	fmt.Fprintf(w, "created      %s (%s ago)\ncompute      %s\nsize         %d bytes (payload %d)\ncodec        %d\n",
		in.Created.UTC().Format(time.RFC3339), age, in.Compute, in.Size, in.PayloadSize, in.Codec)
	if in.Manifest == nil {
		fmt.Fprintln(w, "manifest     none")
		return
	}
	if in.Manifest.Version != "" {
		fmt.Fprintf(w, "version      %s\n", in.Manifest.Version)
	}
	fmt.Fprintln(w, "parts:")
	for _, p := range in.Manifest.Parts {
		line := fmt.Sprintf("  %-9s %s %s", p.Kind, p.Name, p.Hash)
		if p.Pos != "" {
			line += " (" + p.Pos + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// purgeCommand is cachegen purge.
func purgeCommand(fs *flag.FlagSet) storeCommand {
	dryRun := fs.Bool("n", false, "print what would be deleted, delete nothing")
	task := fs.String("task", "", "delete this task's entries (with -run, this task's memo entries)")
	older := fs.Duration("older-than", 0, "delete entries stored longer ago than this")
	all := fs.Bool("all", false, "select every entry (with -task, every entry of the task), and delete the selected tasks' key manifests too")
	of := addObjectFlags(fs, "delete", false)
	var choice *objectChoice
	check := func(pos []string) error {
		var err error
		if choice, err = of.choice(fs, pos); err != nil {
			return err
		}
		if choice != nil {
			if *all {
				return fmt.Errorf("-all and -%s: -all selects cached results", choice.kind.flag)
			}
			return choice.checkTask(*task)
		}
		if *task == "" && *older <= 0 && !*all {
			return errors.New("give at least one of -task, -older-than, -all, -job, -shared, -run")
		}
		return nil
	}
	return storeCommand{check: check, run: func(ctx context.Context, env *storeEnv, _ []string) error {
		if choice != nil {
			return env.purgeObjects(ctx, choice, *task, *older, *dryRun)
		}
		return env.purge(ctx, *task, *older, *all, *dryRun)
	}}
}

// purge deletes the entries that match every selector given.
func (e *storeEnv) purge(ctx context.Context, task string, older time.Duration, all, dryRun bool) error {
	d := &deleter{env: e, dryRun: dryRun}
	n := 0
	for r, err := range e.entries(ctx, task) {
		if err != nil {
			return err
		}
		n++
		e.progress.scanned(n, "entries", d)
		if older > 0 && e.now.Sub(r.Modified) <= older {
			continue
		}
		if err := d.delete(ctx, r.Key, r.Size, "purge"); err != nil {
			return err
		}
	}
	if all {
		if err := e.purgeManifests(ctx, d, task); err != nil {
			return err
		}
		if err := d.removeTemp(ctx); err != nil {
			return err
		}
	}
	return d.finish()
}

// purgeManifests deletes the key manifests of the tasks task selects.
func (e *storeEnv) purgeManifests(ctx context.Context, d *deleter, task string) error {
	prefix := "manifest/" + backends.EscapeSegment(e.ns) + "/"
	for info, err := range e.store.List(ctx, prefix) {
		if err != nil {
			return fmt.Errorf("list %s: %w", prefix, err)
		}
		seg, _, _ := strings.Cut(strings.TrimPrefix(info.Key, prefix), "/")
		id, err := unescapeSegment(seg)
		if err != nil || (task != "" && !matchesTask(id, task)) {
			continue
		}
		if err := d.delete(ctx, info.Key, info.Size, "manifest"); err != nil {
			return err
		}
	}
	return nil
}

// gcOpts are cachegen gc's flags.
type gcOpts struct {
	dryRun   bool
	older    time.Duration
	maxBytes int64
	tags     string
}

// gcCommand is cachegen gc.
func gcCommand(fs *flag.FlagSet) storeCommand {
	o := &gcOpts{maxBytes: -1}
	fs.BoolVar(&o.dryRun, "n", false, "print what would be deleted, delete nothing")
	fs.DurationVar(&o.older, "older-than", 0, "delete entries stored longer ago than this")
	fs.Int64Var(&o.maxBytes, "max-bytes", -1, "then delete the oldest entries until the rest take at most this many bytes")
	fs.StringVar(&o.tags, "tags", "", "comma-separated build tags to load packages with")
	check := func(pos []string) error {
		if o.older <= 0 && o.maxBytes < 0 && len(pos) == 0 {
			return errors.New("give at least one of -older-than, -max-bytes, packages")
		}
		return nil
	}
	return storeCommand{check: check, run: func(ctx context.Context, env *storeEnv, pos []string) error {
		var current map[string]string
		if len(pos) > 0 {
			var err error
			if current, err = currentFingerprints(ctx, pos, o.tags); err != nil {
				return err
			}
		}
		return env.gc(ctx, o, current)
	}}
}

// currentFingerprints maps each task of the packages to its fingerprint
// in the source as it is now.
func currentFingerprints(ctx context.Context, patterns []string, tags string) (map[string]string, error) {
	tasks, err := inspectTasks(ctx, patterns, tags)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(tasks))
	for _, t := range tasks {
		m[t.ID] = t.Descriptor().Fingerprint
	}
	return m, nil
}

// gcRecord is what gc keeps of an entry that survives the streaming pass:
// 32 bytes, the key's bytes being the listing's.
type gcRecord struct {
	key      string
	size     int64
	modified int64 // Unix nanoseconds
}

// gc streams the listing once, deleting expired entries and those of
// stale fingerprints (current maps task → fingerprint; nil skips the
// check) as it goes and keeping a small record of the others (only with
// a size budget); then it deletes the oldest survivors until they fit
// o.maxBytes. It never reads a value: memory is a gcRecord per surviving
// entry at most, whatever the values' sizes.
func (e *storeEnv) gc(ctx context.Context, o *gcOpts, current map[string]string) error {
	d := &deleter{env: e, dryRun: o.dryRun}
	var keep []gcRecord
	var kept int64
	scanned := 0
	olderReason := "older than " + o.older.String()
	for r, err := range e.entries(ctx, "") {
		if err != nil {
			return err
		}
		scanned++
		e.progress.scanned(scanned, "entries", d)
		reason := ""
		if o.older > 0 && e.now.Sub(r.Modified) > o.older {
			reason = olderReason
		} else if fp, ok := current[baseTask(r.Task)]; ok && fp != r.Fingerprint {
			reason = "stale fingerprint"
		}
		if reason == "" {
			if o.maxBytes >= 0 {
				keep = append(keep, gcRecord{r.Key, r.Size, r.Modified.UnixNano()})
			}
			kept += r.Size
			continue
		}
		if err := d.delete(ctx, r.Key, r.Size, reason); err != nil {
			return err
		}
	}
	if o.maxBytes >= 0 && kept > o.maxBytes {
		slices.SortFunc(keep, func(a, b gcRecord) int {
			return cmp.Or(cmp.Compare(a.modified, b.modified), strings.Compare(a.key, b.key))
		})
		for _, r := range keep {
			if kept <= o.maxBytes {
				break
			}
			e.progress.scanned(scanned, "entries", d)
			if err := d.delete(ctx, r.key, r.size, "over the size budget"); err != nil {
				return err
			}
			kept -= r.size
		}
	}
	if err := d.removeTemp(ctx); err != nil {
		return err
	}
	return d.finish()
}
