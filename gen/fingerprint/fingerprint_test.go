package fingerprint

import (
	"bytes"
	"cmp"
	"github.com/cachegen/cachegen/runtime"
	"path"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// replace replaces exactly one occurrence of old in s, and panics when
// there is none, so a case whose edit does not apply cannot pass silently.
func replace(s, old, new string) string {
	if strings.Count(s, old) != 1 {
		panic("test edit " + old + " does not occur exactly once")
	}
	return strings.Replace(s, old, new, 1)
}

// TestEdits loads every case of editCases before and after its edit (all
// cases as packages of one module, so two loads cover the table) and
// compares the task's fingerprints.
func TestEdits(t *testing.T) {
	before, after := map[string]string{}, map[string]string{}
	for _, c := range editCases {
		pkgPath := "MOD/" + c.name
		for name, src := range c.before {
			before[c.name+"/"+name] = strings.ReplaceAll(src, "PKG", pkgPath)
			after[c.name+"/"+name] = before[c.name+"/"+name]
		}
		for name, src := range c.after {
			after[c.name+"/"+name] = strings.ReplaceAll(src, "PKG", pkgPath)
		}
	}
	progB, rootsB := loadModule(t, writeModule(t, "1.26", before), LoadConfig{})
	progA, rootsA := loadModule(t, writeModule(t, "1.26", after), LoadConfig{})
	for _, c := range editCases {
		t.Run(c.name, func(t *testing.T) {
			pkgPath := testModule + "/" + c.name
			expand := func(s string) string {
				return strings.ReplaceAll(strings.ReplaceAll(s, "PKG", pkgPath), "MOD", testModule)
			}
			opts, optsAfter := Options{}, Options{}
			if c.opts != nil {
				opts, optsAfter = *c.opts, *c.opts
			}
			if c.optsAfter != nil {
				optsAfter = *c.optsAfter
			}
			taskAfter := cmp.Or(c.taskAfter, c.task)
			fpB := fingerprintOf(t, progB, rootsB, pkgPath, c.task, opts)
			fpA := fingerprintOf(t, progA, rootsA, pkgPath, taskAfter, optsAfter)
			diff := Diff(fpB, fpA)
			if got := fpB.Digest == fpA.Digest; got != c.same {
				t.Errorf("same digest = %v, want %v; changes: %+v", got, c.same, diff)
			}
			if c.same && len(diff) > 0 {
				t.Errorf("same fingerprint but Diff = %+v", diff)
			}
			if c.changed != "" {
				kind, name, _ := strings.Cut(expand(c.changed), " ")
				if !slices.ContainsFunc(diff, func(ch runtime.PartChange) bool { return string(ch.Part().Kind) == kind && ch.Part().Name == name }) {
					t.Errorf("part %s %s did not change; changes: %+v", kind, name, diff)
				}
			}
			if c.notFollowed != "" {
				want := expand(c.notFollowed)
				if !slices.ContainsFunc(fpA.NotFollowed, func(s string) bool { return strings.Contains(s, want) }) {
					t.Errorf("NotFollowed = %q, want an entry containing %q", fpA.NotFollowed, want)
				}
			}
			checkShape(t, fpA)
		})
	}
}

// checkShape checks the invariants of any fingerprint: hex digests, sorted
// unique parts, the parts every task has.
func checkShape(t *testing.T, fp Fingerprint) {
	t.Helper()
	if !isHex16(fp.Digest) {
		t.Errorf("Digest %q is not 16 hex digits", fp.Digest)
	}
	if fp.Digest != digest(fp.Parts) {
		t.Errorf("Digest %s is not the digest of the parts", fp.Digest)
	}
	kinds := map[runtime.PartKind]int{}
	for i, p := range fp.Parts {
		kinds[p.Kind]++
		if i > 0 {
			prev := fp.Parts[i-1]
			if prev.Kind > p.Kind || prev.Kind == p.Kind && prev.Name >= p.Name {
				t.Errorf("parts not sorted or not unique at %d: %v then %v", i, prev, p)
			}
		}
		if p.Kind != runtime.PartModule && p.Kind != runtime.PartGo && !isHex16(p.Hash) {
			t.Errorf("part %v: hash is not 16 hex digits", p)
		}
	}
	for _, k := range []runtime.PartKind{"decl", "signature", "options", "go"} {
		if kinds[k] != 1 {
			t.Errorf("%d parts of kind %s, want 1", kinds[k], k)
		}
	}
	if !slices.IsSorted(fp.NotFollowed) || len(slices.Compact(slices.Clone(fp.NotFollowed))) != len(fp.NotFollowed) {
		t.Errorf("NotFollowed not sorted and unique: %q", fp.NotFollowed)
	}
}

func isHex16(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// TestParts checks which parts a task reaches: helpers, methods, types,
// constants and variables of the module, but no locals, fields, or objects
// of the standard library.
func TestParts(t *testing.T) {
	dir := writeModule(t, "1.26", map[string]string{"p/a.go": helperSrc, "q/a.go": varSrc, "r/a.go": methodSrc})
	prog, roots := loadModule(t, dir, LoadConfig{})
	got := func(fp Fingerprint) []string {
		var s []string
		for _, p := range fp.Parts {
			s = append(s, string(p.Kind)+" "+strings.TrimPrefix(p.Name, testModule+"/"))
		}
		return s
	}
	tests := []struct {
		pkg, task string
		want      []string
	}{
		{"p", "Task", []string{"decl p.Task", "func p.deeper", "func p.helper", "go go", "options p.Task", "signature p.Task"}},
		{"q", "Task", []string{"decl q.Task", "func q.build", "go go", "options q.Task", "signature q.Task", "var q.built", "var q.table"}},
		{"r", "Embedded", []string{"decl r.Embedded", "go go", "method r.Inner.Promoted", "options r.Embedded", "signature r.Embedded", "type r.Inner", "type r.Outer"}},
	}
	for _, tt := range tests {
		fp := fingerprintOf(t, prog, roots, testModule+"/"+tt.pkg, tt.task, Options{})
		if g := got(fp); !slices.Equal(g, tt.want) {
			t.Errorf("%s.%s parts:\n got %q\nwant %q", tt.pkg, tt.task, g, tt.want)
		}
	}
	fp := fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{})
	for _, p := range fp.Parts {
		if p.Kind == runtime.PartFunc && (p.Pos == "" || path.Ext(strings.Split(p.Pos, ":")[0]) != ".go") {
			t.Errorf("part %v: Pos is not file.go:LINE", p)
		}
	}
}

// TestDeterministic checks that two loads of the same module give equal
// fingerprints, parts and notes included.
func TestDeterministic(t *testing.T) {
	files := map[string]string{"p/a.go": genericSrc, "q/a.go": methodSrc, "r/a.go": otherPkgSrc, "r/util/util.go": utilSrc}
	for name, src := range files {
		files[name] = strings.ReplaceAll(src, "PKG", "MOD/r")
	}
	dir := writeModule(t, "1.26", files)
	tasks := [][2]string{{"p", "Task"}, {"p", "Sum"}, {"q", "MethodValue"}, {"r", "Task"}}
	var runs [2][]Fingerprint
	for i := range runs {
		prog, roots := loadModule(t, dir, LoadConfig{})
		for _, task := range tasks {
			runs[i] = append(runs[i], fingerprintOf(t, prog, roots, testModule+"/"+task[0], task[1], Options{Key: "k"}))
		}
		// Hashing again from the Program's cache gives the same result.
		again := fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{Key: "k"})
		if !reflect.DeepEqual(again, runs[i][0]) {
			t.Errorf("cached Task differs:\n%+v\n%+v", again, runs[i][0])
		}
	}
	if !reflect.DeepEqual(runs[0], runs[1]) {
		t.Errorf("fingerprints differ across loads:\n%+v\n%+v", runs[0], runs[1])
	}
}

