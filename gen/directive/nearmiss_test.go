package directive

import (
	"go/token"
	"testing"
)

func TestNearMisses(t *testing.T) {
	tests := []struct {
		text string
		msg  string // "" means the comment must not be reported
	}{
		// Spaced directives.
		{"// cache:task", "write //cache:task with no space after //"},
		{"//  memo:task key=x", "write //memo:task with no space after //"},
		{"//\tcache:task version=1", "write //cache:task with no space after //"},
		{"// memo:key=id", "write //memo:key=EXPR with no space after //"},
		// Bare words.
		{"//memo", "write //memo:task"},
		{"// memo", "write //memo:task"},
		{"//cache", "write //cache:task"},
		{"// cache", "write //cache:task"},
		{"//cache  ", "write //cache:task"},
		{"//Cache", "write //cache:task"},
		{"//MEMO", "write //memo:task"},
		// Misspellings.
		{"//cache:taks", `unknown directive "//cache:taks"; did you mean //cache:task?`},
		{"//cahce:task", `unknown directive "//cahce:task"; did you mean //cache:task?`},
		{"//memo:tsak", `unknown directive "//memo:tsak"; did you mean //memo:task?`},
		{"//Cache:task", `unknown directive "//Cache:task"; did you mean //cache:task?`},
		{"//cache-task", `unknown directive "//cache-task"; did you mean //cache:task?`},
		{"//cache_task ttl=1h", `unknown directive "//cache_task"; did you mean //cache:task?`},
		{"//cache task", `unknown directive "//cache task"; did you mean //cache:task?`},
		{"//cache\ttask version=1", `unknown directive "//cache\ttask"; did you mean //cache:task?`},
		{"//memo key=x", `unknown directive "//memo key=x"; did you mean //memo:key=EXPR?`},
		{"//memo:kye=x", `unknown directive "//memo:kye=x"; did you mean //memo:key=EXPR?`},
		{"//memo:keys=x", `unknown directive "//memo:keys=x"; did you mean //memo:key=EXPR?`},
		{"//caches:tasks", `unknown directive "//caches:tasks"; did you mean //cache:task?`},
		{"//mem:task", `unknown directive "//mem:task"; did you mean //memo:task?`},
		{"//cache:ttl=1h", `unknown directive "//cache:ttl=1h"; did you mean //cache:task?`},
		{"//cache:", `unknown directive "//cache:"; did you mean //cache:task?`},
		{"//cache:task,version=1", `unknown directive "//cache:task,version=1"; did you mean //cache:task?`},
		{"//cache:task2", `unknown directive "//cache:task2"; did you mean //cache:task?`},
		{"//memo:TASK", `unknown directive "//memo:TASK"; did you mean //memo:task?`},
		{"// cache:taks", `unknown directive "// cache:taks"; did you mean //cache:task?`},
		{"// memo:tsak key=x", `unknown directive "// memo:tsak"; did you mean //memo:task?`},
		// Prose and other tools' directives: never reported.
		{"// Cache: results are kept for a day", ""},
		{"// memoize the result", ""},
		{"// cached values", ""},
		{"// see cache:TTL docs", ""},
		{"// cache:TTL is the lifetime", ""},
		{"// Cache", ""},
		{"// Memo", ""},
		{"// cache the result", ""},
		{"// cache task results in the store", ""},
		{"// memo key=x", ""},
		{"// cache-task", ""},
		{"// cache:ttl", ""},
		{"// todo: task", ""},
		{"//TODO: fix", ""},
		{"//cache as needed", ""},
		{"//memo to self", ""},
		{"//cached", ""},
		{"//memoize", ""},
		{"//cachegen:task", ""},
		{"//go:generate go tool cachegen", ""},
		{"//go:build linux", ""},
		{"//nolint:errcheck", ""},
		{"//export Render", ""},
		{"//line a.go:10", ""},
		{"//memo.go:12 is where", ""},
		{"//\t//cache:task version=2", ""}, // an example in a doc comment
		{"//", ""},
		{"//   ", ""},
		{"//:task", ""},
	}
	for _, tt := range tests {
		d, errs := Parse(tt.text, testPos)
		if d != nil {
			t.Errorf("Parse(%q) = directive %v, want none", tt.text, d)
			continue
		}
		switch {
		case tt.msg == "" && len(errs) > 0:
			t.Errorf("Parse(%q): false positive %q", tt.text, errStrings(errs))
		case tt.msg != "" && len(errs) != 1:
			t.Errorf("Parse(%q) = %q, want one error %q", tt.text, errStrings(errs), tt.msg)
		case tt.msg != "" && errs[0].Error() != "a.go:7:1: "+tt.msg:
			t.Errorf("Parse(%q) = %q, want %q", tt.text, errs[0].Error(), "a.go:7:1: "+tt.msg)
		}
	}
}

// TestFixes checks the text each suggested fix produces: only the
// directive words change; options and =EXPR stay.
func TestFixes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"//memo:kye=x", "//memo:key=x"},
		{"//memo:kye=x ignore=a", "//memo:key=x ignore=a"},
		{"//cache:taks version=1", "//cache:task version=1"},
		{"// cache:task ttl=1h", "//cache:task ttl=1h"},
		{"//  memo:task", "//memo:task"},
		{"//cache task ttl=1h", "//cache:task ttl=1h"},
		{"//Cache", "//cache:task"},
		{"//cache:task verison=2 ttl=1h", "//cache:task version=2 ttl=1h"},
		{"//memo:task nmae=F", "//memo:task name=F"},
	} {
		_, errs := Parse(tc.in, token.Position{Line: 1, Column: 1})
		if len(errs) != 1 || errs[0].Fix == nil {
			t.Errorf("Parse(%q): errors %v, want one with a fix", tc.in, errStrings(errs))
			continue
		}
		e := errs[0]
		got := tc.in[:e.Pos.Offset] + e.Fix.Text + tc.in[e.Pos.Offset+e.Fix.Len:]
		if got != tc.want {
			t.Errorf("fix of %q gives %q, want %q", tc.in, got, tc.want)
		}
	}
}
