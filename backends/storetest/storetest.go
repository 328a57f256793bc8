package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cachegen/cachegen/backends"
)

// Harness makes a fresh, empty store for one subtest. It registers any
// cleanup (closing the store, stopping a server) with t.Cleanup, and calls
// t.Fatal or t.Skip when it cannot make one.
type Harness func(t *testing.T) backends.Store

// Options tune the suite for a store. The zero value suits a local store:
// [Run] uses it.
type Options struct {
	// Large is the length of the value the streaming test writes through a
	// reader of unknown length; 0 means 8 MiB. A remote store may raise it
	// past its part size so multipart uploads are exercised.
	Large int64
	// ListCount is the number of objects the pagination test lists; 0
	// means 250. A remote store sets it above its server's page size (1000
	// for S3) so listing must follow continuation tokens.
	ListCount int
	// NoObjectAsPrefix says the backend cannot hold an object whose key
	// followed by "/" starts another key ("a/b" and "a/b/c"), as with an
	// S3 gateway that maps keys to files. ObjectAndPrefix is then skipped
	// and the listing fixture leaves such keys out. The runtime's own cache
	// keys never need it, but job caches with groups and keys of the same
	// name do: a store that sets this is not fully conforming.
	NoObjectAsPrefix bool
	// SharedVersions says the version a write returns is that of the
	// store's nearest level and IfVersion takes only a version read from
	// its shared level (a tiered store, backends.Tiered): the IfVersion
	// check then expects the first attempt to be refused and the retry,
	// after a read, to succeed.
	SharedVersions bool
	// Prefixed, when set, opens a store on the same backend as the stores
	// of one subtest, scoped by prefix (an S3 or GCS prefix, a
	// subdirectory). The PrefixIsolation test then checks that stores with
	// different prefixes never see each other's objects. Calls with the
	// same t and prefix must give stores that share objects.
	Prefixed func(t *testing.T, prefix string) backends.Store
}

func (o Options) large() int64 {
	if o.Large > 0 {
		return o.Large
	}
	return 8 << 20
}

func (o Options) listCount() int {
	if o.ListCount > 0 {
		return o.ListCount
	}
	return 250
}

// behaviour is one conformance check, run against a fresh store.
type behaviour struct {
	name string
	fn   func(t *testing.T, s backends.Store, o Options)
}

// plain adapts a check that needs no options.
func plain(fn func(t *testing.T, s backends.Store)) func(*testing.T, backends.Store, Options) {
	return func(t *testing.T, s backends.Store, _ Options) { fn(t, s) }
}

// behaviours lists every check Run performs, in order.
func behaviours() []behaviour {
	return []behaviour{
		{"GetMissing", plain(testGetMissing)},
		{"PutGet", plain(testPutGet)},
		{"PutInfoMatchesGet", plain(testPutInfoMatchesGet)},
		{"Overwrite", plain(testOverwrite)},
		{"OverwriteShorter", plain(testOverwriteShorter)},
		{"EmptyValue", plain(testEmptyValue)},
		{"LargeStreamedValue", testLargeValue},
		{"SizeIsOnlyAHint", plain(testSizeHint)},
		{"ValuesAreCopied", plain(testValuesAreCopied)},
		{"RuntimeKeys", plain(testRuntimeKeys)},
		{"ObjectAndPrefix", testObjectAndPrefix},
		{"DeleteThenGet", plain(testDeleteThenGet)},
		{"DeleteMissing", plain(testDeleteMissing)},
		{"IfAbsent", plain(testIfAbsent)},
		{"IfVersion", testIfVersion},
		{"IfVersionStaleRejected", plain(testIfVersionStale)},
		{"IfVersionMissingKey", plain(testIfVersionMissing)},
		{"FailedPutKeepsOldValue", plain(testFailedPut)},
		{"ConcurrentIfAbsent", plain(testConcurrentIfAbsent)},
		{"ConcurrentPuts", plain(testConcurrentPuts)},
		{"ConcurrentCAS", plain(testConcurrentCAS)},
		{"List", testList},
		{"ListPrefixes", testListPrefixes},
		{"ListSortedByKey", testListSorted},
		{"ListPagination", testListPagination},
		{"ListBreak", testListBreak},
		{"ListReentrant", testListReentrant},
		{"ListEmptyStore", plain(testListEmpty)},
		{"CancelledContext", plain(testCancelledContext)},
		{"ReadAllMatchesGet", plain(testReadAll)},
	}
}

