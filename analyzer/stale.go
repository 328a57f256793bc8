package analyzer

import (
	"context"
	"go/ast"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cachegen/cachegen/gen"
	"github.com/cachegen/cachegen/gen/directive"
)

// taskKey names a task in both the generated file and the source.
type taskKey struct {
	id   string
	memo bool
}

// recordedFingerprints reads the task descriptors of cachegen_gen.go
// (var cachegenTaskF = cgrt.Task{ID: …, Fingerprint: …}) without type
// information: only string literals are trusted.
func recordedFingerprints(f *ast.File) map[taskKey]string {
	out := make(map[taskKey]string)
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || len(vs.Values) != 1 {
				continue
			}
			name := vs.Names[0].Name
			memo := strings.HasPrefix(name, "cachegenMemoTask")
			if !memo && !strings.HasPrefix(name, "cachegenTask") {
				continue
			}
			lit, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				continue
			}
			fields := stringFields(lit)
			if fields["ID"] != "" {
				out[taskKey{fields["ID"], memo}] = fields["Fingerprint"]
			}
		}
	}
	return out
}

// stringFields returns the string-literal fields of a keyed composite literal.
func stringFields(lit *ast.CompositeLit) map[string]string {
	fields := make(map[string]string)
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		k, ok1 := kv.Key.(*ast.Ident)
		v, ok2 := kv.Value.(*ast.BasicLit)
		if !ok1 || !ok2 || v.Kind != token.STRING {
			continue
		}
		if s, err := strconv.Unquote(v.Value); err == nil {
			fields[k.Name] = s
		}
	}
	return fields
}

// checkStale reports tasks whose wrapper was generated from other code than
// the source's now: the fingerprint recorded in cachegen_gen.go differs
// from the one the generator computes today. It builds the package's tasks
// with the generator itself (gen.Inspect, loading the package once more),
// so the two can never disagree about what a fingerprint is. If the
// package does not build or has directive errors, other checks speak.
func checkStale(pass *analysis.Pass, st *state) {
	if st.genFile == nil || len(st.tasks) == 0 {
		return
	}
	recorded := recordedFingerprints(st.genFile)
	if len(recorded) == 0 {
		return
	}
	dir := filepath.Dir(pass.Fset.Position(st.genFile.Package).Filename)
	tasks, errs, err := gen.Inspect(context.Background(), gen.Config{Dir: dir, Patterns: []string{"."}})
	if err != nil || len(errs) > 0 {
		return
	}
	current := make(map[taskKey]string)
	for _, t := range tasks {
		current[taskKey{t.ID, t.Kind == directive.Memo}] = t.Fingerprint.Digest
	}
	for _, t := range st.tasks {
		if t.bad {
			continue
		}
		k := taskKey{pass.Pkg.Path() + "." + directive.FuncName(t.decl), t.dir.Kind == directive.Memo}
		rec, ok := recorded[k]
		if cur := current[k]; ok && cur != "" && rec != cur {
			pass.Report(analysis.Diagnostic{
				Pos: position(pass.Fset.File(t.decl.Pos()), t.dir.Pos),
				Message: directive.FuncName(t.decl) + ": the generated wrapper is stale (fingerprint " + rec +
					" in " + gen.FileName + ", " + cur + " in the source); run go generate",
			})
		}
	}
}
