package analyzer

import (
	"cmp"
	"context"
	"fmt"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// Finding is one diagnostic of a package the patterns named.
type Finding struct {
	Pos     token.Position
	Message string
}

// Result is what [Run] found.
type Result struct {
	// Graph is the checker's graph of actions, for its JSON form
	// (checker.Graph.PrintJSON); nil when loading failed.
	Graph *checker.Graph
	// LoadErrors are the packages' errors (syntax, types): the analyzer
	// did not run when there are any.
	LoadErrors []packages.Error
	// Findings are sorted by position and message, without repeats.
	Findings []Finding
	// Errors are the analyzer's own failures, one per package.
	Errors []error
}

// Run loads the packages the patterns match (with buildFlags, such as
// "-tags=x") and runs [Analyzer] over them: what "cachegen vet" does.
// Dependencies are loaded with syntax too: the analyzer follows helpers in
// other packages of the module through facts it computes on them (go vet
// -vettool gets the same facts from its build cache, faster).
func Run(ctx context.Context, patterns, buildFlags []string) (*Result, error) {
	cfg := &packages.Config{Context: ctx, Mode: packages.LoadAllSyntax | packages.NeedModule, BuildFlags: buildFlags}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	packages.Visit(pkgs, nil, func(p *packages.Package) { res.LoadErrors = append(res.LoadErrors, p.Errors...) })
	if len(res.LoadErrors) > 0 {
		return res, nil
	}
	if res.Graph, err = checker.Analyze([]*analysis.Analyzer{Analyzer}, pkgs, nil); err != nil {
		return nil, err
	}
	for act := range res.Graph.All() {
		if !act.IsRoot {
			continue
		}
		if act.Err != nil {
			res.Errors = append(res.Errors, fmt.Errorf("%s: %w", act.Package.PkgPath, act.Err))
		}
		for _, d := range act.Diagnostics {
			res.Findings = append(res.Findings, Finding{act.Package.Fset.Position(d.Pos), d.Message})
		}
	}
	slices.SortFunc(res.Findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Pos.Filename, b.Pos.Filename), cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column), cmp.Compare(a.Message, b.Message))
	})
	res.Findings = slices.Compact(res.Findings)
	return res, nil
}