// testReadAll checks the optional backends.ReadAller: for a store that
// has it, ReadAll returns what Get returns, with the same Info, and
// ErrNotFound for a missing key. A store without it passes.
func testReadAll(t *testing.T, s backends.Store) {
	ra, ok := s.(backends.ReadAller)
	if !ok {
		return
	}
	for _, v := range [][]byte{{}, []byte("value"), bytes.Repeat([]byte("0123456789"), 10000)} {
		put(t, s, "readall/k", v)
		want, wantInfo := get(t, s, "readall/k")
		got, info, err := ra.ReadAll(t.Context(), "readall/k")
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("ReadAll = %s, %v; Get gave %s", short(got), err, short(want))
		}
		if info.Key != wantInfo.Key || info.Size != wantInfo.Size || info.Version != wantInfo.Version || !info.Modified.Equal(wantInfo.Modified) {
			t.Errorf("ReadAll's Info %+v, Get's %+v", info, wantInfo)
		}
	}
	if _, _, err := ra.ReadAll(t.Context(), "readall/missing"); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("ReadAll of a missing key: %v, want ErrNotFound", err)
	}
}

// Run runs every conformance test against stores made by h, each in its own
// subtest with a fresh store, with the default [Options].
func Run(t *testing.T, h Harness) {
	t.Helper()
	RunOptions(t, h, Options{})
}

// RunOptions is [Run] with options: value sizes and counts for a remote
// store, and the prefix isolation test when o.Prefixed is set.
func RunOptions(t *testing.T, h Harness, o Options) {
	t.Helper()
	for _, b := range behaviours() {
		t.Run(b.name, func(t *testing.T) {
			s := h(t)
			if s == nil {
				t.Fatal("harness returned a nil store")
			}
			b.fn(t, s, o)
		})
	}
	if o.Prefixed != nil {
		t.Run("PrefixIsolation", func(t *testing.T) { testPrefixIsolation(t, o.Prefixed) })
	}
}

// put writes val under key and fails the test on error.
func put(t *testing.T, s backends.Store, key string, val []byte) backends.Info {
	t.Helper()
	info, err := s.Put(t.Context(), key, bytes.NewReader(val), backends.PutOptions{Size: int64(len(val))})
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	return info
}

// read gets key and reads the whole value.
func read(ctx context.Context, s backends.Store, key string) ([]byte, backends.Info, error) {
	rc, info, err := s.Get(ctx, key)
	if err != nil {
		return nil, info, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, info, fmt.Errorf("read %q: %w", key, err)
	}
	return b, info, nil
}

// get reads key and fails the test on error.
func get(t *testing.T, s backends.Store, key string) ([]byte, backends.Info) {
	t.Helper()
	b, info, err := read(t.Context(), s, key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return b, info
}

// wantValue fails the test unless key holds want.
func wantValue(t *testing.T, s backends.Store, key string, want []byte) backends.Info {
	t.Helper()
	got, info := get(t, s, key)
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) = %s, want %s", key, short(got), short(want))
	}
	return info
}

// wantMissing fails the test unless Get of key is ErrNotFound.
func wantMissing(t *testing.T, s backends.Store, key string) {
	t.Helper()
	b, _, err := read(t.Context(), s, key)
	if !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("Get(%q) = %s, %v; want ErrNotFound", key, short(b), err)
	}
}

