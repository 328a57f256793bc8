package directive

import (
	"cmp"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that its errors have positions
// on the comment's line, and that an accepted directive's canonical form
// parses back to the same options.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"//cache:task",
		"//cache:task version=2 key=`a + b` ignore=x,y ttl=1h name=F lock allow=env,fs",
		"//cache:task lock=30s",
		`//memo:task key="f(\"x y\")" name=M`,
		"//memo:key=id allow=net",
		`//cache:task version="\x00é"`,
		"//cache:task key=\"a + b",
		"//cache:task ttl=0s name=1 allow=evn ok=1",
		"//cache:task key = a",
		"// cache:task",
		"//cahce:taks",
		"//memo",
		"//memo   ",
		"//memo:kye=id",
		"//memo:task kye=id",
		"//cache:task,version=1",
		"//cache:task2",
		"//cache:ttl=1h",
		"//cache task",
		"// Cache: results are kept",
		"//go:generate go tool cachegen",
	} {
		f.Add(s)
	}
	pos := token.Position{Filename: "f.go", Offset: 10, Line: 2, Column: 3}
	f.Fuzz(func(t *testing.T, text string) {
		d, errs := Parse(text, pos)
		for _, e := range errs {
			if e.Pos.Line != pos.Line || e.Pos.Column < pos.Column || e.Pos.Column > pos.Column+len(text) || e.Msg == "" {
				t.Fatalf("Parse(%q): error %q at %+v", text, e.Msg, e.Pos)
			}
			checkFix(t, text, pos, e)
		}
		if d == nil {
			if len(errs) > 1 {
				t.Fatalf("Parse(%q): %d errors without a directive", text, len(errs))
			}
			return
		}
		if !strings.HasPrefix(text, "//") || d.Text != text {
			t.Fatalf("Parse(%q) = directive with text %q", text, d.Text)
		}
		if len(errs) > 0 {
			return
		}
		canon := d.String()
		d2, errs2 := Parse(canon, pos)
		if len(errs2) > 0 || d2 == nil {
			t.Fatalf("Parse(%q) = %q; its form %q gives errors %q", text, d.Options, canon, errStrings(errs2))
		}
		if d2.Kind != d.Kind || len(d2.Options) != len(d.Options) {
			t.Fatalf("Parse(%q) and Parse(%q) differ: %v / %v", text, canon, d, d2)
		}
		for i, o := range d.Options {
			o2 := d2.Options[i]
			if o.Name != o2.Name || o.Value != o2.Value || o.HasValue != o2.HasValue {
				t.Fatalf("option %d of %q is %+v, of %q is %+v", i, text, o, canon, o2)
			}
		}
		if again := d2.String(); again != canon {
			t.Fatalf("canonical form is not stable: %q then %q", canon, again)
		}
	})
}

// checkFix checks that e's fix, applied to text, removes e: a near miss
// becomes a directive, and an option's fix leaves no error at its place.
func checkFix(t *testing.T, text string, pos token.Position, e *Error) {
	t.Helper()
	if e.Fix == nil {
		return
	}
	off := e.Pos.Offset - pos.Offset
	if off < 0 || e.Fix.Len <= 0 || off+e.Fix.Len > len(text) || e.Fix.Text == "" {
		t.Fatalf("Parse(%q): fix %+v of %q is out of range", text, e.Fix, e.Msg)
	}
	fixed := text[:off] + e.Fix.Text + text[off+e.Fix.Len:]
	d, errs := Parse(fixed, pos)
	if d == nil {
		t.Fatalf("Parse(%q): error %q: its fix gives %q, which is no directive", text, e.Msg, fixed)
	}
	for _, e2 := range errs {
		if e2.Pos == e.Pos && e2.Msg == e.Msg {
			t.Fatalf("Parse(%q): error %q survives its fix %q", text, e.Msg, fixed)
		}
	}
}

// FuzzFile checks that File never panics on a file that parses, that its
// errors are sorted and that every directive it finds sits in the doc
// comment of the function it is attached to.
func FuzzFile(f *testing.F) {
	f.Add("package p\n\n//cache:task version=1\n//memo:task\nfunc F() int { return 1 }\n")
	f.Add("package p\n\n//cache:task\ntype T int\n\n//memo:key=x\nfunc (T) M(x int) int {\n\t//cahce:task\n\treturn x\n}\n")
	f.Add("package p\n\n// cache:task\n//memo\nfunc F() {}\n")
	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "f.go", src, parser.ParseComments)
		if err != nil {
			return
		}
		found, errs := File(fset, file)
		if !slices.IsSortedFunc(errs, func(a, b *Error) int {
			return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
		}) {
			t.Fatalf("errors not sorted: %q", errStrings(errs))
		}
		for _, fd := range found {
			if fd.Decl.Doc == nil || len(fd.Directives) == 0 || len(fd.Directives) > 2 {
				t.Fatalf("found %s with doc %v and %d directives", FuncName(fd.Decl), fd.Decl.Doc, len(fd.Directives))
			}
			for _, d := range fd.Directives {
				if d.Pos.Offset < fset.Position(fd.Decl.Doc.Pos()).Offset || d.Pos.Offset >= fset.Position(fd.Decl.Doc.End()).Offset {
					t.Fatalf("directive %v at %v is outside the doc comment of %s", d, d.Pos, FuncName(fd.Decl))
				}
			}
		}
	})
}
