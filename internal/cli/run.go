package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/redis/go-redis/v9/logging"

	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/gen/directive"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // generation errors, findings, or a failed operation
	exitUsage = 2
)

// commands are the subcommands, each with its manual page (help/*.txt).
func commands() map[string]string {
	return map[string]string{
		"generate": "cachegen", "vet": "vet", "explain": "explain", "ui": "ui",
		"ls": "ls", "stats": "stats", "inspect": "inspect", "purge": "purge", "gc": "gc",
		"version": "cachegen", "help": "cachegen",
	}
}

// Exit runs the command as a program's main does: with os.Args, the
// standard streams and a context cancelled on interrupt, then exits with
// its code.
func Exit() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Main is the whole command: it runs cachegen with args (os.Args[1:]) and
// returns the exit code, 0 ok, 1 failure or findings, 2 usage. The stores it
// can open are the schemes registered in the process: the program that
// calls Main imports the store packages it wants (see [backends.Register]).
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// The command reports a store that cannot be reached in its own error;
	// go-redis's process-wide logger would repeat it on stderr.
	logging.Disable()
	return run(ctx, args, stdout, stderr)
}

// run is the command without Main's process-wide settings.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if isVetTool(args) {
		runVetTool() // go vet -vettool: unitchecker speaks go vet's protocol and exits
	}
	if len(args) == 0 {
		return runGenerate(ctx, args, stdout, stderr)
	}
	switch args[0] {
	case "generate":
		return runGenerate(ctx, args[1:], stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "cachegen", version())
		return exitOK
	case "help", "-h", "-help", "--help":
		return runHelp(args[1:], stdout, stderr)
	case "explain":
		return runExplain(ctx, args[1:], stdout, stderr)
	case "ls", "stats", "inspect", "purge", "gc":
		return runStoreCmd(ctx, args[0], args[1:], stdout, stderr)
	case "vet":
		return runVet(ctx, args[1:], stdout, stderr)
	case "ui":
		return runUI(ctx, args[1:], stdout, stderr)
	}
	if isWord(args[0]) {
		// A bare word is not a package of the module (that is ./word): it
		// is a mistyped command.
		return usageError(stderr, "cachegen", fmt.Errorf("unknown command %q%s", args[0], didYouMean(args[0], slices.Collect(maps.Keys(commands())))))
	}
	return runGenerate(ctx, args, stdout, stderr)
}

// isWord reports whether arg is a bare word: no flag, no path.
func isWord(arg string) bool {
	return arg != "" && !strings.HasPrefix(arg, "-") && !strings.ContainsAny(arg, "./\\")
}

// didYouMean is ", did you mean X?" for the candidate closest to s, or
// the list of candidates.
func didYouMean(s string, candidates []string) string {
	slices.Sort(candidates)
	if c, ok := directive.Closest(s, candidates); ok {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	return " (one of: " + strings.Join(candidates, ", ") + ")"
}

// runHelp is cachegen help [command]: the command's manual on stdout.
func runHelp(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stdout, help("cachegen"))
		return exitOK
	}
	page, ok := commands()[args[0]]
	if !ok {
		return usageError(stderr, "cachegen help", fmt.Errorf("no command %q%s", args[0], didYouMean(args[0], slices.Collect(maps.Keys(commands())))))
	}
	fmt.Fprint(stdout, help(page))
	return exitOK
}

// newFlagSet returns a flag set for a command: -h prints manual and the
// flags to stdout; a flag error prints one line to stderr. Parse it with
// parseInterleaved.
func newFlagSet(name, manual string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fs.SetOutput(stdout)
		fmt.Fprint(stdout, manual)
		fs.PrintDefaults()
		fs.SetOutput(stderr)
	}
	return fs
}

// parseInterleaved parses flags that may come before or between positional
// arguments. ok false means exit with code: 0 after -h (the manual went to
// stdout), 2 after a flag error (one line and a hint went to stderr).
func parseInterleaved(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	manual := fs.Usage
	fs.Usage = func() {} // the flag package's error line is enough
	defer func() { fs.Usage = manual }()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				manual()
				return nil, exitOK, false
			}
			fmt.Fprintf(fs.Output(), "run '%s -h' for usage\n", fs.Name())
			return nil, exitUsage, false
		}
		if fs.NArg() == 0 {
			return pos, exitOK, true
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}

// usageError prints a usage error of the command and a hint; it returns
// the exit code.
func usageError(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "%s: %v\nrun '%s -h' for usage\n", cmd, err, cmd)
	return exitUsage
}

// failed prints err, generation errors one per line as gen prints them,
// and returns the exit code: exitOK for a nil err.
func failed(stderr io.Writer, cmd string, err error) int {
	var gerrs genErrors
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &gerrs):
		for _, e := range gerrs {
			fmt.Fprintln(stderr, e)
		}
	default:
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
	}
	return exitFail
}

// tagFlags is the build flags of a -tags value.
func tagFlags(tags string) []string {
	if tags == "" {
		return nil
	}
	return []string{"-tags=" + tags}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("cachegen", help("cachegen"), stdout, stderr)
	tags := fs.String("tags", "", "comma-separated build tags to load packages with")
	check := fs.Bool("check", false, "write nothing; exit 1 if a generated file is missing or out of date")
	verbose := fs.Bool("v", false, "print the files written")
	var accept []string
	fs.Func("accept", "comma-separated versioned tasks whose code changes keep their version", func(v string) error {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				accept = append(accept, name)
			}
		}
		return nil
	})
	patterns, code, ok := parseInterleaved(fs, args)
	if !ok {
		return code
	}
	cfg := gen.Config{Patterns: patterns, Accept: accept, BuildFlags: tagFlags(*tags)}
	if os.Getenv("CACHEGEN_DEBUGHASH") == "1" {
		cfg.Debug = stderr
	}
	res, err := gen.Generate(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "cachegen: %v\n", err)
		return exitFail
	}
	if wd, err := os.Getwd(); err == nil {
		gen.Relative(res.Errors, wd)
		gen.Relative(res.Warnings, wd)
	}
	for _, e := range res.Warnings {
		fmt.Fprintf(stderr, "%s (warning)\n", e)
	}
	if len(res.Errors) > 0 {
		for _, e := range res.Errors {
			fmt.Fprintln(stderr, e)
		}
		return exitFail
	}
	if *check {
		outdated := res.Outdated()
		for _, f := range outdated {
			fmt.Fprintf(stderr, "%s: %s; run go generate\n", relPath(f.Path), f.Reason)
		}
		return min(len(outdated), exitFail)
	}
	if err := res.Write(); err != nil {
		fmt.Fprintf(stderr, "cachegen: %v\n", err)
		return exitFail
	}
	if *verbose {
		for _, f := range res.Files {
			fmt.Fprintln(stdout, relPath(f.Path))
		}
	}
	return exitOK
}

func relPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
	}
	return p
}
