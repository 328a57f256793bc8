package gen

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// versionModule writes a module with one versioned task whose body is
// body, and returns its directory.
func writeVersioned(t *testing.T, dir, version, body string) {
	t.Helper()
	src := "package v\n\n" +
		"func helper(x int) int { return x + 1 }\n\n" +
		"// Work is versioned.\n//\n//cache:task version=" + version + "\n" +
		"func Work(x int) int { " + body + " }\n\n" +
		"// Plain has no version.\n//\n//cache:task\nfunc Plain(x int) int { return x }\n"
	files := map[string]string{"go.mod": "module example.com/v\n\ngo 1.26\n", "v.go": src}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// generateAndWrite generates dir with accept and writes the result; it
// returns the warnings, and the generated Work descriptor as recorded.
func generateAndWrite(t *testing.T, dir string, accept ...string) ([]*Error, Recorded) {
	t.Helper()
	res, err := Generate(context.Background(), Config{Dir: dir, Accept: accept})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if err := res.Write(); err != nil {
		t.Fatal(err)
	}
	rec := make(map[RecordKey]Recorded)
	readRecordedFile(filepath.Join(dir, FileName), rec)
	return res.Warnings, rec[RecordKey{ID: "example.com/v.Work"}]
}

// TestVersionCode follows a versioned task through the forgotten-bump
// cycle: the code fingerprint recorded at the first generation of a
// version survives regeneration after a body edit (and a warning says so),
// -accept resets it, a comment-only edit never warns, and a new version
// starts from the code as it is.
func TestVersionCode(t *testing.T) {
	dir := t.TempDir()
	writeVersioned(t, dir, "1", "return helper(x)")
	warns, first := generateAndWrite(t, dir)
	if len(warns) != 0 || first.Version != "1" || len(first.VersionCode) != 16 {
		t.Fatalf("first generation: warnings %v, record %+v", warns, first)
	}

	writeVersioned(t, dir, "1", "return helper(x) /* a comment only */")
	if warns, rec := generateAndWrite(t, dir); len(warns) != 0 || rec.VersionCode != first.VersionCode {
		t.Fatalf("comment-only edit: warnings %v, VersionCode %s, want %s", warns, rec.VersionCode, first.VersionCode)
	}

	writeVersioned(t, dir, "1", "return helper(x) * 2")
	warns, edited := generateAndWrite(t, dir)
	if edited.VersionCode != first.VersionCode || edited.Fingerprint != first.Fingerprint {
		t.Errorf("body edit under the same version: record %+v, want VersionCode and Fingerprint of %+v", edited, first)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Msg, "Work: code changed since version=1 was first generated") ||
		!strings.Contains(warns[0].Msg, "cachegen -accept=Work") || warns[0].Pos.Line != 7 {
		t.Errorf("warnings = %v, want one at line 7 naming Work and -accept", warns)
	}
	// Generating again keeps warning: the baseline is the first generation's.
	if warns, _ := generateAndWrite(t, dir); len(warns) != 1 {
		t.Errorf("second regeneration: %d warnings, want 1", len(warns))
	}

	warns, accepted := generateAndWrite(t, dir, "Work")
	if len(warns) != 0 || accepted.VersionCode == first.VersionCode || accepted.Fingerprint != first.Fingerprint {
		t.Errorf("-accept=Work: warnings %v, record %+v (first %+v)", warns, accepted, first)
	}
	if warns, rec := generateAndWrite(t, dir); len(warns) != 0 || rec.VersionCode != accepted.VersionCode {
		t.Errorf("after accept: warnings %v, VersionCode %s, want %s", warns, rec.VersionCode, accepted.VersionCode)
	}

	writeVersioned(t, dir, "2", "return helper(x) * 3")
	warns, bumped := generateAndWrite(t, dir)
	if len(warns) != 0 || bumped.Version != "2" || bumped.VersionCode == accepted.VersionCode || bumped.Fingerprint == first.Fingerprint {
		t.Errorf("bump to 2: warnings %v, record %+v", warns, bumped)
	}
}

// TestAcceptErrors checks that -accept names a versioned task of the
// packages: a typo or an unversioned task is an error, not a silent keep.
func TestAcceptErrors(t *testing.T) {
	dir := t.TempDir()
	writeVersioned(t, dir, "1", "return x")
	for _, tc := range []struct{ name, want string }{
		{"Wrok", "-accept=Wrok: no task Wrok in the packages"},
		{"Plain", "-accept=Plain: Plain has no version="},
		{"example.com/v.Work", ""},
	} {
		res, err := Generate(context.Background(), Config{Dir: dir, Accept: []string{tc.name}})
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if len(res.Errors) > 0 {
			got = res.Errors[0].Msg
		}
		if (tc.want == "") != (got == "") || !strings.HasPrefix(got, tc.want) || len(res.Errors) > 1 {
			t.Errorf("-accept=%s: errors %v, want %q", tc.name, res.Errors, tc.want)
		}
	}
}
