package fingerprint

// editCase is one row of TestEdits: a package before and after an edit,
// and whether the task's fingerprint must stay the same.
type editCase struct {
	name string
	// before holds the package's files by relative path ("a.go",
	// "util/util.go"); PKG stands for the package's import path.
	before map[string]string
	// after holds the files that differ after the edit.
	after map[string]string
	// task is "F" or "T.M"; taskAfter, when set, names it after the edit.
	task, taskAfter string
	// opts and optsAfter are the directive options before and after.
	opts, optsAfter *Options
	same            bool
	// changed, when set, is a part ("kind name") that must differ.
	changed string
	// notFollowed, when set, must be a substring of an entry of the
	// after fingerprint's NotFollowed.
	notFollowed string
}

const helperSrc = `package p

// Task computes.
func Task(a int) int {
	return helper(a) + 1
}

// helper helps.
func helper(x int) int {
	return deeper(x) * 2
}

func deeper(x int) int { return x - 1 }

func unrelated() int { return 7 }

type Unrelated struct{ A int }
`

const resultSrc = `package p

// Result is what Task returns.
type Result struct {
	A int    ` + "`json:\"a\"`" + `
	In Inner // nested
}

// Inner is nested in Result.
type Inner struct{ X int }

func Task(a int) (Result, error) {
	return Result{A: a}, nil
}
`

const methodSrc = `package p

type Calc struct{ n int }

func (c Calc) Add(x int) int { return c.n + x }

func (c *Calc) Scale(x int) int { return c.n * x }

type Inner struct{}

func (Inner) Promoted() int { return 1 }

type Outer struct {
	Inner
	k int
}

func Value(c Calc) int { return c.Add(1) }

func Pointer(x int) int {
	p := &Calc{n: 2}
	return p.Scale(x)
}

func Embedded(o Outer) int { return o.Promoted() }

func MethodValue(c Calc) int {
	f := c.Add
	return f(3)
}
`

const genericSrc = `package p

type Number interface{ ~int | ~float64 }

func Sum[T Number](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

type Set[T comparable] struct{ m map[T]bool }

func (s *Set[T]) Add(v T) { s.m[v] = true }

func Task(xs []int) []string {
	s := &Set[int]{m: map[int]bool{}}
	s.Add(1)
	return Map(xs, func(x int) string { return string(rune(x)) })
}
`

