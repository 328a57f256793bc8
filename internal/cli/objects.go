package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/cachegen/cachegen/runtime/catalog"
)

// objectKind is a catalog.Kind with its command-line names.
type objectKind struct {
	catalog.Kind
	flag     string // the flag naming one ID (ls and purge)
	listFlag string // ls's flag listing every ID
	column   string // table header of the ID column
	help     string // what the ID flag selects
	listHelp string // what the list flag lists
}

// objectKinds returns the kinds in the order of catalog.Kinds.
func objectKinds() []objectKind {
	return []objectKind{
		{catalog.Job, "job", "jobs", "JOB", "the objects of job `ID`'s cache", "list the jobs that have cached objects: objects, bytes, age of the newest"},
		{catalog.Shared, "shared", "shared-caches", "SHARED", "the objects of the shared cache `NAME`", "list the shared caches: objects, bytes, age of the newest"},
		{catalog.Run, "run", "runs", "RUN", "the durable memo entries of run `ID`", "list the durable memo runs: entries, bytes, age of the newest"},
	}
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
	for i, k := range o.kinds {
		fs.StringVar(&o.ids[i], k.flag, "", verb+" "+k.help)
		if listing {
			fs.BoolVar(&o.list[i], k.listFlag, false, k.listHelp)
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
			if err := k.Validate(o.ids[i]); err != nil {
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
	if c == nil || task == "" || (c.kind.Kind == catalog.Run && !c.list) {
		return nil
	}
	if c.list {
		return fmt.Errorf("-task and -%s: give one at most", c.kind.listFlag)
	}
	return fmt.Errorf("-task and -%s: -task selects cached results or a run's entries", c.kind.flag)
}

// idRow is one row of ls -jobs, -shared-caches or -runs.
type idRow struct {
	catalog.IDTotals
	AgeSeconds int64 `json:"age_seconds"`
}

// lsIDs prints one row per ID of the kind.
func (e *storeEnv) lsIDs(ctx context.Context, k objectKind) error {
	totals, err := e.catalog().IDs(ctx, k.Kind, e.scanned("objects", nil))
	if err != nil {
		return err
	}
	rows := make([]idRow, len(totals))
	for i, r := range totals {
		rows[i] = idRow{r, e.ageSeconds(r.Newest)}
	}
	if e.json {
		return writeJSON(e.out, rows)
	}
	tw := newTable(e.out)
	fmt.Fprintf(tw, "%s\tOBJECTS\tBYTES\tAGE\n", k.column)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", r.ID, r.Objects, r.Bytes, e.age(r.Newest))
	}
	return tw.Flush()
}

// objectRow is one row of ls -job, -shared or -run.
type objectRow struct {
	catalog.Object
	AgeSeconds int64 `json:"age_seconds"`
}

// lsObjects prints the objects of one ID.
func (e *storeEnv) lsObjects(ctx context.Context, c *objectChoice, task string) error {
	rows := []objectRow{}
	scanned := e.scanned("objects", nil)
	for o, err := range e.catalog().Objects(ctx, c.kind.Kind, c.id, task) {
		if err != nil {
			return err
		}
		scanned(len(rows) + 1)
		rows = append(rows, objectRow{o, e.ageSeconds(o.Modified)})
	}
	if e.json {
		return writeJSON(e.out, rows)
	}
	run := c.kind.Kind == catalog.Run
	tw := newTable(e.out)
	if run {
		fmt.Fprintln(tw, "TASK\tSIGNATURE\tDIGEST\tSIZE\tAGE")
	} else {
		fmt.Fprintln(tw, "KEY\tSIZE\tAGE")
	}
	for _, r := range rows {
		switch {
		case !run:
			fmt.Fprintf(tw, "%s\t%d\t%s\n", r.Key, r.Size, e.age(r.Modified))
		case r.Task != "":
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.Task, r.Signature, r.Digest, r.Size, e.age(r.Modified))
		default: // not the run layout: show the name as it is
			fmt.Fprintf(tw, "%s\t-\t-\t%d\t%s\n", r.Key, r.Size, e.age(r.Modified))
		}
	}
	return tw.Flush()
}

// purgeObjects deletes the objects of one ID (catalog.PurgeObjects).
func (e *storeEnv) purgeObjects(ctx context.Context, c *objectChoice, task string, older time.Duration, dryRun bool) error {
	d := e.newDeleter(dryRun, "objects")
	if err := e.catalog().PurgeObjects(ctx, c.kind.Kind, c.id, task, older, &d.Sweep); err != nil {
		return err
	}
	return d.finish()
}