// checkInfo fails the test unless info describes an object of key and size.
func checkInfo(t *testing.T, what string, info backends.Info, key string, size int) {
	t.Helper()
	if info.Key != key {
		t.Errorf("%s: Info.Key = %q, want %q", what, info.Key, key)
	}
	if info.Size != int64(size) {
		t.Errorf("%s: Info.Size = %d, want %d", what, info.Size, size)
	}
	if info.Modified.IsZero() {
		t.Errorf("%s: Info.Modified is zero", what)
	}
	if info.Version == "" {
		t.Errorf("%s: Info.Version is empty", what)
	}
}

// short renders a value for a failure message without flooding the log.
func short(b []byte) string {
	if b == nil {
		return "<nil>"
	}
	if len(b) > 40 {
		return fmt.Sprintf("%q... (%d bytes)", b[:40], len(b))
	}
	return fmt.Sprintf("%q", b)
}

// within runs f in a goroutine and fails the test if it does not return in
// d, so a store that hangs fails instead of stalling the whole run. f must
// report failures with t.Error, not t.Fatal.
func within(t *testing.T, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %v", what, d)
	}
}

func testGetMissing(t *testing.T, s backends.Store) {
	rc, _, err := s.Get(t.Context(), "missing/key")
	if rc != nil {
		rc.Close()
	}
	if !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("Get of a missing key: err = %v, want ErrNotFound", err)
	}
}

func testPutGet(t *testing.T, s backends.Store) {
	const key = "k/one"
	val := []byte("hello, store")
	info := put(t, s, key, val)
	checkInfo(t, "Put", info, key, len(val))
	got := wantValue(t, s, key, val)
	checkInfo(t, "Get", got, key, len(val))
}

func testPutInfoMatchesGet(t *testing.T, s backends.Store) {
	const key = "k/info"
	val := []byte("versions must agree")
	pi := put(t, s, key, val)
	_, gi := get(t, s, key)
	if pi.Version != gi.Version {
		t.Errorf("Put returned Version %q, Get returned %q; a CAS with Put's version would fail", pi.Version, gi.Version)
	}
	if pi.Size != gi.Size {
		t.Errorf("Put returned Size %d, Get returned %d", pi.Size, gi.Size)
	}
}

func testOverwrite(t *testing.T, s backends.Store) {
	const key = "k/over"
	i1 := put(t, s, key, []byte("first value"))
	i2 := put(t, s, key, []byte("second value"))
	got := wantValue(t, s, key, []byte("second value"))
	if i1.Version == i2.Version {
		t.Errorf("overwrite kept Version %q", i1.Version)
	}
	if got.Version != i2.Version {
		t.Errorf("Get Version = %q, want the overwrite's %q", got.Version, i2.Version)
	}
}

func testOverwriteShorter(t *testing.T, s backends.Store) {
	const key = "k/shorter"
	put(t, s, key, bytes.Repeat([]byte("long "), 1000))
	put(t, s, key, []byte("bye"))
	info := wantValue(t, s, key, []byte("bye"))
	checkInfo(t, "Get", info, key, 3)
}

func testEmptyValue(t *testing.T, s backends.Store) {
	const key = "k/empty"
	info := put(t, s, key, nil)
	checkInfo(t, "Put", info, key, 0)
	got, gi := get(t, s, key)
	if len(got) != 0 {
		t.Fatalf("Get = %s, want empty", short(got))
	}
	checkInfo(t, "Get", gi, key, 0)
}

// Pattern returns a reader of n deterministic bytes (PatternByte(0),
// PatternByte(1), …) in uneven chunks. It holds none of them, and is not a
// bytes.Reader (nor a WriterTo or Seeker), so a store can take no shortcut
// and a test can measure the memory a store needs to stream a large value.
func Pattern(n int64) io.Reader { return &patternReader{n: n} }

// PatternByte is the byte at offset i of Pattern's stream.
func PatternByte(i int64) byte { return byte(i*7 + i>>9 + i>>17) }

