package jobcachetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/backends"
	"github.com/cachegen/cachegen/runtime"
)

// badPaths are key and group shapes every cache rejects.
var badPaths = []string{
	"", "/x", "/", "x/", "a//b", "..", "../x", "a/../b", "a/..", "a..b", ".", "a/./b",
	"a\x00b", "tab\there", "new\nline", "del\x7f", "c1\u0085", "50%", "%2F", `back\slash`, "bad\xffutf8",
}

// badSegments are job ID and cache name shapes: the bad paths that are not
// already a bad segment, plus any "/".
var badSegments = append([]string{"a/b", "job/1"}, badPaths...)

// testRejected checks that every bad name fails, naming itself, before
// the store is used.
func testRejected(t *testing.T, newStore func(*testing.T) backends.Store, _ Options) {
	st := &noIO{}
	ctx := inRuntime(t, st, "job-r", runtime.WithCache("side", st))
	c, err := runtime.JobCache(ctx)
	if err != nil {
		t.Fatalf("JobCache: %v", err)
	}
	for _, bad := range badPaths {
		t.Run(fmt.Sprintf("key %q", bad), func(t *testing.T) { checkKeyRejected(t, c, bad) })
		t.Run(fmt.Sprintf("group %q", bad), func(t *testing.T) { checkGroupRejected(t, c.Group("ok").Group(bad), bad) })
	}
	for _, bad := range badSegments {
		t.Run(fmt.Sprintf("job %q", bad), func(t *testing.T) {
			_, err := runtime.JobCache(runtime.WithJob(ctx, bad))
			wantRejected(t, "JobCache", err, bad)
			_, err = runtime.NamedCache(runtime.WithJob(ctx, bad), "side")
			wantRejected(t, "NamedCache", err, bad)
		})
		t.Run(fmt.Sprintf("cache name %q", bad), func(t *testing.T) {
			_, err := runtime.SharedCache(ctx, bad)
			wantRejected(t, "SharedCache", err, bad)
			_, err = runtime.NamedCache(ctx, bad)
			wantRejected(t, "NamedCache", err, bad)
		})
	}
	if _, err := runtime.JobCache(inRuntime(t, st, "")); err == nil {
		t.Errorf("JobCache without a job: no error")
	}
	if len(st.used) > 0 {
		t.Errorf("rejected names reached the store: %q", st.used)
	}

	// Names close to the bad ones are fine.
	good := jobCache(t, newStore(t), "job.1_ü")
	for _, k := range []string{"a.b", ".hidden", "x/.y", "with space", "ü/é", "a-b_c~d"} {
		mustSave(t, good.Group("g.1"), k, k)
		wantLoad(t, good, "g.1/"+k, k)
	}
}

func checkKeyRejected(t *testing.T, c *runtime.Cache, key string) {
	ctx := t.Context()
	wantRejected(t, "Save", c.Save(ctx, key, []byte("v")), key)
	_, err := c.Load(ctx, key)
	wantRejected(t, "Load", err, key)
	_, err = c.Reader(ctx, key)
	wantRejected(t, "Reader", err, key)
	_, err = c.Writer(ctx, key)
	wantRejected(t, "Writer", err, key)
	wantRejected(t, "Delete", c.Delete(ctx, key), key)
}

func checkGroupRejected(t *testing.T, g *runtime.Cache, name string) {
	ctx := t.Context()
	wantRejected(t, "Group.Save", g.Save(ctx, "k", []byte("v")), name)
	_, err := g.Load(ctx, "k")
	wantRejected(t, "Group.Load", err, name)
	_, err = g.Writer(ctx, "k")
	wantRejected(t, "Group.Writer", err, name)
	wantRejected(t, "Group.Delete", g.Delete(ctx, "k"), name)
	wantRejected(t, "Group.Group.Save", g.Group("sub").Save(ctx, "k", nil), name)
	wantRejected(t, "Group.Keys", firstErr(g.Keys(ctx)), name)
	wantRejected(t, "Group.Groups", firstErr(g.Groups(ctx)), name)
}

// firstErr returns the first error of a listing.
func firstErr(seq func(yield func(string, error) bool)) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// wantRejected checks that err is a validation error that quotes name.
func wantRejected(t *testing.T, op string, err error, name string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s(%q): no error", op, name)
		return
	}
	if name != "" && !strings.Contains(err.Error(), fmt.Sprintf("%q", name)) {
		t.Errorf("%s(%q) error %q does not name it", op, name, err)
	}
}
