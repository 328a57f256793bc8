package analyzer

import (
	"context"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/gen/directive"
)

// checkStale reports tasks whose wrapper was generated from other code than
// the source's now: the fingerprint recorded in cachegen_gen.go differs
// from the one the generator computes today. It also reports versioned
// tasks whose code changed since their version was first generated (a
// forgotten bump). It builds the package's tasks with the generator itself
// (gen.Inspect, loading the package once more), so the two can never
// disagree about what a fingerprint is. If the package does not build or
// has directive errors, other checks speak.
func checkStale(pass *analysis.Pass, st *state) {
	if st.genFile == nil || len(st.tasks) == 0 {
		return
	}
	if pass.Module != nil && pass.Module.Version != "" {
		// A dependency from the module cache: go vet analyses it for its
		// facts only, and its generated files are its authors' business.
		return
	}
	recorded := gen.ReadRecorded(st.genFile)
	if len(recorded) == 0 {
		return
	}
	dir := filepath.Dir(pass.Fset.Position(st.genFile.Package).Filename)
	tasks, errs, err := gen.Inspect(context.Background(), gen.Config{Dir: dir, Patterns: []string{"."}})
	if err != nil || len(errs) > 0 {
		return
	}
	current := make(map[gen.RecordKey]*gen.Task)
	for _, t := range tasks {
		current[gen.RecordKey{ID: t.ID, Memo: t.Kind == directive.Memo}] = t
	}
	for _, t := range st.tasks {
		if t.bad {
			continue
		}
		k := gen.RecordKey{ID: pass.Pkg.Path() + "." + directive.FuncName(t.decl), Memo: t.dir.Kind == directive.Memo}
		rec, ok := recorded[k]
		cur := current[k]
		if !ok || cur == nil {
			continue
		}
		pos := position(pass.Fset.File(t.decl.Pos()), t.dir.Pos)
		if rec.Fingerprint != cur.Fingerprint.Digest {
			pass.Report(analysis.Diagnostic{
				Pos: pos,
				Message: directive.FuncName(t.decl) + ": the generated wrapper is stale (fingerprint " + rec.Fingerprint +
					" in " + gen.FileName + ", " + cur.Fingerprint.Digest + " in the source); run go generate",
			})
		}
		if msg := cur.ForgottenBump(); msg != "" {
			pass.Report(analysis.Diagnostic{Pos: pos, Message: msg, SuggestedFixes: bumpFix(pass, t)})
		}
	}
}

// bumpFix offers to bump an integer version=N to N+1 (the mechanical fix
// of a forgotten bump); other versions have no obvious successor.
func bumpFix(pass *analysis.Pass, t task) []analysis.SuggestedFix {
	o, ok := t.dir.Option("version")
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(o.Value)
	rel := o.Pos.Offset - t.dir.Pos.Offset
	if err != nil || n < 0 || rel < 0 || !strings.HasPrefix(t.dir.Text[rel:], "version="+o.Value) {
		return nil // a quoted or unusual spelling: leave it to the user
	}
	start := position(pass.Fset.File(t.decl.Pos()), o.Pos) + token.Pos(len("version="))
	next := strconv.Itoa(n + 1)
	return []analysis.SuggestedFix{{
		Message:   "bump to version=" + next,
		TextEdits: []analysis.TextEdit{{Pos: start, End: start + token.Pos(len(o.Value)), NewText: []byte(next)}},
	}}
}
