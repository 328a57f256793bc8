package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/runtime"
)

// explainUsage is the manual of cachegen explain, printed by -h.
const explainUsage = `usage: cachegen explain [flags] [packages] Task [ARGS]

Explain says whether a call of a cached task would hit the store now, and if
not, why: "first call", "arguments differ", "code changed: helper ` + "`double`" + ` (calc.go)",
"version bumped 1→2", "expired", or "entry corrupt". It builds the task from
the source as it is now (as go generate would, writing nothing), so it
explains the next run of the code on disk.

Task is the task's identity (example.com/m/calc.Calc, example.com/m/calc.T.Run),
pkg.Func or pkg.Type.Method (pkg: the last element of the package path), or a
bare Func or Type.Method. Packages default to ".".

ARGS is one JSON array with one element per key argument, in order: the
receiver first for a method, then each parameter except a context.Context,
ignored (ignore=) and unnamed ones; for a task with key=EXPR, a one-element
array holding the key's value. Each element is read as encoding/json reads
the parameter's type: numbers, strings, booleans, arrays, objects for structs
(by json tag or field name) and maps, null for nil, []byte as base64, time.Time
as RFC 3339, floats also as "NaN", "+Inf", "-Inf", complex numbers as [re, im].
Quote ARGS for the shell: cachegen explain Calc '[3]'. The last argument is
ARGS when it starts with "[".

With -digest HEX instead of ARGS, explain the entry stored under that argument
digest (the last element of an entry's key; for arguments JSON cannot
express, such as a runtime.Keyer). With neither, print the task's status: its
fingerprint, how many entries it has, and what changed in its code since the
newest fingerprint recorded in the store.

Exit status: 0 when explained (hit or miss), 1 on errors (task not found or
ambiguous, bad arguments, a store error, generation errors), 2 on usage errors.

Flags:
`

// explainOpts are the parsed command line of cachegen explain.
type explainOpts struct {
	store, namespace, digest, tags string
	json                           bool
	patterns                       []string
	task                           string
	args                           string // the JSON array, or ""
}

// runExplain is cachegen explain.
func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, code := parseExplain(args, stderr)
	if o == nil {
		return code
	}
	if err := explain(ctx, o, stdout); err != nil {
		var gerrs genErrors
		if errors.As(err, &gerrs) {
			for _, e := range gerrs {
				fmt.Fprintln(stderr, e)
			}
			return exitFail
		}
		fmt.Fprintf(stderr, "cachegen explain: %v\n", err)
		return exitFail
	}
	return exitOK
}

// parseExplain parses the flags, which may come before or between the
// positional arguments, and the positional arguments. A nil result means
// exit with the code.
func parseExplain(args []string, stderr io.Writer) (*explainOpts, int) {
	o := &explainOpts{}
	fs := flag.NewFlagSet("cachegen explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, explainUsage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.store, "store", "", "the store URL (default $CACHEGEN_STORE, else the default file store)")
	fs.StringVar(&o.namespace, "namespace", "", "the namespace (default $CACHEGEN_NAMESPACE, else \"default\")")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	fs.StringVar(&o.digest, "digest", "", "explain the entry with this argument digest (16 hex digits) instead of ARGS")
	fs.StringVar(&o.tags, "tags", "", "comma-separated build tags to load packages with")
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK
			}
			return nil, exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	if n := len(pos); n > 0 && strings.HasPrefix(pos[n-1], "[") {
		o.args, pos = pos[n-1], pos[:n-1]
	}
	usageErr := func(format string, a ...any) (*explainOpts, int) {
		fmt.Fprintf(stderr, "cachegen explain: "+format+"\nrun 'cachegen explain -h' for usage\n", a...)
		return nil, exitUsage
	}
	switch {
	case len(pos) == 0:
		return usageErr("no task given")
	case o.args != "" && o.digest != "":
		return usageErr("give ARGS or -digest, not both")
	}
	for _, p := range pos {
		if strings.HasPrefix(p, "[") {
			return usageErr("ARGS %q must be the last argument, quoted as one word: '[1, \"a\"]'", p)
		}
	}
	if o.digest != "" {
		o.digest = strings.ToLower(o.digest)
		if _, err := hex.DecodeString(o.digest); err != nil || len(o.digest) != 16 {
			return usageErr("-digest %q: want 16 hex digits, the last element of an entry's key", o.digest)
		}
	}
	o.task, o.patterns = pos[len(pos)-1], pos[:len(pos)-1]
	return o, exitOK
}