var editCases = []editCase{
	{name: "comment_task_doc", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "// Task computes.", "// Task computes\n// a lot more than before.")}},
	{name: "comment_in_body", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "return helper(a) + 1", "/* block */ return helper(a) + 1 // line")}},
	{name: "comment_helper", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "// helper helps.", "// helper helps a lot.\n// Really.")}},
	{name: "comment_type", same: true, task: "Task",
		before: map[string]string{"a.go": resultSrc},
		after:  map[string]string{"a.go": replace(resultSrc, "// nested", "// nested, documented")}},
	{name: "layout", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after: map[string]string{"a.go": replace(replace(helperSrc, "return helper(a) + 1", "\n\treturn helper(\n\t\ta,\n\t) + 1\n"),
			"func deeper(x int) int { return x - 1 }", "func deeper(\n\tx int,\n) int {\n\n\treturn x - 1\n}")}},
	{name: "literal_spelling", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "return x - 1", "return x - 0x1")}},
	// Positions that carry meaning by their presence (internal/astcanon's
	// meaningByPresence), and ones that do not.
	{name: "position_variadic_spread", changed: "decl PKG.Task", task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc count(xs ...any) int { return len(xs) }\n\nfunc Task(xs []any) int { return count(xs...) }\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc count(xs ...any) int { return len(xs) }\n\nfunc Task(xs []any) int { return count(xs) }\n"}},
	{name: "position_local_alias", changed: "decl PKG.Task", task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc Task(n int) any {\n\ttype N = int\n\treturn N(n)\n}\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc Task(n int) any {\n\ttype N int\n\treturn N(n)\n}\n"}},
	{name: "position_variadic_spread_helper", changed: "func PKG.sum", task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc count(xs ...any) int { return len(xs) }\n\nfunc sum(xs []any) int { return count(xs...) }\n\nfunc Task(xs []any) int { return sum(xs) }\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc count(xs ...any) int { return len(xs) }\n\nfunc sum(xs []any) int { return count(xs) }\n\nfunc Task(xs []any) int { return sum(xs) }\n"}},
	{name: "position_local_generic_alias", changed: "decl PKG.Task", task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc Task(xs []int) any {\n\ttype L[T any] = []T\n\treturn L[int](xs)\n}\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc Task(xs []int) any {\n\ttype L[T any] []T\n\treturn L[int](xs)\n}\n"}},
	{name: "position_local_const_group", changed: "decl PKG.Task", task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc Task() int {\n\tconst (\n\t\ta = iota\n\t\tb\n\t)\n\treturn b\n}\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc Task() int {\n\tconst a = iota\n\tconst b = iota\n\treturn b\n}\n"}},
	{name: "position_chan_direction", changed: "decl PKG.Task", task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc Task(c chan int) any {\n\tvar d chan<- int = c\n\treturn d\n}\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc Task(c chan int) any {\n\tvar d <-chan int = c\n\treturn d\n}\n"}},
	{name: "position_spread_layout", same: true, task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc count(xs ...any) int { return len(xs) }\n\nfunc Task(xs []any) int { return count(xs...) }\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc count(xs ...any) int { return len(xs) }\n\nfunc Task(xs []any) int {\n\treturn count(\n\t\txs...,\n\t)\n}\n"}},
	{name: "position_alias_layout", same: true, task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc Task(n int) any {\n\ttype N = int\n\treturn N(n)\n}\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc Task(n int) any {\n\ttype (\n\t\tN = int // grouped\n\t)\n\treturn N(n)\n}\n"}},
	{name: "position_label_semicolon", same: true, task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc Task(n int) int {\n\t{\n\t\tif n > 3 {\n\t\t\tgoto done\n\t\t}\n\t\tn++\n\tdone:\n\t}\n\treturn n\n}\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc Task(n int) int {\n\t{\n\t\tif n > 3 {\n\t\t\tgoto done\n\t\t}\n\t\tn++\n\tdone: ;\n\t}\n\treturn n\n}\n"}},
	{name: "position_empty_statement", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "return helper(a) + 1", ";return helper(a) + 1;")}},
	{name: "position_result_parens", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "func Task(a int) int {", "func Task(a int) (int) {")}},
	{name: "position_var_group", same: true, task: "Task",
		before: map[string]string{"a.go": "package p\n\nvar scale = 2\n\nfunc Task(n int) int { return n * scale }\n"},
		after:  map[string]string{"a.go": "package p\n\nvar (\n\tscale = 2\n)\n\nfunc Task(n int) int { return n * scale }\n"}},
	{name: "body", changed: "decl PKG.Task", task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "return helper(a) + 1", "return helper(a) + 2")}},
	{name: "param_rename", changed: "signature PKG.Task", task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(replace(helperSrc, "Task(a int)", "Task(b int)"), "helper(a)", "helper(b)")}},
	{name: "param_type", changed: "signature PKG.Task", task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(replace(helperSrc, "Task(a int)", "Task(a int32)"), "helper(a)", "helper(int(a))")}},
	{name: "result_field_added", changed: "signature PKG.Task", task: "Task",
		before: map[string]string{"a.go": resultSrc},
		after:  map[string]string{"a.go": replace(resultSrc, "In Inner // nested", "In Inner // nested\n\tB string")}},
	{name: "result_nested_field", changed: "type PKG.Inner", task: "Task",
		before: map[string]string{"a.go": resultSrc},
		after:  map[string]string{"a.go": replace(resultSrc, "struct{ X int }", "struct{ X int64 }")}},
	{name: "result_tag", changed: "signature PKG.Task", task: "Task",
		before: map[string]string{"a.go": resultSrc},
		after:  map[string]string{"a.go": replace(resultSrc, `json:"a"`, `json:"b"`)}},
	{name: "task_rename", changed: "decl PKG.Task2", task: "Task", taskAfter: "Task2",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "func Task(", "func Task2(")}},
	{name: "helper_rename", changed: "func PKG.helper2", task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(replace(helperSrc, "helper(a)", "helper2(a)"), "func helper(", "func helper2(")}},
	{name: "helper", changed: "func PKG.helper", task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "deeper(x) * 2", "deeper(x) * 3")}},
	{name: "helper_of_helper", changed: "func PKG.deeper", task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "return x - 1", "return x - 2")}},
	{name: "unrelated_func", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "return 7", "return 8")}},
	{name: "unrelated_type", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "struct{ A int }", "struct{ A, B int }")}},
	{name: "new_file", same: true, task: "Task",
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"b.go": "package p\n\nfunc Other() {}\n"}},
	{name: "mutual_recursion", changed: "func PKG.odd", task: "Task",
		before: map[string]string{"a.go": recursionSrc},
		after:  map[string]string{"a.go": replace(recursionSrc, "return false", "return n < 0")}},
	{name: "self_recursion", changed: "decl PKG.Task", task: "Task",
		before: map[string]string{"a.go": "package p\n\nfunc Task(n int) int {\n\tif n == 0 {\n\t\treturn 1\n\t}\n\treturn n * Task(n-1)\n}\n"},
		after:  map[string]string{"a.go": "package p\n\nfunc Task(n int) int {\n\tif n == 0 {\n\t\treturn 2\n\t}\n\treturn n * Task(n-1)\n}\n"}},
	{name: "method_value_receiver", changed: "method PKG.Calc.Add", task: "Value",
		before: map[string]string{"a.go": methodSrc},
		after:  map[string]string{"a.go": replace(methodSrc, "c.n + x", "c.n - x")}},
	{name: "method_pointer_receiver", changed: "method PKG.Calc.Scale", task: "Pointer",
		before: map[string]string{"a.go": methodSrc},
		after:  map[string]string{"a.go": replace(methodSrc, "c.n * x", "c.n * x * x")}},
	{name: "method_promoted", changed: "method PKG.Inner.Promoted", task: "Embedded",
		before: map[string]string{"a.go": methodSrc},
		after:  map[string]string{"a.go": replace(methodSrc, "return 1", "return 2")}},
	{name: "method_value", changed: "method PKG.Calc.Add", task: "MethodValue", notFollowed: "dynamic call through function value f",
		before: map[string]string{"a.go": methodSrc},
		after:  map[string]string{"a.go": replace(methodSrc, "c.n + x", "c.n - x")}},
	{name: "method_unrelated", same: true, task: "Value",
		before: map[string]string{"a.go": methodSrc},
		after:  map[string]string{"a.go": replace(methodSrc, "c.n * x", "c.n * x * x")}},
	{name: "receiver_pointer", changed: "signature PKG.T.M", task: "T.M",
		before: map[string]string{"a.go": "package p\n\ntype T struct{ n int }\n\nfunc (t T) M() int { return t.n }\n"},
		after:  map[string]string{"a.go": "package p\n\ntype T struct{ n int }\n\nfunc (t *T) M() int { return t.n }\n"}},
	{name: "method_task_receiver_field", changed: "signature PKG.T.M", task: "T.M",
		before: map[string]string{"a.go": "package p\n\ntype T struct{ n int }\n\nfunc (t *T) M() int { return t.n }\n"},
		after:  map[string]string{"a.go": "package p\n\ntype T struct{ n, m int }\n\nfunc (t *T) M() int { return t.n }\n"}},
	{name: "const_dependency", changed: "const PKG.A", task: "Task",
		before: map[string]string{"a.go": constSrc},
		after:  map[string]string{"a.go": replace(constSrc, "B = 3", "B = 4")}},
	{name: "const_same_value", same: true, task: "Task",
		before: map[string]string{"a.go": constSrc},
		after:  map[string]string{"a.go": replace(replace(constSrc, "B = 3", "B = 6"), "A = B * 2", "A = B * 1")}},
	{name: "var_initialiser", changed: "var PKG.table", task: "Task",
		before: map[string]string{"a.go": varSrc},
		after:  map[string]string{"a.go": replace(varSrc, "{1, 2, 3}", "{1, 2, 4}")}},
	{name: "var_initialiser_helper", changed: "func PKG.build", task: "Task",
		before: map[string]string{"a.go": varSrc},
		after:  map[string]string{"a.go": replace(varSrc, "return n + 1", "return n + 2")}},
	{name: "var_func_value", changed: "func PKG.build", task: "Hooked", notFollowed: "dynamic call through function value hook",
		before: map[string]string{"a.go": varSrc},
		after:  map[string]string{"a.go": replace(varSrc, "return n + 1", "return n + 2")}},
	{name: "type_from_body", changed: "type PKG.point", task: "Task",
		before: map[string]string{"a.go": "package p\n\ntype point struct{ X, Y int }\n\nfunc Task() int {\n\tvar p point\n\tp.X = 1\n\treturn p.X\n}\n"},
		after:  map[string]string{"a.go": "package p\n\ntype point struct{ X, Y, Z int }\n\nfunc Task() int {\n\tvar p point\n\tp.X = 1\n\treturn p.X\n}\n"}},
	{name: "alias_target", changed: "type PKG.ID", task: "Task",
		before: map[string]string{"a.go": "package p\n\ntype ID = int32\n\nfunc Task() any {\n\tvar id ID\n\treturn id\n}\n"},
		after:  map[string]string{"a.go": "package p\n\ntype ID = int64\n\nfunc Task() any {\n\tvar id ID\n\treturn id\n}\n"}},
	{name: "import_switch", changed: "decl PKG.Task", task: "Task",
		before: map[string]string{"a.go": "package p\n\nimport \"path\"\n\nfunc Task(s string) string { return path.Base(s) }\n"},
		after:  map[string]string{"a.go": "package p\n\nimport path \"path/filepath\"\n\nfunc Task(s string) string { return path.Base(s) }\n"}},
	{name: "other_package", changed: "func MOD/other_package/util.Helper", task: "Task",
		before: map[string]string{"a.go": otherPkgSrc, "util/util.go": utilSrc},
		after:  map[string]string{"util/util.go": replace(utilSrc, "x + 1", "x + 2")}},
	{name: "other_package_type", changed: "signature PKG.Task", task: "Task",
		before: map[string]string{"a.go": otherPkgSrc, "util/util.go": utilSrc},
		after:  map[string]string{"util/util.go": replace(utilSrc, "Name string", "Name string\n\tAge int")}},
	{name: "other_package_unrelated", same: true, task: "Task",
		before: map[string]string{"a.go": otherPkgSrc, "util/util.go": utilSrc},
		after:  map[string]string{"util/util.go": replace(utilSrc, "return 0", "return 1")}},
	{name: "version_body", same: true, task: "Task", opts: &Options{Version: "1", HasVersion: true},
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "return helper(a) + 1", "return helper(a) + 2")}},
	{name: "version_helper", same: true, task: "Task", opts: &Options{Version: "1", HasVersion: true},
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(helperSrc, "deeper(x) * 2", "deeper(x) * 3")}},
	{name: "version_bump", changed: "options PKG.Task", task: "Task",
		opts: &Options{Version: "1", HasVersion: true}, optsAfter: &Options{Version: "2", HasVersion: true},
		before: map[string]string{"a.go": helperSrc}},
	{name: "version_added", changed: "options PKG.Task", task: "Task", optsAfter: &Options{Version: "1", HasVersion: true},
		before: map[string]string{"a.go": helperSrc}},
	{name: "version_result_type", changed: "signature PKG.Task", task: "Task", opts: &Options{Version: "1", HasVersion: true},
		before: map[string]string{"a.go": resultSrc},
		after:  map[string]string{"a.go": replace(resultSrc, "struct{ X int }", "struct{ X int64 }")}},
	{name: "version_param", changed: "signature PKG.Task", task: "Task", opts: &Options{Version: "1", HasVersion: true},
		before: map[string]string{"a.go": helperSrc},
		after:  map[string]string{"a.go": replace(replace(helperSrc, "Task(a int)", "Task(b int)"), "helper(a)", "helper(b)")}},
	{name: "option_key", changed: "options PKG.Task", task: "Task",
		opts: &Options{Key: "a"}, optsAfter: &Options{Key: "a % 10"},
		before: map[string]string{"a.go": helperSrc}},
	{name: "option_ignore_added", changed: "options PKG.Task", task: "Task",
		optsAfter: &Options{Ignore: []string{"a"}},
		before:    map[string]string{"a.go": helperSrc}},
	{name: "option_ignore_order", same: true, task: "T.M",
		opts: &Options{Ignore: []string{"a", "b"}}, optsAfter: &Options{Ignore: []string{"b", "a", "a"}},
		before: map[string]string{"a.go": "package p\n\ntype T struct{}\n\nfunc (T) M(a, b, c int) int { return c }\n"}},
	{name: "dynamic_interface", same: true, task: "Task", notFollowed: "dynamic call through interface io.Writer.Write (a.go:6)",
		before: map[string]string{"a.go": "package p\n\nimport \"io\"\n\nfunc Task(w io.Writer) error {\n\t_, err := w.Write(nil)\n\treturn err\n}\n"}},
	{name: "dynamic_type_param", same: true, task: "Task", notFollowed: "dynamic call through type parameter T method String",
		before: map[string]string{"a.go": "package p\n\nimport \"fmt\"\n\nfunc Task[T fmt.Stringer](v T) string { return v.String() }\n"}},
	{name: "init_function", same: true, task: "Task", notFollowed: "init functions of package PKG",
		before: map[string]string{"a.go": "package p\n\nvar x int\n\nfunc init() { x = 1 }\n\nfunc Task() int { return x }\n"},
		after:  map[string]string{"a.go": "package p\n\nvar x int\n\nfunc init() { x = 2 }\n\nfunc Task() int { return x }\n"}},
	{name: "embedded_file", same: true, task: "Task", notFollowed: "embedded files of var PKG.data",
		before: map[string]string{"a.go": embedSrc, "data.txt": "one"},
		after:  map[string]string{"data.txt": "two"}},
	{name: "generic_task_body", changed: "decl PKG.Sum", task: "Sum",
		before: map[string]string{"a.go": genericSrc},
		after:  map[string]string{"a.go": replace(genericSrc, "s += x", "s += x + x")}},
	{name: "generic_task_constraint", changed: "type PKG.Number", task: "Sum",
		before: map[string]string{"a.go": genericSrc},
		after:  map[string]string{"a.go": replace(genericSrc, "~int | ~float64", "~int | ~float32 | ~float64")}},
	{name: "generic_helper", changed: "func PKG.Map", task: "Task",
		before: map[string]string{"a.go": genericSrc},
		after:  map[string]string{"a.go": replace(genericSrc, "make([]U, 0, len(xs))", "make([]U, 0)")}},
	{name: "generic_method", changed: "method PKG.Set.Add", task: "Task",
		before: map[string]string{"a.go": genericSrc},
		after:  map[string]string{"a.go": replace(genericSrc, "s.m[v] = true", "s.m[v] = !s.m[v]")}},
	{name: "generic_type", changed: "type PKG.Set", task: "Task",
		before: map[string]string{"a.go": genericSrc},
		after:  map[string]string{"a.go": replace(genericSrc, "struct{ m map[T]bool }", "struct{ m map[T]bool; n int }")}},
	{name: "conversion_call_arg", changed: "method PKG.byLen.Less", task: "Sorted",
		before: map[string]string{"a.go": convSrc},
		after:  map[string]string{"a.go": replace(convSrc, "len(b[i]) < len(b[j])", "len(b[i]) > len(b[j])")}},
	{name: "conversion_variadic_any", changed: "method PKG.T.String", task: "Printed",
		before: map[string]string{"a.go": convSrc},
		after:  map[string]string{"a.go": replace(convSrc, `return "t"`, `return "T"`)}},
	{name: "conversion_return", changed: "method PKG.myErr.Error", task: "Failed",
		before: map[string]string{"a.go": convSrc},
		after:  map[string]string{"a.go": replace(convSrc, `return "bad"`, `return "worse"`)}},
	{name: "conversion_literal", changed: "method PKG.T.String", task: "Listed",
		before: map[string]string{"a.go": convSrc},
		after:  map[string]string{"a.go": replace(convSrc, `return "t"`, `return "T"`)}},
	{name: "conversion_var", changed: "method PKG.T.String", task: "Stored",
		before: map[string]string{"a.go": convSrc},
		after:  map[string]string{"a.go": replace(convSrc, `return "t"`, `return "T"`)}},
	{name: "conversion_nested_field", changed: "method PKG.Inner.MarshalJSON", task: "Task",
		before: map[string]string{"a.go": jsonSrc},
		after:  map[string]string{"a.go": replace(jsonSrc, "`\"in\"`", "`\"IN\"`")}},
	{name: "conversion_none", same: true, task: "Plain",
		before: map[string]string{"a.go": convSrc},
		after:  map[string]string{"a.go": replace(convSrc, `return "t"`, `return "T"`)}},
}

