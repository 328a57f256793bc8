package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"iter"
	"os"
	"strconv"
	"strings"

	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/taskname"
	"github.com/cachegen/cachegen/internal/srchash"
)

// Recorded is what a generated file says about one of its tasks: the
// string fields of its descriptor (var cachegenTaskF = cgrt.Task{...}).
// The generator reads it back from the previous cachegen_gen.go to keep a
// versioned task's VersionCode, and the analyzer compares it with the
// source.
type Recorded struct {
	ID          string
	Memo        bool   // a //memo:task descriptor (cachegenMemoTask...)
	Fingerprint string // the key's code fingerprint when the file was generated
	Version     string // version=, "" when absent
	// VersionCode is, for a versioned task, the fingerprint of its code
	// (as if it had no version=) when this version was first generated or
	// last accepted with cachegen -accept.
	VersionCode string
	// Code is, for a versioned task, the fingerprint of its code when the
	// file was generated.
	Code string
	// Sources are the declarations the task's fingerprint covers, with the
	// hashes of their syntax when the file was generated.
	Sources []srchash.Source
}

// RecordKey names a task in a generated file.
type RecordKey struct {
	ID   string
	Memo bool
}

// ReadRecorded returns the task descriptors of a generated file, by task.
// It needs no type information: only string literals are trusted, so a
// hand-edited or half-written file yields fewer records, never an error.
func ReadRecorded(f *ast.File) map[RecordKey]Recorded {
	out := make(map[RecordKey]Recorded)
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
			memo := strings.HasPrefix(name, taskname.Prefix(directive.Memo, "Task"))
			if !memo && !strings.HasPrefix(name, taskname.Prefix(directive.Cache, "Task")) {
				continue
			}
			lit, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				continue
			}
			fields := stringFields(lit)
			if fields["ID"] == "" {
				continue
			}
			out[RecordKey{fields["ID"], memo}] = Recorded{
				ID: fields["ID"], Memo: memo,
				Fingerprint: fields["Fingerprint"], Version: fields["Version"], VersionCode: fields["VersionCode"],
				Code: fields["Code"], Sources: sourcesField(lit),
			}
		}
	}
	return out
}

// sourcesField reads the Sources field of a descriptor: a list of keyed
// literals with string and bool fields. Entries it cannot read are left
// out.
func sourcesField(lit *ast.CompositeLit) []srchash.Source {
	var out []srchash.Source
	for name, v := range keyedFields(lit) {
		list, ok := v.(*ast.CompositeLit)
		if name != "Sources" || !ok {
			continue
		}
		for _, el := range list.Elts {
			item, ok := el.(*ast.CompositeLit)
			if !ok {
				continue
			}
			f := stringFields(item)
			s := srchash.Source{Pkg: f["Pkg"], File: f["File"], Name: f["Name"], Hash: f["Hash"], Task: trueField(item, "Task"), Code: trueField(item, "Code")}
			if s.Pkg != "" && s.Name != "" && s.Hash != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// keyedFields yields the field names and values of a keyed composite
// literal; elements without an identifier key are skipped.
func keyedFields(lit *ast.CompositeLit) iter.Seq2[string, ast.Expr] {
	return func(yield func(string, ast.Expr) bool) {
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if k, ok := kv.Key.(*ast.Ident); ok && !yield(k.Name, kv.Value) {
				return
			}
		}
	}
}

// trueField reports whether a keyed literal sets field name to true.
func trueField(lit *ast.CompositeLit, name string) bool {
	for k, v := range keyedFields(lit) {
		if id, ok := v.(*ast.Ident); ok && k == name && id.Name == "true" {
			return true
		}
	}
	return false
}

// stringFields returns the string-literal fields of a keyed composite literal.
func stringFields(lit *ast.CompositeLit) map[string]string {
	fields := make(map[string]string)
	for k, v := range keyedFields(lit) {
		if bl, ok := v.(*ast.BasicLit); ok && bl.Kind == token.STRING {
			if s, err := strconv.Unquote(bl.Value); err == nil {
				fields[k] = s
			}
		}
	}
	return fields
}

// readRecordedFile reads the records of the generated file at path; a
// file that is missing or does not parse has none.
func readRecordedFile(path string, into map[RecordKey]Recorded) {
	src, err := os.ReadFile(path)
	if err != nil {
		return
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
	if err != nil {
		return
	}
	for k, r := range ReadRecorded(f) {
		into[k] = r
	}
}