// TestDebug checks that the debug writer receives the text of every part.
func TestDebug(t *testing.T) {
	dir := writeModule(t, "1.26", map[string]string{"p/a.go": helperSrc})
	var buf bytes.Buffer
	prog, roots := loadModule(t, dir, LoadConfig{Debug: &buf})
	fp := fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{})
	out := buf.String()
	for _, p := range fp.Parts {
		if !strings.Contains(out, "-- "+string(p.Kind)+" "+p.Name+" "+p.Hash) {
			t.Errorf("debug output lacks part %v", p)
		}
	}
	for _, want := range []string{"(Ident helper @example.com/m/p)", "-- digest " + fp.Digest} {
		if !strings.Contains(out, want) {
			t.Errorf("debug output lacks %q:\n%s", want, out)
		}
	}
}

// TestGoVersion checks that the go line of go.mod counts.
func TestGoVersion(t *testing.T) {
	files := map[string]string{"p/a.go": helperSrc}
	var fps []Fingerprint
	for _, v := range []string{"1.25", "1.26"} {
		prog, roots := loadModule(t, writeModule(t, v, files), LoadConfig{})
		fp := fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{})
		if !slices.Contains(fp.Parts, Part{Kind: runtime.PartGo, Name: "go", Hash: v}) {
			t.Errorf("go %s: parts %v lack the go part", v, fp.Parts)
		}
		fps = append(fps, fp)
	}
	if fps[0].Digest == fps[1].Digest {
		t.Errorf("go version change kept the digest %s", fps[0].Digest)
	}
	// A patch release is the same language.
	prog, roots := loadModule(t, writeModule(t, "1.26.0", files), LoadConfig{})
	if fp := fingerprintOf(t, prog, roots, testModule+"/p", "Task", Options{}); fp.Digest != fps[1].Digest {
		t.Errorf("go 1.26.0 gave digest %s, go 1.26 gave %s; want the same", fp.Digest, fps[1].Digest)
	}
}

