package directive

import (
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/cachegen/cachegen/internal/suggest"
)

// testPos is where the test comments start: column 1 of line 7.
var testPos = token.Position{Filename: "a.go", Offset: 100, Line: 7, Column: 1}

// opt is an expected option: name, value, whether it had "=", column.
type opt struct {
	name, value string
	hasValue    bool
	col         int
}

func gotOpts(d *Directive) []opt {
	var out []opt
	for _, o := range d.Options {
		out = append(out, opt{o.Name, o.Value, o.HasValue, o.Pos.Column})
	}
	return out
}

func errStrings(errs []*Error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		text string
		kind Kind
		opts []opt
	}{
		{"//cache:task", Cache, nil},
		{"//cache:task   ", Cache, nil},
		{"//memo:task", Memo, nil},
		{"//cache:task version=2", Cache, []opt{{"version", "2", true, 14}}},
		{"//cache:task\tversion=v1.2-beta", Cache, []opt{{"version", "v1.2-beta", true, 14}}},
		{"//cache:task version=a=b", Cache, []opt{{"version", "a=b", true, 14}}},
		{`//cache:task version="two words"`, Cache, []opt{{"version", "two words", true, 14}}},
		{`//cache:task key="cfg.Region + id"`, Cache, []opt{{"key", "cfg.Region + id", true, 14}}},
		{"//cache:task key=`a + b`", Cache, []opt{{"key", "a + b", true, 14}}},
		{`//cache:task key="f(\"x y\")"`, Cache, []opt{{"key", `f("x y")`, true, 14}}},
		{`//cache:task key="a\t+ b"`, Cache, []opt{{"key", "a\t+ b", true, 14}}},
		{"//cache:task key=`\"q\" + s`", Cache, []opt{{"key", `"q" + s`, true, 14}}},
		{"//cache:task key=cfg.Region", Cache, []opt{{"key", "cfg.Region", true, 14}}},
		{"//cache:task key=[2]int{a,b}", Cache, []opt{{"key", "[2]int{a,b}", true, 14}}},
		{"//cache:task ignore=log,w", Cache, []opt{{"ignore", "log,w", true, 14}}},
		{"//cache:task ttl=24h", Cache, []opt{{"ttl", "24h", true, 14}}},
		{"//cache:task ttl=1h30m", Cache, []opt{{"ttl", "1h30m", true, 14}}},
		{"//cache:task name=RenderFast", Cache, []opt{{"name", "RenderFast", true, 14}}},
		{"//cache:task lock", Cache, []opt{{"lock", "", false, 14}}},
		{"//cache:task lock=2m", Cache, []opt{{"lock", "2m", true, 14}}},
		{"//cache:task allow=env,fs", Cache, []opt{{"allow", "env,fs", true, 14}}},
		{"//cache:task allow=env,clock,rand,globals,fs,net", Cache, []opt{{"allow", "env,clock,rand,globals,fs,net", true, 14}}},
		{"//cache:task version=3 key=id ignore=log ttl=1h name=X lock allow=net", Cache, []opt{
			{"version", "3", true, 14}, {"key", "id", true, 24}, {"ignore", "log", true, 31},
			{"ttl", "1h", true, 42}, {"name", "X", true, 49}, {"lock", "", false, 56}, {"allow", "net", true, 61},
		}},
		{"//memo:task key=id ignore=a name=M allow=rand", Memo, []opt{
			{"key", "id", true, 13}, {"ignore", "a", true, 20}, {"name", "M", true, 29}, {"allow", "rand", true, 36},
		}},
		{"//memo:key=id", Memo, []opt{{"key", "id", true, 8}}},
		{"//memo:key=`a + b` name=M", Memo, []opt{{"key", "a + b", true, 8}, {"name", "M", true, 20}}},
	}
	for _, tt := range tests {
		d, errs := Parse(tt.text, testPos)
		if len(errs) > 0 {
			t.Errorf("Parse(%q): unexpected errors %q", tt.text, errStrings(errs))
			continue
		}
		if d == nil {
			t.Errorf("Parse(%q) = nil, want a directive", tt.text)
			continue
		}
		if d.Kind != tt.kind || d.Text != tt.text || d.Pos != testPos {
			t.Errorf("Parse(%q) = kind %v text %q pos %v", tt.text, d.Kind, d.Text, d.Pos)
		}
		if got := gotOpts(d); !slices.Equal(got, tt.opts) {
			t.Errorf("Parse(%q) options:\n got %v\nwant %v", tt.text, got, tt.opts)
		}
	}
}

