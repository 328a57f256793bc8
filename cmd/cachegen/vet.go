package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/unitchecker"
	"golang.org/x/tools/go/packages"

	"github.com/cachegen/cachegen/analyzer"
)

// isVetTool reports whether go vet runs this binary as its vet tool
// (go vet -vettool=$(go tool -n cachegen)): go vet asks for -V=full and
// -flags, then passes one *.cfg file per package.
func isVetTool(args []string) bool {
	if len(args) == 0 {
		return false
	}
	return args[0] == "-V=full" || args[0] == "-flags" || strings.HasSuffix(args[len(args)-1], ".cfg")
}

// runVetTool hands the process to unitchecker, which speaks go vet's
// protocol; it exits the process itself.
func runVetTool() { unitchecker.Main(analyzer.Analyzer) }

// runVet is "cachegen vet [-json] [-tags list] [packages]": the analyzer over
// the packages (default "."), findings printed as file:line:col: message,
// exit 1 when there are any.
func runVet(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cachegen vet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print findings as JSON")
	tags := fs.String("tags", "", "comma-separated build tags to load packages with")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: cachegen vet [-json] [-tags list] [packages]\n\nReports stale or broken caching: directive mistakes, directives without a\ngenerated wrapper, wrappers without a directive, stale wrappers, versioned\ntasks whose code changed without a version bump, and tasks that read hidden\ninputs (environment, clock, randomness, mutable globals, files, network)\nunless allow= names them. Exit 1 on findings.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	// Dependencies need syntax too: the analyzer follows helpers in other
	// packages of the module through facts it computes on them. (go vet
	// -vettool gets the same facts from its build cache, faster.)
	cfg := &packages.Config{Context: ctx, Mode: packages.LoadAllSyntax | packages.NeedModule}
	if *tags != "" {
		cfg.BuildFlags = []string{"-tags=" + *tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "cachegen vet: %v\n", err)
		return exitFail
	}
	var loadErrs int
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			loadErrs++
		}
	})
	if loadErrs > 0 {
		return exitFail
	}
	g, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	if err != nil {
		fmt.Fprintf(stderr, "cachegen vet: %v\n", err)
		return exitFail
	}
	if *asJSON {
		if err := g.PrintJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "cachegen vet: %v\n", err)
			return exitFail
		}
	}
	code := exitOK
	var findings []finding
	for act := range g.All() {
		if !act.IsRoot {
			continue
		}
		if act.Err != nil {
			fmt.Fprintf(stderr, "cachegen vet: %s: %v\n", act.Package.PkgPath, act.Err)
			code = exitFail
		}
		for _, d := range act.Diagnostics {
			findings = append(findings, finding{act.Package.Fset.Position(d.Pos), d.Message})
			code = exitFail
		}
	}
	if !*asJSON {
		printFindings(stderr, findings)
	}
	return code
}

// finding is one diagnostic of a root package.
type finding struct {
	pos token.Position
	msg string
}

// printFindings prints findings as file:line:col: message, sorted by
// position, with file names relative to the working directory as go vet
// prints them.
func printFindings(w io.Writer, findings []finding) {
	slices.SortFunc(findings, func(a, b finding) int {
		return cmp.Or(cmp.Compare(a.pos.Filename, b.pos.Filename), cmp.Compare(a.pos.Line, b.pos.Line),
			cmp.Compare(a.pos.Column, b.pos.Column), cmp.Compare(a.msg, b.msg))
	})
	findings = slices.Compact(findings)
	for _, f := range findings {
		f.pos.Filename = relPath(f.pos.Filename)
		fmt.Fprintf(w, "%s: %s\n", f.pos, f.msg)
	}
}
