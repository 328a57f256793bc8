package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/internal/progress"
	"github.com/cachegen/cachegen/runtime"
	"github.com/cachegen/cachegen/runtime/catalog"
)

// storeEnv is what every store command works with once its flags are parsed.
type storeEnv struct {
	store    backends.Store
	ns       string
	json     bool
	now      time.Time
	out      io.Writer
	progress *progress.Line // nil unless stderr is a terminal and not -json
}

func (e *storeEnv) catalog() *catalog.Catalog {
	return &catalog.Catalog{Store: e.store, Namespace: e.ns, Now: e.now}
}

// scanned returns the progress callback of a listing of noun.
func (e *storeEnv) scanned(noun string, d *deleter) func(int) {
	var s *catalog.Sweep
	if d != nil {
		s = &d.Sweep
	}
	return func(n int) { scanned(e.progress, n, noun, s) }
}

// runStoreCmd is cachegen ls, stats, inspect, purge and gc.
func runStoreCmd(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("cachegen "+name, help(name), stdout, stderr)
	var storeURL, namespace string
	var asJSON bool
	fs.StringVar(&storeURL, "store", "", "the store URL (default $CACHEGEN_STORE, else the default file store)")
	fs.StringVar(&namespace, "namespace", "", "the namespace (default $CACHEGEN_NAMESPACE, else \"default\")")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	cmd := storeCommandFor(name, fs)
	pos, code, ok := parseInterleaved(fs, args)
	if !ok {
		return code
	}
	if err := cmd.check(pos); err != nil {
		return usageError(stderr, "cachegen "+name, err)
	}
	store, err := openStore(ctx, storeURL)
	if err != nil {
		return failed(stderr, "cachegen "+name, err)
	}
	if c, ok := store.(backends.Closer); ok {
		defer c.Close()
	}
	env := &storeEnv{store: store, ns: namespaceOf(namespace), json: asJSON, now: time.Now(), out: stdout}
	if !asJSON {
		env.progress = progress.New(stderr, progress.IsTerminal(stderr), time.Now)
		env.out = env.progress.Writer(stdout)
	}
	err = cmd.run(ctx, env, pos)
	env.progress.Clear()
	return failed(stderr, "cachegen "+name, err)
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

// namespaceOf is the namespace the flag names, else CACHEGEN_NAMESPACE,
// else "default".
func namespaceOf(flagValue string) string {
	return cmp.Or(flagValue, os.Getenv(runtime.EnvNamespace), runtime.DefaultNamespace)
}

func noArgs(pos []string) error {
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	return nil
}

// age is how long ago t was, in whole seconds.
func (e *storeEnv) age(t time.Time) time.Duration {
	return max(e.now.Sub(t), 0).Round(time.Second)
}

func (e *storeEnv) ageSeconds(t time.Time) int64 { return int64(e.age(t) / time.Second) }

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
	catalog.Entry
	AgeSeconds int64 `json:"age_seconds"`
}

// ls prints the entries, sorted by key.
func (e *storeEnv) ls(ctx context.Context, task string) error {
	list := []lsEntry{}
	scanned := e.scanned("entries", nil)
	for r, err := range e.catalog().Entries(ctx, task) {
		if err != nil {
			return err
		}
		scanned(len(list) + 1)
		list = append(list, lsEntry{r, e.ageSeconds(r.Modified)})
	}
	if task != "" && len(list) == 0 {
		return e.noTask(ctx, task)
	}
	if e.json {
		return writeJSON(e.out, list)
	}
	tw := newTable(e.out)
	fmt.Fprintln(tw, "TASK\tFINGERPRINT\tDIGEST\tSIZE\tAGE\tKEY")
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", r.Task, r.Fingerprint, r.Digest, r.Size, e.age(r.Modified), r.Ref())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	act, err := e.catalog().Activity(ctx, time.Time{}, task)
	if err != nil {
		return err
	}
	return e.printActivity(act)
}

// noTask is the error of a -task that matches no entry: it names the
// tasks that have entries, the closest first.
func (e *storeEnv) noTask(ctx context.Context, task string) error {
	seen := map[string]bool{}
	for r, err := range e.catalog().Entries(ctx, "") {
		if err != nil {
			return err
		}
		seen[r.Task] = true
		if i := strings.LastIndexByte(r.Task, '/'); i >= 0 {
			seen[r.Task[i+1:]] = true // pkg.Func, as a user writes it
		}
	}
	if len(seen) == 0 {
		return fmt.Errorf("no entries of task %q: namespace %s has no cached results", task, e.ns)
	}
	return fmt.Errorf("no entries of task %q in namespace %s%s", task, e.ns, didYouMean(task, slices.Collect(maps.Keys(seen))))
}

