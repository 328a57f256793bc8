package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/cachegen/cachegen/gen"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // generation errors, findings, or a failed operation
	exitUsage = 2
)

// run is the whole command; main only exits with its result.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if isVetTool(args) {
		runVetTool() // go vet -vettool: unitchecker speaks go vet's protocol and exits
	}
	if len(args) > 0 {
		switch args[0] {
		case "generate":
			return runGenerate(ctx, args[1:], stdout, stderr)
		case "version":
			fmt.Fprintln(stdout, "cachegen", version())
			return exitOK
		case "help":
			fmt.Fprint(stdout, help("cachegen"))
			return exitOK
		case "explain":
			return runExplain(ctx, args[1:], stdout, stderr)
		case "ls", "stats", "inspect", "purge", "gc":
			return runStoreCmd(ctx, args[0], args[1:], stdout, stderr)
		case "vet":
			return runVet(ctx, args[1:], stdout, stderr)
		case "ui":
			return runUI(ctx, args[1:], stdout, stderr)
		}
	}
	return runGenerate(ctx, args, stdout, stderr)
}

// newFlagSet returns a flag set that prints its errors and help (manual,
// then the flags) to stderr.
func newFlagSet(name, manual string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, manual)
		fs.PrintDefaults()
	}
	return fs
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
	fs := flag.NewFlagSet("cachegen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, help("cachegen")) }
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
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	cfg := gen.Config{Patterns: fs.Args(), Accept: accept, BuildFlags: tagFlags(*tags)}
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