func TestParseOptionOffsets(t *testing.T) {
	pos := token.Position{Filename: "b.go", Offset: 40, Line: 3, Column: 5}
	d, errs := Parse("//cache:task key=id", pos)
	if len(errs) > 0 || d == nil {
		t.Fatalf("Parse: %v %v", d, errStrings(errs))
	}
	want := token.Position{Filename: "b.go", Offset: 53, Line: 3, Column: 18}
	if got := d.Options[0].Pos; got != want {
		t.Errorf("option position = %+v, want %+v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		text string
		errs []string // without the "a.go:7:" prefix
		opts []string // names of the options kept
	}{
		// Unknown, misplaced and duplicate options.
		{"//cache:task verison=2", []string{`14: unknown option "verison"; did you mean "version"?`}, nil},
		{"//cache:task Version=2", []string{`14: unknown option "Version"; did you mean "version"?`}, nil},
		{"//cache:task kye=a", []string{`14: unknown option "kye"; did you mean "key"?`}, nil},
		{"//cache:task frobnicate=1", []string{`14: unknown option "frobnicate"; //cache:task options are version, key, ignore, ttl, name, lock, allow`}, nil},
		{"//memo:task zzz", []string{`13: unknown option "zzz"; //memo:task options are key, ignore, name, allow`}, nil},
		{"//memo:task ttl=1h", []string{`13: option "ttl" is not valid for //memo:task`}, nil},
		{"//memo:task version=1 lock", []string{`13: option "version" is not valid for //memo:task`, `23: option "lock" is not valid for //memo:task`}, nil},
		{"//cache:task key=a key=b", []string{`20: duplicate option "key"`}, []string{"key"}},
		{"//cache:task lock lock=1s", []string{`19: duplicate option "lock"`}, []string{"lock"}},
		{"//memo:key=a key=b", []string{`14: duplicate option "key"`}, []string{"key"}},
		// Values that are required, empty or missing.
		{"//cache:task version", []string{`14: option "version" needs a value: write version=V`}, nil},
		{"//cache:task version=", []string{`14: option "version" has an empty value: write version=V`}, nil},
		{`//cache:task version=""`, []string{`14: option "version" has an empty value: write version=V`}, nil},
		{"//cache:task key", []string{`14: option "key" needs a value: write key=EXPR`}, nil},
		{"//cache:task key= ttl=1h", []string{`14: write key=VALUE with no spaces around =`}, nil},
		{"//cache:task key =a", []string{`14: write key=VALUE with no spaces around =`}, nil},
		{"//cache:task key = a", []string{`14: write key=VALUE with no spaces around =`}, nil},
		{"//memo:key", []string{`8: option "key" needs a value: write key=EXPR`}, nil},
		{"//memo:key=", []string{`8: option "key" has an empty value: write key=EXPR`}, nil},
		{"//cache:task ignore", []string{`14: option "ignore" needs a value: write ignore=p1,p2`}, nil},
		{"//cache:task ttl", []string{`14: option "ttl" needs a value: write ttl=DURATION`}, nil},
		{"//cache:task name", []string{`14: option "name" needs a value: write name=Ident`}, nil},
		{"//cache:task lock=", []string{`14: option "lock" has an empty value: write lock or lock=DURATION`}, nil},
		{"//cache:task allow", []string{`14: option "allow" needs a value: write allow=env,clock,rand,globals,fs,net`}, nil},
		// key=
		{"//cache:task key=a+", []string{`20: invalid key expression "a+": expected operand, found 'EOF'`}, nil},
		{"//cache:task key=`a + `", []string{`23: invalid key expression "a + ": expected operand, found 'EOF'`}, nil},
		{`//cache:task key="a + "`, []string{`14: invalid key expression "a + ": expected operand, found 'EOF'`}, nil},
		{"//cache:task key=a)", []string{`19: invalid key expression "a)": expected 'EOF', found ')'`}, nil},
		{"//cache:task key=func", []string{`22: invalid key expression "func": expected '(', found 'EOF'`}, nil},
		// ignore=
		{"//cache:task ignore=a,,b", []string{`23: invalid ignore list "a,,b": empty item`}, nil},
		{"//cache:task ignore=a,", []string{`23: invalid ignore list "a,": empty item`}, nil},
		{"//cache:task ignore=a,1b", []string{`23: invalid ignore list "a,1b": "1b" is not a Go identifier`}, nil},
		{"//cache:task ignore=a,type", []string{`23: invalid ignore list "a,type": "type" is not a Go identifier`}, nil},
		{"//cache:task ignore=a,b,a", []string{`25: invalid ignore list "a,b,a": "a" is listed twice`}, nil},
		// ttl= and lock=
		{"//cache:task ttl=5x", []string{`14: invalid ttl "5x": want a Go duration such as 90m or 24h`}, nil},
		{"//cache:task ttl=10", []string{`14: invalid ttl "10": want a Go duration such as 90m or 24h`}, nil},
		{"//cache:task ttl=0s", []string{`14: invalid ttl "0s": the duration must be positive`}, nil},
		{"//cache:task ttl=-1h", []string{`14: invalid ttl "-1h": the duration must be positive`}, nil},
		{"//cache:task lock=soon", []string{`14: invalid lock timeout "soon": want a Go duration such as 30s or 2m`}, nil},
		{"//cache:task lock=0", []string{`14: invalid lock timeout "0": the duration must be positive`}, nil},
		// name=
		{"//cache:task name=1x", []string{`14: invalid name "1x": not a Go identifier`}, nil},
		{"//cache:task name=a.b", []string{`14: invalid name "a.b": not a Go identifier`}, nil},
		{"//cache:task name=func", []string{`14: invalid name "func": it is a Go keyword`}, nil},
		// allow=
		{"//cache:task allow=evn", []string{`20: invalid allow list "evn": unknown check "evn"; did you mean "env"?`}, nil},
		{"//cache:task allow=env,time", []string{`24: invalid allow list "env,time": unknown check "time"; the checks are env, clock, rand, globals, fs, net`}, nil},
		{"//cache:task allow=env,env", []string{`24: invalid allow list "env,env": "env" is listed twice`}, nil},
		{"//memo:task allow=fs,", []string{`22: invalid allow list "fs,": empty item`}, nil},
		// Quoting and the shape of the text.
		{`//cache:task key="a + b`, []string{`18: unterminated string in option "key"`}, nil},
		{"//cache:task key=`a + b", []string{`18: unterminated string in option "key"`}, nil},
		{`//cache:task key="a\"`, []string{`18: unterminated string in option "key"`}, nil},
		{`//cache:task key="\q"`, []string{`18: invalid quoted value "\q" in option "key"`}, nil},
		{`//cache:task key="a"b ttl=1h`, []string{`21: unexpected text "b" after the value of option "key": separate options with spaces`}, nil},
		{`//cache:task key=a"b"`, []string{`19: unexpected quote in the value of option "key": quote the whole value`}, nil},
		{`//cache:task version=1 !!!`, []string{`24: malformed option "!!!": write name or name=value`}, []string{"version"}},
		{`//cache:task version=1 =x`, []string{`24: malformed option "=x": write name or name=value`}, []string{"version"}},
		{`//cache:task "key"=x`, []string{`14: malformed option "\"key\"=x": write name or name=value`}, nil},
		// Several errors in one directive, each reported.
		{"//cache:task ttl=0 name=1 allow=x ok=1", []string{
			`14: invalid ttl "0": the duration must be positive`,
			`20: invalid name "1": not a Go identifier`,
			`33: invalid allow list "x": unknown check "x"; the checks are env, clock, rand, globals, fs, net`,
			`35: unknown option "ok"; //cache:task options are version, key, ignore, ttl, name, lock, allow`,
		}, nil},
		{"//cache:task version=2 ttl=bad name=F", []string{`24: invalid ttl "bad": want a Go duration such as 90m or 24h`}, []string{"version", "name"}},
	}
	for _, tt := range tests {
		d, errs := Parse(tt.text, testPos)
		var want []string
		for _, e := range tt.errs {
			want = append(want, "a.go:7:"+e)
		}
		if got := errStrings(errs); !slices.Equal(got, want) {
			t.Errorf("Parse(%q) errors:\n got %q\nwant %q", tt.text, got, want)
		}
		if d == nil {
			t.Errorf("Parse(%q) = nil directive, want one with the good options", tt.text)
			continue
		}
		var names []string
		for _, o := range d.Options {
			names = append(names, o.Name)
		}
		if !slices.Equal(names, tt.opts) {
			t.Errorf("Parse(%q) kept options %q, want %q", tt.text, names, tt.opts)
		}
	}
}

func TestParseNotComments(t *testing.T) {
	for _, text := range []string{"", "/", "/*cache:task*/", "cache:task", "//", "// ordinary prose", "//go:generate go tool cachegen"} {
		if d, errs := Parse(text, testPos); d != nil || errs != nil {
			t.Errorf("Parse(%q) = %v, %q; want nil, nil", text, d, errStrings(errs))
		}
	}
}

func TestKind(t *testing.T) {
	if Cache.String() != "cache:task" || Memo.String() != "memo:task" || Kind(9).String() != "Kind(9)" {
		t.Errorf("Kind strings: %q %q %q", Cache, Memo, Kind(9))
	}
	if got := strings.Join(Cache.Options(), " "); got != "version key ignore ttl name lock allow" {
		t.Errorf("Cache.Options() = %q", got)
	}
	if got := strings.Join(Memo.Options(), " "); got != "key ignore name allow" {
		t.Errorf("Memo.Options() = %q", got)
	}
}

func TestDirectiveHelpers(t *testing.T) {
	d, errs := Parse("//cache:task ttl=90m lock allow=env,fs ignore=a,b", testPos)
	if len(errs) > 0 {
		t.Fatal(errStrings(errs))
	}
	if !d.Allows(CheckEnv) || !d.Allows(CheckFS) || d.Allows(CheckNet) {
		t.Errorf("Allows: env %v fs %v net %v", d.Allows(CheckEnv), d.Allows(CheckFS), d.Allows(CheckNet))
	}
	if o, ok := d.Option("ignore"); !ok || !slices.Equal(o.List(), []string{"a", "b"}) {
		t.Errorf("ignore list = %q, %v", o.List(), ok)
	}
	if _, ok := d.Option("key"); ok {
		t.Error("Option(key) found an option that is not there")
	}
	ttl, _ := d.Option("ttl")
	if v, ok := ttl.Duration(); !ok || v.Minutes() != 90 {
		t.Errorf("ttl duration = %v, %v", v, ok)
	}
	lock, _ := d.Option("lock")
	if v, ok := lock.Duration(); ok || v != 0 {
		t.Errorf("bare lock duration = %v, %v; want 0, false", v, ok)
	}
}

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"//cache:task", "//cache:task"},
		{"//cache:task\tversion=2   lock", "//cache:task version=2 lock"},
		{"//cache:task key=`a + b` name=X", `//cache:task key="a + b" name=X`},
		{"//memo:key=`f(\"x\")`", `//memo:task key="f(\"x\")"`},
		{`//memo:key="a\t+ b"`, `//memo:task key="a\t+ b"`},
		{`//cache:task version="é"`, `//cache:task version=é`},
		{`//cache:task version="\u00a0"`, `//cache:task version=` + "\u00a0"},
		{`//cache:task version="\x00"`, `//cache:task version="\x00"`},
	}
	for _, tt := range tests {
		d, errs := Parse(tt.in, testPos)
		if len(errs) > 0 {
			t.Fatalf("Parse(%q): %q", tt.in, errStrings(errs))
		}
		if got := d.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestErrorAndSort(t *testing.T) {
	errs := []*Error{
		{Pos: token.Position{Filename: "b.go", Line: 1, Column: 1}, Msg: "b"},
		{Pos: token.Position{Filename: "a.go", Line: 2, Column: 5}, Msg: "second"},
		{Pos: token.Position{Filename: "a.go", Line: 2, Column: 3}, Msg: "first"},
		{Pos: token.Position{Filename: "a.go", Line: 10, Column: 1}, Msg: "later"},
		{Msg: "nowhere"},
	}
	Sort(errs)
	want := []string{"nowhere", "a.go:2:3: first", "a.go:2:5: second", "a.go:10:1: later", "b.go:1:1: b"}
	if got := errStrings(errs); !slices.Equal(got, want) {
		t.Errorf("sorted errors:\n got %q\nwant %q", got, want)
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"version", "version", 0}, {"verison", "version", 1}, {"vrsion", "version", 1},
		{"cahce", "cache", 1}, {"tsak", "task", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"ca", "abc", 3}, // optimal string alignment, not unrestricted Damerau
	}
	for _, tt := range tests {
		if got := suggest.Distance(tt.a, tt.b, 10); got != tt.want {
			t.Errorf("suggest.Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := suggest.Distance(tt.a, tt.b, 1); got != min(tt.want, 1) {
			t.Errorf("suggest.Distance(%q, %q, limit 1) = %d, want %d", tt.a, tt.b, got, min(tt.want, 1))
		}
	}
}