// genErrors are generation errors, printed as gen prints them.
type genErrors []*gen.Error

func (e genErrors) Error() string { return fmt.Sprintf("%d generation errors", len(e)) }

// explain does the work of cachegen explain once the command line is parsed.
func explain(ctx context.Context, o *explainOpts, stdout io.Writer) error {
	t, err := inspectTask(ctx, o)
	if err != nil {
		return err
	}
	if t.Generic() {
		return fmt.Errorf("task %s is generic: its entries are kept per instantiation, which explain cannot name yet", t.ID)
	}
	desc := t.Descriptor()
	var key []byte
	if o.args != "" {
		if key, err = t.KeyFromJSON(json.RawMessage(o.args)); err != nil {
			return fmt.Errorf("%s: %w", t.ID, err)
		}
	}
	store, err := openStore(ctx, o.store)
	if err != nil {
		return err
	}
	if c, ok := store.(backends.Closer); ok {
		defer c.Close()
	}
	ns := namespaceOf(o.namespace)
	now := time.Now()
	if o.args == "" && o.digest == "" {
		st, err := taskStatus(ctx, store, ns, &desc, now)
		if err != nil {
			return err
		}
		return printStatus(stdout, st, o.json)
	}
	var ex runtime.Explanation
	if o.digest != "" {
		ex, err = explainDigest(ctx, store, ns, &desc, o.digest, now)
	} else {
		ex, err = runtime.Explain(ctx, store, ns, &desc, key, now)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", t.ID, err)
	}
	return printExplanation(stdout, explained{Task: desc.ID, Fingerprint: desc.Fingerprint, Namespace: ns, Explanation: ex}, o.json)
}

// inspectTask builds the packages' tasks and picks the one o names.
func inspectTask(ctx context.Context, o *explainOpts) (*gen.Task, error) {
	tasks, err := inspectTasks(ctx, o.patterns, o.tags)
	if err != nil {
		return nil, err
	}
	return findTask(tasks, o.task)
}

// inspectTasks builds the tasks of the packages as the source is now (as
// go generate would, writing nothing); generation errors come back as one
// error, positions relative to the working directory.
func inspectTasks(ctx context.Context, patterns []string, tags string) ([]*gen.Task, error) {
	cfg := gen.Config{Patterns: patterns}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags=" + tags}
	}
	tasks, errs, err := gen.Inspect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		if wd, err := os.Getwd(); err == nil {
			gen.Relative(errs, wd)
		}
		return nil, genErrors(errs)
	}
	return tasks, nil
}

