package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
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
			memo := strings.HasPrefix(name, "cachegenMemoTask")
			if !memo && !strings.HasPrefix(name, "cachegenTask") {
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
