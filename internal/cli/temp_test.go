package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGCRemovesOldTempFiles checks that gc and purge -all reclaim the
// temporary files of writes that never finished (a crashed writer), once
// they are an hour old, and leave young ones (a writer in progress) and
// dry runs alone.
func TestGCRemovesOldTempFiles(t *testing.T) {
	dir := t.TempDir()
	plant := func(name string, age time.Duration) string {
		t.Helper()
		path := filepath.Join(dir, "cache", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("half a value"), 0o600); err != nil {
			t.Fatal(err)
		}
		then := time.Now().Add(-age)
		if err := os.Chtimes(path, then, then); err != nil {
			t.Fatal(err)
		}
		return path
	}
	exists := func(path string) bool { _, err := os.Stat(path); return err == nil }
	store := "file://" + dir
	for _, c := range []struct {
		args    []string
		removed bool
	}{
		{[]string{"gc", "-n", "-older-than", "1000h", "-store", store}, false},
		{[]string{"purge", "-n", "-all", "-store", store}, false},
		{[]string{"gc", "-older-than", "1000h", "-store", store}, true},
		{[]string{"purge", "-all", "-store", store}, true},
	} {
		old, young := plant(".tmp-old", 2*time.Hour), plant(".tmp-young", time.Minute)
		var out bytes.Buffer
		if code := run(context.Background(), c.args, &out, &out); code != 0 {
			t.Fatalf("%v: exit %d\n%s", c.args, code, out.String())
		}
		if exists(old) == c.removed || !exists(young) {
			t.Errorf("%v: old temp file there %v, young there %v; want old removed %v, young kept\n%s",
				c.args, exists(old), exists(young), c.removed, out.String())
		}
		if said := strings.Contains(out.String(), "removed 1 temporary file of interrupted writes"); said != c.removed {
			t.Errorf("%v: output %q", c.args, out.String())
		}
	}
}