// findTask returns the one task that name designates (runtime.TaskMatches),
// or an error listing the candidates.
func findTask(tasks []*gen.Task, name string) (*gen.Task, error) {
	var found []*gen.Task
	for _, t := range tasks {
		if runtime.TaskMatches(t.ID, name) {
			found = append(found, t)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return nil, fmt.Errorf("task %q is ambiguous; write one of:%s", name, idList(found))
	case len(tasks) == 0:
		return nil, fmt.Errorf("task %q: the packages have no //cache:task", name)
	}
	return nil, fmt.Errorf("no task %q; the packages' tasks are:%s", name, idList(tasks))
}

func idList(tasks []*gen.Task) string {
	var b strings.Builder
	for _, t := range tasks {
		b.WriteString("\n\t" + t.ID)
	}
	return b.String()
}

// openStore opens the store named by the flag, else by CACHEGEN_STORE,
// else the default store.
func openStore(ctx context.Context, url string) (backends.Store, error) {
	if url == "" {
		url = os.Getenv("CACHEGEN_STORE")
	}
	if url == "off" {
		return nil, errors.New("caching is off (CACHEGEN_STORE=off): there is no store to look in; give -store URL")
	}
	s, err := runtime.Open(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return s, nil
}

// explained is what cachegen explain prints for one call.
type explained struct {
	Task        string `json:"task"`
	Fingerprint string `json:"fingerprint"`
	Namespace   string `json:"namespace"`
	runtime.Explanation
}

// status is what cachegen explain prints for a task without arguments.
type status struct {
	Task        string `json:"task"`
	Fingerprint string `json:"fingerprint"`
	Version     string `json:"version,omitempty"`
	Namespace   string `json:"namespace"`
	// Entries counts the stored results under the current fingerprint,
	// OtherEntries those under other fingerprints.
	Entries      int `json:"entries"`
	OtherEntries int `json:"other_entries"`
	// Since says what changed since the newest key manifest of another
	// fingerprint, worded as a miss would be ("code changed: …"); empty
	// when the store has no such manifest.
	Since       string               `json:"since,omitempty"`
	Changes     []runtime.PartChange `json:"changes,omitempty"`
	NotFollowed []string             `json:"not_followed,omitempty"`
}

// taskStatus counts t's entries and compares its code with the newest
// manifest of another fingerprint.
func taskStatus(ctx context.Context, store backends.Store, ns string, t *runtime.Task, now time.Time) (status, error) {
	st := status{Task: t.ID, Fingerprint: t.Fingerprint, Version: t.Version, Namespace: ns, NotFollowed: t.NotFollowed}
	current := backends.CachePrefix(ns, t.ID) + t.Fingerprint + "/"
	for info, err := range store.List(ctx, backends.CachePrefix(ns, t.ID)) {
		if err != nil {
			return st, fmt.Errorf("%s: list entries: %w", t.ID, err)
		}
		if strings.HasPrefix(info.Key, current) {
			st.Entries++
		} else {
			st.OtherEntries++
		}
	}
	manifests := backends.ManifestKey(ns, t.ID, "")
	other := false
	for info, err := range store.List(ctx, manifests) {
		if err != nil {
			return st, fmt.Errorf("%s: list manifests: %w", t.ID, err)
		}
		other = other || info.Key != manifests+t.Fingerprint
	}
	if !other {
		return st, nil
	}
	// With the current fingerprint's entries out of sight, any call is a
	// miss that runtime.Explain words against the newest other manifest.
	view := hidingStore{Store: store, hide: func(key string) bool { return strings.HasPrefix(key, current) }, hideList: true}
	ex, err := runtime.Explain(ctx, view, ns, t, nil, now)
	if err != nil {
		return st, fmt.Errorf("%s: %w", t.ID, err)
	}
	st.Since, st.Changes = ex.Reason, ex.Changes
	return st, nil
}

// explainDigest explains the entry with the given argument digest. Without
// the arguments the entry's key check cannot be verified, so a stored entry
// is judged by its presence and age (the store's modification time) alone.
func explainDigest(ctx context.Context, store backends.Store, ns string, t *runtime.Task, digest string, now time.Time) (runtime.Explanation, error) {
	key := backends.CacheKey(ns, t.ID, t.Fingerprint, digest)
	rc, info, err := store.Get(ctx, key)
	switch {
	case err == nil:
		rc.Close()
		ex := runtime.Explanation{Key: key, NotFollowed: t.NotFollowed, Hit: true}
		age := now.Sub(info.Modified).Round(time.Second)
		ex.Reason = fmt.Sprintf("hit: stored %s ago, %d bytes (not validated: -digest gives no arguments to check the entry against)", age, info.Size)
		if t.TTL > 0 && age > t.TTL {
			ex.Hit, ex.Reason = false, fmt.Sprintf("expired: stored %s ago, ttl %s", age, t.TTL)
		}
		return ex, nil
	case !errors.Is(err, backends.ErrNotFound):
		return runtime.Explanation{Key: key}, fmt.Errorf("explain: %w", err)
	}
	// Absent: runtime.Explain words the miss (other arguments, other code,
	// first call) from the task's other entries and manifests. It looks up
	// the entry of an empty argument list, which is hidden so it cannot
	// answer for this digest.
	empty := runtime.ObjectKey(ns, t, nil)
	view := hidingStore{Store: store, hide: func(k string) bool { return k == empty }}
	ex, err := runtime.Explain(ctx, view, ns, t, nil, now)
	ex.Key = key
	return ex, err
}

// hidingStore is a read-only view of a store in which Get does not find the
// keys hide accepts, nor List yield them when hideList is set.
type hidingStore struct {
	backends.Store
	hide     func(key string) bool
	hideList bool
}

var errReadOnly = errors.New("explain: the store is opened read-only")

func (h hidingStore) Get(ctx context.Context, key string) (io.ReadCloser, backends.Info, error) {
	if h.hide(key) {
		return nil, backends.Info{}, fmt.Errorf("get %s: %w", key, backends.ErrNotFound)
	}
	return h.Store.Get(ctx, key)
}

func (h hidingStore) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		for info, err := range h.Store.List(ctx, prefix) {
			if err == nil && h.hideList && h.hide(info.Key) {
				continue
			}
			if !yield(info, err) {
				return
			}
		}
	}
}

