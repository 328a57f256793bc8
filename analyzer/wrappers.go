package analyzer

import (
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/cachegen/cachegen/gen/directive"
)

// checkWrappers reports a directive whose wrapper is missing from
// cachegen_gen.go, and a wrapper there whose directive is gone (check 2).
func checkWrappers(pass *analysis.Pass, st *state) {
	have := make(map[string]bool, len(st.wrappers))
	for _, w := range st.wrappers {
		have[funcName(pass, w)] = true
	}
	want := make(map[string]bool, len(st.tasks))
	anyBad := false
	for _, t := range st.tasks {
		name := wrapperName(pass, t)
		want[name] = true
		anyBad = anyBad || t.bad
		if t.bad || have[name] {
			continue // a directive with errors is reported as such
		}
		pass.Report(analysis.Diagnostic{
			Pos: position(pass.Fset.File(t.decl.Pos()), t.dir.Pos),
			Message: fmt.Sprintf("%s has no generated wrapper %s; run go generate",
				funcName(pass, t.decl), name),
		})
	}
	if anyBad {
		// A broken name= may hide which wrapper a directive wants: say
		// nothing about wrappers until the directives are fixed.
		return
	}
	for _, w := range st.wrappers {
		name := funcName(pass, w)
		if want[name] {
			continue
		}
		kind := directive.Cache
		if strings.HasSuffix(name, "Memo") {
			kind = directive.Memo
		}
		pass.Report(analysis.Diagnostic{
			Pos:     w.Name.Pos(),
			Message: fmt.Sprintf("%s has no //%s directive any more; run go generate", name, kind),
		})
	}
}
