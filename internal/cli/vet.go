package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

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
	fs := newFlagSet("cachegen vet", help("vet"), stdout, stderr)
	asJSON := fs.Bool("json", false, "print findings as JSON")
	tags := fs.String("tags", "", "comma-separated build tags to load packages with")
	patterns, code, ok := parseInterleaved(fs, args)
	if !ok {
		return code
	}
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	res, err := analyzer.Run(ctx, patterns, tagFlags(*tags))
	if err != nil {
		return failed(stderr, "cachegen vet", err)
	}
	for _, e := range res.LoadErrors {
		fmt.Fprintln(stderr, e)
	}
	if len(res.LoadErrors) > 0 {
		return exitFail
	}
	if *asJSON {
		if err := res.Graph.PrintJSON(stdout); err != nil {
			return failed(stderr, "cachegen vet", err)
		}
	}
	for _, err := range res.Errors {
		fmt.Fprintf(stderr, "cachegen vet: %v\n", err)
	}
	for _, f := range res.Findings {
		if !*asJSON {
			f.Pos.Filename = relPath(f.Pos.Filename)
			fmt.Fprintf(stderr, "%s: %s\n", f.Pos, f.Message)
		}
	}
	if len(res.Errors) > 0 || len(res.Findings) > 0 {
		return exitFail
	}
	return exitOK
}