const recursionSrc = `package p

func Task(n int) bool { return even(n) }

func even(n int) bool {
	if n == 0 {
		return true
	}
	return odd(n - 1)
}

func odd(n int) bool {
	if n == 0 {
		return false
	}
	return even(n - 1)
}
`

const constSrc = `package p

const (
	A = B * 2
	B = 3
)

func Task() int { return A }
`

const varSrc = `package p

var table = []int{1, 2, 3}

var hook = build

func build(n int) int { return n + 1 }

var built = build(1)

func Task(i int) int { return table[i] + built }

func Hooked(i int) int { return hook(i) }
`

const otherPkgSrc = `package p

import "PKG/util"

func Task(x int) util.Person {
	return util.Person{Name: string(rune(util.Helper(x)))}
}
`

const utilSrc = `package util

// Person is a result type from another package.
type Person struct {
	Name string
}

// Helper helps across packages.
func Helper(x int) int { return x + 1 }

// Other is not used by the task.
func Other() int { return 0 }
`

const embedSrc = `package p

import _ "embed"

//go:embed data.txt
var data string

func Task() string { return data }
`

const convSrc = `package p

import (
	"fmt"
	"sort"
)

type byLen []string

func (b byLen) Len() int           { return len(b) }
func (b byLen) Less(i, j int) bool { return len(b[i]) < len(b[j]) }
func (b byLen) Swap(i, j int)      { b[i], b[j] = b[j], b[i] }

type T struct{ n int }

func (T) String() string { return "t" }

func (t T) Double() int { return 2 * t.n }

type myErr struct{}

func (*myErr) Error() string { return "bad" }

func Sorted(xs []string) []string {
	sort.Sort(byLen(xs))
	return xs
}

func Printed(n int) string { return fmt.Sprint(n, T{n}) }

func Failed() error { return &myErr{} }

func Stored() fmt.Stringer {
	var s fmt.Stringer = T{}
	return s
}

func Listed() map[string]fmt.Stringer { return map[string]fmt.Stringer{"a": T{1}} }

func Plain(t T) int { return t.Double() }
`

const jsonSrc = `package p

import "encoding/json"

type Inner struct{ X int }

func (Inner) MarshalJSON() ([]byte, error) { return []byte(` + "`\"in\"`" + `), nil }

type Outer struct{ In []Inner }

func Task(o Outer) ([]byte, error) { return json.Marshal(o) }
`