// patternReader is Pattern's reader.
type patternReader struct {
	off, n int64
}

func patternByte(i int64) byte { return PatternByte(i) }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	m := min(int64(len(p)), r.n-r.off, 12345+r.off%1000)
	for i := range m {
		p[i] = patternByte(r.off + i)
	}
	r.off += m
	return int(m), nil
}

func testLargeValue(t *testing.T, s backends.Store, o Options) {
	const key = "k/large"
	n := o.large()
	info, err := s.Put(t.Context(), key, &patternReader{n: n}, backends.PutOptions{Size: -1})
	if err != nil {
		t.Fatalf("Put of %d streamed bytes: %v", n, err)
	}
	checkInfo(t, "Put", info, key, int(n))
	got, gi := get(t, s, key)
	checkInfo(t, "Get", gi, key, int(n))
	if int64(len(got)) != n {
		t.Fatalf("Get returned %d bytes, want %d", len(got), n)
	}
	for i, c := range got {
		if c != patternByte(int64(i)) {
			t.Fatalf("byte %d = %#x, want %#x", i, c, patternByte(int64(i)))
		}
	}
}

func testSizeHint(t *testing.T, s backends.Store) {
	const n = 100 << 10
	want := make([]byte, n)
	for i := range want {
		want[i] = patternByte(int64(i))
	}
	for _, size := range []int64{0, -1} {
		key := fmt.Sprintf("k/size%d", size)
		info, err := s.Put(t.Context(), key, &patternReader{n: n}, backends.PutOptions{Size: size})
		if err != nil {
			t.Fatalf("Put with PutOptions.Size %d: %v", size, err)
		}
		checkInfo(t, "Put", info, key, n)
		wantValue(t, s, key, want)
	}
}

func testValuesAreCopied(t *testing.T, s backends.Store) {
	const key = "k/copied"
	val := []byte("original")
	put(t, s, key, val)
	copy(val, "mutated!")
	got, _ := get(t, s, key)
	if string(got) != "original" {
		t.Fatalf("after mutating the caller's buffer, Get = %s, want %q", short(got), "original")
	}
	copy(got, "MUTATED!")
	wantValue(t, s, key, []byte("original"))
}

// runtimeKeys are object names as the runtime and its tools make them.
func runtimeKeys() []string {
	task := "example.com/m/pkg.Align"
	fp := "0123abcd4567ef890123abcd4567ef890123abcd4567ef890123abcd4567ef89"
	return []string{
		backends.CacheKey("default", task, fp, "89ef0123456789ab"),
		backends.CacheKey("default", task, fp, "89ef0123456789ac"),
		backends.CacheKey("default", task, fp[:16], "00"),
		backends.CacheKey("team-a", task, fp, "89ef0123456789ab"),
		backends.ManifestKey("default", task, fp),
		backends.LockKey("default", task, fp, "89ef0123456789ab"),
		"run/default/run-2024-01-02/" + backends.EscapeSegment(task) + "/0a1b2c3d/89ef0123456789ab",
		"job/default/job-17/tiles/level-3/result.json",
		"shared/default/models/v1/weights.bin",
	}
}

func testRuntimeKeys(t *testing.T, s backends.Store) {
	keys := runtimeKeys()
	for i, k := range keys {
		put(t, s, k, fmt.Appendf(nil, "value %d of %s", i, k))
	}
	for i, k := range keys {
		wantValue(t, s, k, fmt.Appendf(nil, "value %d of %s", i, k))
	}
	wantList(t, s, backends.CachePrefix("default", "example.com/m/pkg.Align"), keys)
}