// TestDiff checks added, removed and changed parts, and that a moved part
// is no change.
func TestDiff(t *testing.T) {
	old := Fingerprint{Parts: []Part{
		{Kind: runtime.PartDecl, Name: "m.F", Hash: "1", Pos: "a.go:1"},
		{Kind: runtime.PartFunc, Name: "m.gone", Hash: "2"},
		{Kind: runtime.PartFunc, Name: "m.same", Hash: "3", Pos: "a.go:9"},
	}}
	new := Fingerprint{Parts: []Part{
		{Kind: runtime.PartDecl, Name: "m.F", Hash: "9", Pos: "a.go:1"},
		{Kind: runtime.PartFunc, Name: "m.same", Hash: "3", Pos: "a.go:20"},
		{Kind: runtime.PartConst, Name: "m.C", Hash: "4"},
	}}
	got := Diff(old, new)
	want := []runtime.PartChange{
		{Change: runtime.Added, New: Part{Kind: runtime.PartConst, Name: "m.C", Hash: "4"}},
		{Change: runtime.Changed, Old: old.Parts[0], New: new.Parts[0]},
		{Change: runtime.Removed, Old: old.Parts[1]},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff =\n%+v\nwant\n%+v", got, want)
	}
	if d := Diff(new, new); len(d) != 0 {
		t.Errorf("Diff(x, x) = %+v", d)
	}
}

// TestConcurrent checks that tasks of one Program can be hashed from
// several goroutines (run with -race) with the sequential results.
func TestConcurrent(t *testing.T) {
	dir := writeModule(t, "1.26", map[string]string{"p/a.go": benchSource(8)})
	tasks := []string{"Task0", "Task1", "Task2", "Task3", "Task4", "Task5", "Task6", "Task7"}
	prog, roots := loadModule(t, dir, LoadConfig{})
	want := make([]Fingerprint, len(tasks))
	for i, task := range tasks {
		want[i] = fingerprintOf(t, prog, roots, testModule+"/p", task, Options{})
	}
	prog, roots = loadModule(t, dir, LoadConfig{})
	pkg := findPackage(t, roots, testModule+"/p")
	got := make([]Fingerprint, len(tasks))
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, task := range tasks {
		decl := findDecl(t, pkg, task)
		wg.Go(func() { got[i], errs[i] = prog.Task(pkg, decl, Options{}) })
	}
	wg.Wait()
	for i := range tasks {
		if errs[i] != nil || !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("%s: concurrent %+v, %v; sequential %+v", tasks[i], got[i], errs[i], want[i])
		}
	}
}
