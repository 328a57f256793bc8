package fs

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRemoveTemp(t *testing.T) {
	s := newStore(t)
	mustPut(t, s, "a/b", "value")
	path, _ := s.objectPath("a/b")
	dir := filepath.Dir(path)
	old, young := filepath.Join(dir, tempPrefix+"old"), filepath.Join(dir, tempPrefix+"young")
	for _, p := range []string{old, young} {
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	then := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(old, then, then); err != nil {
		t.Fatal(err)
	}
	n, err := s.RemoveTemp(t.Context(), time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("RemoveTemp = %d, %v; want 1, nil", n, err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("old temp file still there: %v", err)
	}
	if _, err := os.Stat(young); err != nil {
		t.Errorf("young temp file: %v", err)
	}
	if b, _, err := s.ReadAll(t.Context(), "a/b"); err != nil || string(b) != "value" {
		t.Errorf("object after RemoveTemp = %q, %v", b, err)
	}
}
