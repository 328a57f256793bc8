package fs

import (
	"bytes"
	"errors"
	iofs "io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/backends/storetest"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) backends.Store { return newStore(t) })
}

func put(t *testing.T, s *Store, key, val string, opts backends.PutOptions) (backends.Info, error) {
	t.Helper()
	return s.Put(t.Context(), key, strings.NewReader(val), opts)
}

func mustPut(t *testing.T, s *Store, key, val string) backends.Info {
	t.Helper()
	info, err := put(t, s, key, val, backends.PutOptions{})
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	return info
}

func keys(t *testing.T, s *Store, prefix string) []string {
	t.Helper()
	var ks []string
	for info, err := range s.List(t.Context(), prefix) {
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		ks = append(ks, info.Key)
	}
	return ks
}

func TestPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	s, err := New(filepath.Join(t.TempDir(), "new", "store"))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	mustPut(t, s, "cache/ns/task/fp/0123", "value")
	n := 0
	err = filepath.WalkDir(s.Dir(), func(path string, d iofs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := iofs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s has permissions %v, want %v", path, got, want)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 { // root, cache, ns, task, fp, fan-out, object
		t.Errorf("walked %d entries, want 7", n)
	}
}

func TestLeftoversAreInvisible(t *testing.T) {
	s := newStore(t)
	mustPut(t, s, "a/b", "real")
	path, _ := s.objectPath("a/b")
	dir := filepath.Dir(path)
	// A crash mid-write leaves a temp file; a stray editor or tool leaves
	// files that look almost like objects.
	for name, content := range map[string]string{
		".tmp-123456": "partial",
		"c":           "no marker",
		"C#":          "upper case is not canonical",
		"%zz#":        "bad escape",
		"x##":         "double marker",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(s.Dir(), "a", "stray#"), []byte("not under a fan-out"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir#"), 0o700); err != nil {
		t.Fatal(err)
	}
	if got, want := keys(t, s, ""), []string{"a/b"}; !slices.Equal(got, want) {
		t.Errorf("List() = %q, want %q", got, want)
	}
	if _, _, err := s.Get(t.Context(), "a/stray"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Get of a stray file's name: err = %v, want ErrNotFound", err)
	}
}

func TestDirectoryAtObjectPathIsMissing(t *testing.T) {
	s := newStore(t)
	path, _ := s.objectPath("k")
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get(t.Context(), "k"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("Get: err = %v, want ErrNotFound", err)
	}
	if _, _, err := s.ReadAll(t.Context(), "k"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("ReadAll: err = %v, want ErrNotFound", err)
	}
}

func TestFailedPutLeavesNoTempFile(t *testing.T) {
	s := newStore(t)
	mustPut(t, s, "k", "old")
	if _, err := put(t, s, "k", "new", backends.PutOptions{IfAbsent: true}); !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("Put IfAbsent: err = %v, want ErrPrecondition", err)
	}
	path, _ := s.objectPath("k")
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("object directory holds %d entries after a failed put, want 1", len(entries))
	}
}