func (h hidingStore) Put(context.Context, string, io.Reader, backends.PutOptions) (backends.Info, error) {
	return backends.Info{}, errReadOnly
}

func (h hidingStore) Delete(context.Context, string) error { return errReadOnly }

// printExplanation prints one call's explanation as lines or JSON.
func printExplanation(w io.Writer, e explained, asJSON bool) error {
	if asJSON {
		return writeJSON(w, e)
	}
	verdict := e.Reason
	if !e.Hit {
		verdict = "miss: " + verdict
	}
	fmt.Fprintf(w, "task         %s\nfingerprint  %s\nnamespace    %s\nkey          %s\nverdict      %s\n",
		e.Task, e.Fingerprint, e.Namespace, e.Key, verdict)
	printDetails(w, e.Changes, e.NotFollowed)
	return nil
}

// printStatus prints a task's status as lines or JSON.
func printStatus(w io.Writer, s status, asJSON bool) error {
	if asJSON {
		return writeJSON(w, s)
	}
	fmt.Fprintf(w, "task         %s\nfingerprint  %s\n", s.Task, s.Fingerprint)
	if s.Version != "" {
		fmt.Fprintf(w, "version      %s\n", s.Version)
	}
	fmt.Fprintf(w, "namespace    %s\nentries      %d under this fingerprint, %d under other code\n", s.Namespace, s.Entries, s.OtherEntries)
	if s.Since != "" {
		fmt.Fprintf(w, "since        %s\n", s.Since)
	}
	printDetails(w, s.Changes, s.NotFollowed)
	return nil
}

// printDetails prints fingerprint changes and what the fingerprint does
// not follow, one per line.
func printDetails(w io.Writer, changes []runtime.PartChange, notFollowed []string) {
	if len(changes) > 0 {
		fmt.Fprintln(w, "changes:")
	}
	for _, c := range changes {
		p := c.New
		if c.Change == runtime.Removed {
			p = c.Old
		}
		line := fmt.Sprintf("  %-8s %-9s %s", c.Change, p.Kind, p.Name)
		if p.Pos != "" {
			line += " (" + p.Pos + ")"
		}
		if c.Change == runtime.Changed && (p.Kind == runtime.PartModule || p.Kind == runtime.PartGo) {
			line += " " + c.Old.Hash + "→" + c.New.Hash
		}
		fmt.Fprintln(w, line)
	}
	if len(notFollowed) > 0 {
		fmt.Fprintln(w, "not followed (changes there are not detected):")
	}
	for _, n := range notFollowed {
		fmt.Fprintln(w, "  "+n)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
