package gen

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/cachegen/cachegen/internal/srchash"
)

// FuzzReadRecorded checks that ReadRecorded never panics on a file that
// parses, and that it returns exactly the fields of a descriptor written
// the way the emitter writes them.
func FuzzReadRecorded(f *testing.F) {
	goldens, _ := filepath.Glob("../testdata/gen/*/want/" + FileName)
	for _, g := range goldens {
		if src, err := os.ReadFile(g); err == nil {
			f.Add(string(src), "", "", "", "")
		}
	}
	f.Add("package p\nvar cachegenTaskF = cgrt.Task{ID: 1}\n", "example.com/m.F", "0123456789abcdef", "2", "fedcba9876543210")
	f.Add("package p\nvar cachegenMemoTaskF, x = cgrt.Task{}, 2\n", "p.F", "", "", "")
	f.Fuzz(func(t *testing.T, src, id, fp, version, code string) {
		if file, err := parser.ParseFile(token.NewFileSet(), "a.go", src, parser.SkipObjectResolution); err == nil {
			for k, r := range ReadRecorded(file) {
				if k.ID == "" || r.ID != k.ID || r.Memo != k.Memo {
					t.Fatalf("record %+v under key %+v", r, k)
				}
			}
		}
		if id == "" {
			return
		}
		desc := "package p\n\nvar cachegenTaskF = cgrt.Task{\n\tID: " + strconv.Quote(id) + ",\n\tFingerprint: " + strconv.Quote(fp) +
			",\n\tVersion: " + strconv.Quote(version) + ",\n\tVersionCode: " + strconv.Quote(code) + ",\n\tTTL: 5,\n" +
			"\tSources: []cgrt.Source{\n\t\t{Pkg: " + strconv.Quote(id) + ", File: \"a.go\", Name: \"F\", Hash: " + strconv.Quote(fp) + ", Task: true},\n\t},\n}\n"
		file, err := parser.ParseFile(token.NewFileSet(), "a.go", desc, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("descriptor does not parse: %v\n%s", err, desc)
		}
		got := ReadRecorded(file)
		want := Recorded{ID: id, Fingerprint: fp, Version: version, VersionCode: code}
		if fp != "" {
			want.Sources = []srchash.Source{{Pkg: id, File: "a.go", Name: "F", Hash: fp, Task: true}}
		}
		if len(got) != 1 || !reflect.DeepEqual(got[RecordKey{ID: id}], want) {
			t.Fatalf("ReadRecorded = %+v, want %+v", got, want)
		}
	})
}