func TestTwoStoresShareADirectory(t *testing.T) {
	dir := t.TempDir()
	a, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	ia := mustPut(t, a, "lock/k", "held by a")
	if _, err := put(t, b, "lock/k", "b", backends.PutOptions{IfAbsent: true}); !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("b: Put IfAbsent of a's key: err = %v, want ErrPrecondition", err)
	}
	got, ib, err := b.ReadAll(t.Context(), "lock/k")
	if err != nil || string(got) != "held by a" || ib.Version != ia.Version {
		t.Fatalf("b: ReadAll = %q, %q, %v; want %q, %q", got, ib.Version, err, "held by a", ia.Version)
	}
	if _, err := put(t, b, "lock/k", "renewed by b", backends.PutOptions{IfVersion: ia.Version}); err != nil {
		t.Fatalf("b: Put IfVersion: %v", err)
	}
	if _, err := put(t, a, "lock/k", "stale a", backends.PutOptions{IfVersion: ia.Version}); !errors.Is(err, backends.ErrPrecondition) {
		t.Fatalf("a: Put IfVersion with a stale version: err = %v, want ErrPrecondition", err)
	}

	// A counter incremented through both stores ends exact.
	mustPut(t, a, "n", "")
	var wg sync.WaitGroup
	for i := range 6 {
		s := []*Store{a, b}[i%2]
		wg.Go(func() {
			for range 10 {
				for {
					v, info, err := s.ReadAll(t.Context(), "n")
					if err != nil {
						t.Error(err)
						return
					}
					_, err = s.Put(t.Context(), "n", bytes.NewReader(append(v, 'x')), backends.PutOptions{IfVersion: info.Version})
					if err == nil {
						break
					}
					if !errors.Is(err, backends.ErrPrecondition) {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if v, _, _ := b.ReadAll(t.Context(), "n"); len(v) != 60 {
		t.Errorf("counter = %d, want 60", len(v))
	}
}

func TestOddKeysRoundTrip(t *testing.T) {
	s := newStore(t)
	odd := []string{
		"", "a/", "/a", "a//b", ".", "..", "./..", ".tmp-1", "#00", "a#", "x#c/y", "Upper/lower", "upper/lower",
		"%", "%25", "!", "sp ace", "tab\t", "nul\x00", "é", "con/aux/nul", "a:b*c?d\"e<f>g|h\\i",
		strings.Repeat("long", 200), strings.Repeat(".", 400) + "/" + strings.Repeat("Z", 300),
	}
	for i, k := range odd {
		mustPut(t, s, k, k+string(rune('0'+i)))
	}
	for i, k := range odd {
		got, info, err := s.ReadAll(t.Context(), k)
		if err != nil || string(got) != k+string(rune('0'+i)) || info.Key != k {
			t.Errorf("ReadAll(%q) = %q, %q, %v", k, got, info.Key, err)
		}
	}
	want := slices.Clone(odd)
	slices.Sort(want)
	if got := keys(t, s, ""); !slices.Equal(got, want) {
		t.Errorf("List() = %q\nwant %q", got, want)
	}
	if got := keys(t, s, "upper/"); !slices.Equal(got, []string{"upper/lower"}) {
		t.Errorf(`List("upper/") = %q, want only "upper/lower"`, got)
	}
}

func TestReadAllMatchesGet(t *testing.T) {
	s := newStore(t)
	put := mustPut(t, s, "k", "value")
	b, ri, err := s.ReadAll(t.Context(), "k")
	if err != nil || string(b) != "value" {
		t.Fatalf("ReadAll = %q, %v", b, err)
	}
	rc, gi, err := s.Get(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if ri != gi || ri.Version != put.Version || !ri.Modified.Equal(put.Modified) || cap(b) != len(b) {
		t.Errorf("ReadAll Info %+v, Get Info %+v, Put Info %+v, cap %d", ri, gi, put, cap(b))
	}
	if _, _, err := s.ReadAll(t.Context(), "missing"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("ReadAll(missing): err = %v, want ErrNotFound", err)
	}
}

func TestErrorsNameOperationAndKey(t *testing.T) {
	s := newStore(t)
	_, _, err := s.Get(t.Context(), "cache/x")
	if err == nil || !strings.HasPrefix(err.Error(), "fs: get cache/x: ") {
		t.Errorf("Get error = %v, want it to start with %q", err, "fs: get cache/x: ")
	}
	if err := s.Delete(t.Context(), "cache/x"); err == nil || !strings.HasPrefix(err.Error(), "fs: delete cache/x: ") {
		t.Errorf("Delete error = %v", err)
	}
}

func TestOpenURL(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	s, err := backends.Open(ctx, "file://"+filepath.ToSlash(dir))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if got := s.(*Store).Dir(); got != dir {
		t.Errorf("Dir() = %q, want %q", got, dir)
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "xdg"))
	t.Setenv("HOME", dir)
	s, err = backends.Open(ctx, "file://")
	if err != nil {
		t.Fatalf("Open(file://): %v", err)
	}
	want, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if got := s.(*Store).Dir(); got != want || !strings.HasPrefix(got, dir) {
		t.Errorf("file:// opened %q, want the default %q under %q", got, want, dir)
	}
	for _, bad := range []string{"file:rel/dir", "file://rel/dir", "file:///abs?x=1", "file://host/abs"} {
		if _, err := backends.Open(ctx, bad); err == nil || !strings.Contains(err.Error(), "file:///absolute/dir") {
			t.Errorf("Open(%q) = %v, want an error showing file:///absolute/dir", bad, err)
		}
	}
}
