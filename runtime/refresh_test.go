package runtime

import (
	"slices"
	"sync/atomic"
	"testing"

	"github.com/cachegen/cachegen/backends/memory"
)

// matchCases are task identities and the names that designate them, or
// not. internal/cli's TestTaskNamesEverywhere holds every other entry
// point (-accept, explain, ls -task) to the same reading.
var matchCases = []struct {
	id   string
	yes  []string
	none []string
}{
	{
		id:   "example.com/m/pkg.F",
		yes:  []string{"example.com/m/pkg.F", "pkg.F", "F"},
		none: []string{"", "G", "pkg", "m.F", "other.F", "example.com/m/other.F", "F[int]", "pkg.F.F"},
	},
	{
		id:   "example.com/m/align.Aligner.Run",
		yes:  []string{"example.com/m/align.Aligner.Run", "align.Aligner.Run", "Aligner.Run"},
		none: []string{"Run", "align.Run", "other.Aligner.Run", "example.com/m/align.Run", "Aligner", "A.Run", "m/align.Aligner.Run"},
	},
	{
		// An instantiation of a generic task whose type argument has a
		// package path: the slash in it is not the identity's.
		id: "example.com/m/pkg.Map[example.com/m/other.Sample,string]",
		yes: []string{
			"example.com/m/pkg.Map[example.com/m/other.Sample,string]", "example.com/m/pkg.Map", "pkg.Map", "Map",
			"Map[example.com/m/other.Sample,string]", "pkg.Map[example.com/m/other.Sample,string]",
		},
		none: []string{"Sample", "other.Sample", "other.Sample,string]", "string]", "Map[int]", "pkg.Map[string]"},
	},
}

// TestTaskMatchesForms checks every form of a task name, for a function, a
// method and an instantiation of a generic task.
func TestTaskMatchesForms(t *testing.T) {
	for _, c := range matchCases {
		for _, name := range c.yes {
			if !TaskMatches(c.id, name) {
				t.Errorf("TaskMatches(%q, %q) = false, want true", c.id, name)
			}
		}
		for _, name := range c.none {
			if TaskMatches(c.id, name) {
				t.Errorf("TaskMatches(%q, %q) = true, want false", c.id, name)
			}
		}
	}
}

// TestRefreshNames checks that Refresh, WithRefresh and CACHEGEN_REFRESH
// read names as TaskMatches does: a matching name runs the task once
// more, another name leaves its stored result alone.
func TestRefreshNames(t *testing.T) {
	for _, c := range matchCases {
		task := Task{ID: c.id, Fingerprint: "0123456789abcdef"}
		for _, name := range append(append([]string(nil), c.yes...), c.none...) {
			if name == "" {
				continue // Refresh() with no name refreshes every task
			}
			want := TaskMatches(c.id, name)
			store := memory.New()
			var runs atomic.Int64
			_, ctx := newRuntime(t, store)
			Cached(ctx, &task, key("a"), nil, counted(&runs, 1))
			check := func(how string, ran int64) {
				t.Helper()
				if got := runs.Load() > ran; got != want {
					t.Errorf("%s(%q) on %s: re-ran %v, want %v", how, name, c.id, got, want)
				}
			}

			ran := runs.Load()
			Cached(Refresh(ctx, name), &task, key("a"), nil, counted(&runs, 2))
			check("Refresh", ran)

			ran = runs.Load()
			_, ctx2 := newRuntime(t, store, WithRefresh(name))
			Cached(ctx2, &task, key("a"), nil, counted(&runs, 3))
			check("WithRefresh", ran)

			ran = runs.Load()
			t.Setenv(EnvRefresh, "Other,"+name)
			_, ctx3 := newRuntime(t, store)
			Cached(ctx3, &task, key("a"), nil, counted(&runs, 4))
			check(EnvRefresh, ran)
		}
	}
}

// TestSplitNames checks that CACHEGEN_REFRESH's list keeps the type
// arguments of an instantiation together.
func TestSplitNames(t *testing.T) {
	for in, want := range map[string][]string{
		"":                          nil,
		" F , pkg.T.M ,, ":          {"F", "pkg.T.M"},
		"Map[int,string],F":         {"Map[int,string]", "F"},
		"pkg.Map[a.B[int,x],y], G,": {"pkg.Map[a.B[int,x],y]", "G"},
		"Odd]]],F":                  {"Odd]]]", "F"},
	} {
		if got := splitNames(in); !slices.Equal(got, want) {
			t.Errorf("splitNames(%q) = %q, want %q", in, got, want)
		}
	}
}