func testObjectAndPrefix(t *testing.T, s backends.Store, o Options) {
	if o.NoObjectAsPrefix {
		t.Skip("Options.NoObjectAsPrefix: the backend cannot hold a key that is a directory of another")
	}
	put(t, s, "a/b", []byte("object"))
	put(t, s, "a/b/c", []byte("child"))
	wantValue(t, s, "a/b", []byte("object"))
	wantValue(t, s, "a/b/c", []byte("child"))
	if got, want := listKeys(t, s, "a/b"), []string{"a/b", "a/b/c"}; !slices.Equal(got, want) {
		t.Errorf("List(a/b) = %q, want %q", got, want)
	}
	if got, want := listKeys(t, s, "a/b/"), []string{"a/b/c"}; !slices.Equal(got, want) {
		t.Errorf("List(a/b/) = %q, want %q", got, want)
	}
	if err := s.Delete(t.Context(), "a/b"); err != nil {
		t.Fatalf("Delete(a/b): %v", err)
	}
	wantMissing(t, s, "a/b")
	wantValue(t, s, "a/b/c", []byte("child"))
	put(t, s, "a/b", []byte("again"))
	if err := s.Delete(t.Context(), "a/b/c"); err != nil {
		t.Fatalf("Delete(a/b/c): %v", err)
	}
	wantMissing(t, s, "a/b/c")
	wantValue(t, s, "a/b", []byte("again"))
	if got, want := listKeys(t, s, ""), []string{"a/b"}; !slices.Equal(got, want) {
		t.Errorf("List() = %q, want %q", got, want)
	}
}

func testDeleteThenGet(t *testing.T, s backends.Store) {
	const key = "k/deleted"
	put(t, s, key, []byte("soon gone"))
	if err := s.Delete(t.Context(), key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantMissing(t, s, key)
	if got := listKeys(t, s, ""); len(got) != 0 {
		t.Errorf("List after Delete = %q, want nothing", got)
	}
	if err := s.Delete(t.Context(), key); !errors.Is(err, backends.ErrNotFound) {
		t.Errorf("second Delete: err = %v, want ErrNotFound", err)
	}
}

func testDeleteMissing(t *testing.T, s backends.Store) {
	if err := s.Delete(t.Context(), "never/written"); !errors.Is(err, backends.ErrNotFound) {
		t.Fatalf("Delete of a missing key: err = %v, want ErrNotFound", err)
	}
}

func testFailedPut(t *testing.T, s backends.Store) {
	const key = "k/failed"
	put(t, s, key, []byte("old value"))
	boom := errors.New("reader failed")
	r := io.MultiReader(&patternReader{n: 100 << 10}, iotestErrReader{boom})
	if _, err := s.Put(t.Context(), key, r, backends.PutOptions{Size: -1}); err == nil {
		t.Fatal("Put with a failing reader succeeded")
	}
	wantValue(t, s, key, []byte("old value"))
	if _, err := s.Put(t.Context(), "k/failed-new", iotestErrReader{boom}, backends.PutOptions{Size: -1}); err == nil {
		t.Fatal("Put of a new key with a failing reader succeeded")
	}
	wantMissing(t, s, "k/failed-new")
}

// iotestErrReader fails every read with err.
type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

func testCancelledContext(t *testing.T, s backends.Store) {
	put(t, s, "k/present", []byte("present"))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	within(t, 10*time.Second, "operations with a cancelled context", func() {
		if rc, _, err := s.Get(ctx, "k/present"); err == nil {
			rc.Close()
			t.Error("Get with a cancelled context succeeded")
		}
		if _, err := s.Put(ctx, "k/new", strings.NewReader("new"), backends.PutOptions{Size: 3}); err == nil {
			t.Error("Put with a cancelled context succeeded")
		}
		if err := s.Delete(ctx, "k/present"); err == nil {
			t.Error("Delete with a cancelled context succeeded")
		}
		var listErr error
		for _, err := range s.List(ctx, "") {
			if err != nil {
				listErr = err
				break
			}
		}
		if listErr == nil {
			t.Error("List with a cancelled context yielded no error")
		}
	})
	wantMissing(t, s, "k/new")
	wantValue(t, s, "k/present", []byte("present"))
}