// printActivity prints, after a blank line, the recorded hits and misses
// of each task, when there are any.
func (e *storeEnv) printActivity(act *catalog.Activity) error {
	if len(act.Tasks) == 0 {
		return nil
	}
	fmt.Fprintln(e.out)
	tw := newTable(e.out)
	fmt.Fprintln(tw, "TASK\tHITS\tMISSES\tHIT RATE\tSAVED\tLAST MISS")
	for _, id := range slices.Sorted(maps.Keys(act.Tasks)) {
		a := act.Tasks[id]
		rate := "-"
		if n := a.Hits() + a.Misses; n > 0 {
			rate = fmt.Sprintf("%.0f%%", 100*float64(a.Hits())/float64(n))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", id, a.Hits(), a.Misses, rate, a.Saved.Round(time.Millisecond), cmp.Or(a.LastMiss, "-"))
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

// stats prints entries and bytes per task and in total, then the totals of
// job caches, shared caches and runs.
func (e *storeEnv) stats(ctx context.Context, deep bool) error {
	c := e.catalog()
	rows, total, err := c.Stats(ctx, deep, e.scanned("entries", nil))
	if err != nil {
		return err
	}
	kinds, err := c.KindTotals(ctx, e.scanned("objects", nil))
	if err != nil {
		return err
	}
	act, err := c.Activity(ctx, time.Time{}, "")
	if err != nil {
		return err
	}
	if e.json {
		return writeJSON(e.out, struct {
			Tasks    []catalog.TaskStats              `json:"tasks"`
			Total    catalog.TaskStats                `json:"total"`
			Objects  []catalog.KindTotals             `json:"objects"`
			Activity map[string]*runtime.TaskActivity `json:"activity"`
		}{rows, total, kinds, act.Tasks})
	}
	tw := newTable(e.out)
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
	fmt.Fprintln(tw, "\nKIND\tIDS\tOBJECTS\tBYTES")
	for _, k := range kinds {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", k.Kind, k.IDs, k.Objects, k.Bytes)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return e.printActivity(act)
}

// inspectCommand is cachegen inspect.
func inspectCommand(fs *flag.FlagSet) storeCommand {
	value := fs.Bool("value", false, "also print the stored value: as JSON, decoded with the task's type from the packages (default .), else as a hex dump")
	tags := fs.String("tags", "", "comma-separated build tags to load packages with (with -value)")
	check := func(pos []string) error {
		switch {
		case len(pos) == 0:
			return errors.New("want one KEY")
		case len(pos) > 1 && !*value:
			return fmt.Errorf("unexpected argument %q (packages go with -value)", pos[1])
		}
		return nil
	}
	return storeCommand{check: check, run: func(ctx context.Context, env *storeEnv, pos []string) error {
		in, err := env.inspect(ctx, pos[0])
		if err != nil || !*value {
			return err
		}
		return env.printValue(ctx, in, pos[1:], *tags)
	}}
}

// inspect prints the entry at key and its task's manifest (catalog.Inspect).
func (e *storeEnv) inspect(ctx context.Context, key string) (catalog.Inspected, error) {
	in, err := e.catalog().Inspect(ctx, key)
	if err != nil {
		return in, err
	}
	if e.json {
		return in, writeJSON(e.out, in)
	}
	w := e.out
	fmt.Fprintf(w, "key          %s\ntask         %s\nfingerprint  %s\ndigest       %s\n", in.Key, in.Task, in.Fingerprint, in.Digest)
	fmt.Fprintf(w, "created      %s (%s ago)\ncompute      %s\nsize         %d bytes (payload %d)\ncodec        %d\n",
		in.Created.UTC().Format(time.RFC3339), e.age(in.Created), in.Compute, in.Size, in.PayloadSize, in.Codec)
	if in.Manifest == nil {
		fmt.Fprintln(w, "manifest     none")
		return in, nil
	}
	if in.Manifest.Version != "" {
		fmt.Fprintf(w, "version      %s\n", in.Manifest.Version)
	}
	fmt.Fprintln(w, "parts:")
	for _, p := range in.Manifest.Parts {
		fmt.Fprintf(w, "  %-9s %s %s%s\n", p.Kind, p.Name, p.Hash, inParens(p.Pos))
	}
	return in, nil
}

// inParens is " (s)", or "" for an empty s.
func inParens(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// purgeCommand is cachegen purge.
func purgeCommand(fs *flag.FlagSet) storeCommand {
	dryRun := fs.Bool("n", false, "print what would be deleted, delete nothing")
	var sel catalog.Selection
	fs.StringVar(&sel.Task, "task", "", "delete this task's entries (with -run, this task's memo entries)")
	fs.Var(durationValue{&sel.OlderThan}, "older-than", "delete entries stored longer ago than this (7d, 36h)")
	fs.BoolVar(&sel.All, "all", false, "select every entry (with -task, every entry of the task), and delete the selected tasks' key manifests too")
	of := addObjectFlags(fs, "delete", false)
	var choice *objectChoice
	check := func(pos []string) error {
		var err error
		if choice, err = of.choice(fs, pos); err != nil {
			return err
		}
		if choice != nil {
			if sel.All {
				return fmt.Errorf("-all and -%s: -all selects cached results", choice.kind.flag)
			}
			return choice.checkTask(sel.Task)
		}
		if sel.Task == "" && sel.OlderThan <= 0 && !sel.All {
			return errors.New("give at least one of -task, -older-than, -all, -job, -shared, -run")
		}
		return nil
	}
	return storeCommand{check: check, run: func(ctx context.Context, env *storeEnv, _ []string) error {
		if choice != nil {
			return env.purgeObjects(ctx, choice, sel.Task, sel.OlderThan, *dryRun)
		}
		return env.purge(ctx, sel.Task, sel.OlderThan, sel.All, *dryRun)
	}}
}

// purge deletes the entries that match every selector given (catalog.Purge).
func (e *storeEnv) purge(ctx context.Context, task string, older time.Duration, all, dryRun bool) error {
	d := e.newDeleter(dryRun, "entries")
	if err := e.catalog().Purge(ctx, catalog.Selection{Task: task, OlderThan: older, All: all}, &d.Sweep); err != nil {
		return err
	}
	return d.finish()
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
	fs.Var(durationValue{&o.older}, "older-than", "delete entries stored longer ago than this (7d, 36h)")
	fs.Var(sizeValue{&o.maxBytes}, "max-bytes", "then delete the oldest entries until the rest take at most this many bytes (512MB, 1G)")
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
			tasks, err := inspectTasks(ctx, pos, o.tags)
			if err != nil {
				return err
			}
			current = make(map[string]string, len(tasks))
			for _, t := range tasks {
				current[t.ID] = t.Descriptor().Fingerprint
			}
		}
		return env.gc(ctx, o, current)
	}}
}

// gc trims the store (catalog.Trim); current maps task → fingerprint, nil
// skips the stale-fingerprint check.
func (e *storeEnv) gc(ctx context.Context, o *gcOpts, current map[string]string) error {
	d := e.newDeleter(o.dryRun, "entries")
	if err := e.catalog().Trim(ctx, catalog.Policy{OlderThan: o.older, MaxBytes: o.maxBytes, Current: current}, &d.Sweep); err != nil {
		return err
	}
	return d.finish()
}

// deleter prints a catalog.Sweep's deletions: one line per object as it
// goes (tables), or every deletion in a summary at the end (JSON).
type deleter struct {
	catalog.Sweep
	env  *storeEnv
	noun string             // what the summary counts: "entries" or "objects"
	done []catalog.Deletion // JSON only
	line []byte             // the table line being written, reused
}

func (e *storeEnv) newDeleter(dryRun bool, noun string) *deleter {
	d := &deleter{env: e, noun: noun, done: []catalog.Deletion{}}
	d.DryRun = dryRun
	d.Scanned = e.scanned(noun, d)
	d.Report = func(x catalog.Deletion) error {
		if e.json {
			d.done = append(d.done, x)
			return nil
		}
		// One line per object, built in a reused buffer: over a large store
		// this is the loop's only allocation otherwise.
		d.line = append(append(append(append(append(d.line[:0], d.verb()...), ' '), x.Key...), " ("...), x.Reason...)
		_, err := e.out.Write(append(d.line, ")\n"...))
		return err
	}
	return d
}

func (d *deleter) verb() string {
	if d.DryRun {
		return "would delete"
	}
	return "deleted"
}

// finish prints the summary.
func (d *deleter) finish() error {
	if d.env.json {
		return writeJSON(d.env.out, struct {
			DryRun    bool               `json:"dry_run,omitempty"`
			Deleted   []catalog.Deletion `json:"deleted"`
			Entries   int                `json:"entries"`
			Bytes     int64              `json:"bytes"`
			TempFiles int                `json:"temp_files,omitempty"`
		}{d.DryRun, d.done, d.Deleted, d.Bytes, d.TempFiles})
	}
	noun := d.noun
	if d.Deleted == 1 {
		noun = map[string]string{"entries": "entry", "objects": "object"}[noun]
	}
	fmt.Fprintf(d.env.out, "%s %d %s, %d bytes\n", d.verb(), d.Deleted, noun, d.Bytes)
	if d.TempFiles > 0 {
		fmt.Fprintf(d.env.out, "removed %d temporary %s of interrupted writes, older than %s\n", d.TempFiles, plural(d.TempFiles, "file"), catalog.TempAge)
	}
	return nil
}

// plural is noun with an "s" unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// scanned draws on p "scanned N <noun>" plus the sweep's tally (d may be
// nil), when due.
func scanned(p *progress.Line, n int, noun string, d *catalog.Sweep) {
	if !p.Due() {
		return
	}
	line := "scanned " + progress.Thousands(int64(n)) + " " + noun
	if d != nil {
		verb := ", deleting "
		if d.DryRun {
			verb = ", selected "
		}
		line += verb + progress.Thousands(int64(d.Deleted)) + " (" + progress.Bytes(d.Bytes) + ")"
	}
	p.Show(line)
}
