package backends_test

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/fs"
	"github.com/cachegen/cachegen/backends/memory"
	"github.com/cachegen/cachegen/backends/storetest"
)

func newTiered(t *testing.T, levels ...backends.Store) *backends.Tiered {
	t.Helper()
	ts, err := backends.NewTiered(levels...)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// TestTieredConformance runs the store suite on a file store in front of
// a memory store, and on three memory levels.
func TestTieredConformance(t *testing.T) {
	opts := storetest.Options{SharedVersions: true}
	t.Run("fs+memory", func(t *testing.T) {
		storetest.RunOptions(t, func(t *testing.T) backends.Store {
			local, err := fs.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return newTiered(t, local, memory.New())
		}, opts)
	})
	t.Run("memory×3", func(t *testing.T) {
		storetest.RunOptions(t, func(t *testing.T) backends.Store {
			return newTiered(t, memory.New(), memory.New(), memory.New())
		}, opts)
	})
}

func value(t *testing.T, s backends.Store, key string) (string, backends.Info) {
	t.Helper()
	rc, info, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), info
}

func put(t *testing.T, s backends.Store, key, v string, opts backends.PutOptions) backends.Info {
	t.Helper()
	info, err := s.Put(context.Background(), key, strings.NewReader(v), opts)
	if err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
	return info
}

// TestTieredFill checks that a value found on the far level is copied to
// the near one, and that writes reach both.
func TestTieredFill(t *testing.T) {
	near, far := memory.New(), memory.New()
	ts := newTiered(t, near, far)
	put(t, far, "cache/a", "from far", backends.PutOptions{})
	if v, info := value(t, ts, "cache/a"); v != "from far" || !strings.HasPrefix(info.Version, "1:") {
		t.Fatalf("tiered get = %q %+v", v, info)
	}
	if v, _ := value(t, near, "cache/a"); v != "from far" {
		t.Fatalf("near level after a far hit holds %q", v)
	}
	if _, info := value(t, ts, "cache/a"); !strings.HasPrefix(info.Version, "0:") {
		t.Fatalf("second get served from %q, want the near level", info.Version)
	}
	if data, _, err := ts.ReadAll(context.Background(), "cache/a"); err != nil || string(data) != "from far" {
		t.Fatalf("ReadAll = %q, %v", data, err)
	}
	put(t, ts, "cache/b", "both", backends.PutOptions{})
	for _, l := range []backends.Store{near, far} {
		if v, _ := value(t, l, "cache/b"); v != "both" {
			t.Fatalf("a level holds %q after a tiered put", v)
		}
	}
}

// TestTieredShared checks that leases and conditional writes live on the
// far level only, and that a conditional write clears the near copy.
func TestTieredShared(t *testing.T) {
	near, far := memory.New(), memory.New()
	ts := newTiered(t, near, far)
	put(t, ts, "lock/ns/t/f/d", "lease", backends.PutOptions{IfAbsent: true})
	if _, _, err := near.Get(context.Background(), "lock/ns/t/f/d"); !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("a lease reached the near level: %v", err)
	}
	put(t, near, "manifest/x", "stale near copy", backends.PutOptions{})
	put(t, ts, "manifest/x", "first", backends.PutOptions{IfAbsent: true})
	if v, _ := value(t, ts, "manifest/x"); v != "first" {
		t.Fatalf("after a conditional write, get = %q; the near copy was not cleared", v)
	}
	if _, err := ts.Put(context.Background(), "manifest/x", strings.NewReader("second"), backends.PutOptions{IfAbsent: true}); !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("second IfAbsent = %v", err)
	}
}

// TestTieredLevelDown uses a file store whose directory is replaced by a
// file as a failing near level: reads go on to the far level, writes
// still reach it, and the error names the failing level.
func TestTieredLevelDown(t *testing.T) {
	far := memory.New()
	put(t, far, "cache/a", "far", backends.PutOptions{})
	brokenDir := t.TempDir() + "/store"
	broken, err := fs.New(brokenDir)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTiered(t, broken, far)
	if err := removeAndBlock(brokenDir); err != nil {
		t.Fatal(err)
	}
	if v, _ := value(t, ts, "cache/a"); v != "far" {
		t.Fatalf("get with a broken near level = %q", v)
	}
	_, err = ts.Put(context.Background(), "cache/b", strings.NewReader("v"), backends.PutOptions{Size: 1})
	if err == nil || !strings.Contains(err.Error(), "level 0") {
		t.Fatalf("put with a broken near level: %v, want an error naming level 0", err)
	}
	if v, _ := value(t, far, "cache/b"); v != "v" {
		t.Fatalf("the far level holds %q after a put past a broken near level", v)
	}
}

// TestOpenTiered opens a URL list.
func TestOpenTiered(t *testing.T) {
	dir := t.TempDir()
	s, err := backends.Open(context.Background(), "file://"+dir+" | mem://")
	if err != nil {
		t.Fatal(err)
	}
	ts, ok := s.(*backends.Tiered)
	if !ok || len(ts.Levels()) != 2 {
		t.Fatalf("Open of a list = %T", s)
	}
	if _, err := backends.Open(context.Background(), "mem:// || mem://"); err == nil || !strings.Contains(err.Error(), "empty level") {
		t.Errorf("an empty level: %v", err)
	}
	if got := backends.Redact("mem:// | s3://AKIA:secret@b/p"); strings.Contains(got, "secret") || strings.Contains(got, "AKIA") {
		t.Errorf("Redact of a list = %q", got)
	}
}

// removeAndBlock replaces a file store's directory by a plain file, so
// every operation of the store fails.
func removeAndBlock(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.WriteFile(dir, []byte("not a directory"), 0o644)
}
