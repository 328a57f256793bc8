package cli

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/runtime"
)

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
	o, code := parseExplain(args, stdout, stderr)
	if o == nil {
		return code
	}
	return failed(stderr, "cachegen explain", explain(ctx, o, stdout))
}

// parseExplain parses the flags, which may come before or between the
// positional arguments, and the positional arguments. A nil result means
// exit with the code.
func parseExplain(args []string, stdout, stderr io.Writer) (*explainOpts, int) {
	o := &explainOpts{}
	fs := newFlagSet("cachegen explain", help("explain"), stdout, stderr)
	fs.StringVar(&o.store, "store", "", "the store URL (default $CACHEGEN_STORE, else the default file store)")
	fs.StringVar(&o.namespace, "namespace", "", "the namespace (default $CACHEGEN_NAMESPACE, else \"default\")")
	fs.BoolVar(&o.json, "json", false, "print JSON")
	fs.StringVar(&o.digest, "digest", "", "explain the entry with this argument digest (16 hex digits) instead of ARGS")
	fs.StringVar(&o.tags, "tags", "", "comma-separated build tags to load packages with")
	pos, code, ok := parseInterleaved(fs, args)
	if !ok {
		return nil, code
	}
	if n := len(pos); n > 0 && strings.HasPrefix(pos[n-1], "[") {
		o.args, pos = pos[n-1], pos[:n-1]
	}
	usageErr := func(format string, a ...any) (*explainOpts, int) {
		return nil, usageError(stderr, "cachegen explain", fmt.Errorf(format, a...))
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
	tasks, err := inspectTasks(ctx, o.patterns, o.tags)
	if err != nil {
		return err
	}
	name, typeArgs, generic := strings.Cut(o.task, "[")
	t, err := gen.Find(tasks, name)
	if err != nil {
		return err
	}
	desc := t.Descriptor()
	switch {
	case t.Generic() && !generic:
		return fmt.Errorf("task %s is generic: name an instantiation as cachegen ls shows it (%s[int])", t.ID, name)
	case t.Generic() && o.args != "":
		return fmt.Errorf("task %s is generic: its arguments cannot be read from JSON; give -digest, the last element of an entry's key", t.ID)
	case t.Generic():
		// The arguments as one string: Instantiate joins them with commas,
		// as cachegen ls shows them.
		desc = *desc.Instantiate(strings.ReplaceAll(strings.TrimSuffix(typeArgs, "]"), " ", ""))
	case generic:
		return fmt.Errorf("task %s is not generic: name it without type arguments", t.ID)
	}
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
	if o.args == "" && o.digest == "" {
		st, err := runtime.TaskStatus(ctx, store, ns, &desc)
		if err != nil {
			return err
		}
		if o.json {
			return writeJSON(stdout, st)
		}
		fmt.Fprintf(stdout, "task         %s\nfingerprint  %s\n", st.Task, st.Fingerprint)
		if st.Version != "" {
			fmt.Fprintf(stdout, "version      %s\n", st.Version)
		}
		fmt.Fprintf(stdout, "namespace    %s\nentries      %d under this fingerprint, %d under other code\n", st.Namespace, st.Entries, st.OtherEntries)
		if st.Since != "" {
			fmt.Fprintf(stdout, "since        %s\n", st.Since)
		}
		printDetails(stdout, st.Changes, st.NotFollowed)
		return nil
	}
	var ex runtime.Explanation
	if o.digest != "" {
		ex, err = runtime.ExplainDigest(ctx, store, ns, &desc, o.digest, time.Now())
	} else {
		ex, err = runtime.Explain(ctx, store, ns, &desc, key, time.Now())
	}
	if err != nil {
		return fmt.Errorf("%s: %w", t.ID, err)
	}
	// A miss in the own namespace may be a hit read through a parent
	// (CACHEGEN_PARENTS), as the cache path reads them.
	for _, parent := range parentNamespaces() {
		if ex.Hit {
			break
		}
		if parent == ns {
			continue
		}
		var pex runtime.Explanation
		if o.digest != "" {
			pex, err = runtime.ExplainDigest(ctx, store, parent, &desc, o.digest, time.Now())
		} else {
			pex, err = runtime.Explain(ctx, store, parent, &desc, key, time.Now())
		}
		if err == nil && pex.Hit {
			pex.Reason += " (read through parent namespace " + parent + ")"
			ex = pex
		}
	}
	if o.json {
		return writeJSON(stdout, explained{Task: desc.ID, Fingerprint: desc.Fingerprint, Namespace: ns, Explanation: ex})
	}
	verdict := ex.Reason
	if !ex.Hit {
		verdict = "miss: " + verdict
	}
	fmt.Fprintf(stdout, "task         %s\nfingerprint  %s\nnamespace    %s\nkey          %s\nverdict      %s\n",
		desc.ID, desc.Fingerprint, ns, ex.Key, verdict)
	printDetails(stdout, ex.Changes, ex.NotFollowed)
	return nil
}

// parentNamespaces are the namespaces CACHEGEN_PARENTS reads through.
func parentNamespaces() []string {
	var out []string
	for p := range strings.SplitSeq(os.Getenv(runtime.EnvParents), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// inspectTasks builds the tasks of the packages as the source is now (as
// go generate would, writing nothing); generation errors come back as one
// error, positions relative to the working directory.
func inspectTasks(ctx context.Context, patterns []string, tags string) ([]*gen.Task, error) {
	tasks, errs, err := gen.Inspect(ctx, gen.Config{Patterns: patterns, BuildFlags: tagFlags(tags)})
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
	var unreg *backends.UnregisteredError
	if errors.As(err, &unreg) && unreg.OwnModule {
		// backends' hint (add an import) is for programs; a user of the
		// command needs the build that imports the store.
		return nil, fmt.Errorf("open store: this build of cachegen has no %s:// store (it has %s://); the build with the cloud stores is github.com/cachegen/cachegen/cloud/cmd/cachegen (go get -tool it, or go run it)",
			unreg.Scheme, strings.Join(backends.Schemes(), "://, "))
	}
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

// printDetails prints fingerprint changes and what the fingerprint does
// not follow, one per line.
func printDetails(w io.Writer, changes []runtime.PartChange, notFollowed []string) {
	if len(changes) > 0 {
		fmt.Fprintln(w, "changes:")
	}
	for _, c := range changes {
		p := c.Part()
		line := fmt.Sprintf("  %-8s %-9s %s%s", c.Change, p.Kind, p.Name, inParens(p.Pos))
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
