package fingerprint

import (
	"fmt"
	"go/ast"
	"strings"
	"testing"
)

// benchSource returns a package of n tasks, each calling a chain of
// helpers that use a shared type, a constant and a variable.
func benchSource(n int) string {
	var b strings.Builder
	b.WriteString("package p\n\nimport \"strings\"\n\ntype Rec struct {\n\tName string `json:\"name\"`\n\tTags []string\n}\n\n")
	b.WriteString("const Scale = 3\n\nvar prefix = strings.Repeat(\"x\", Scale)\n\n")
	for i := range n {
		fmt.Fprintf(&b, "func helper%d(r Rec) int {\n\tif len(r.Tags) > %d {\n\t\treturn helper%d(Rec{Name: r.Name})\n\t}\n\treturn len(prefix + r.Name) * Scale\n}\n\n", i, i%5, (i+1)%n)
		fmt.Fprintf(&b, "func Task%d(name string, tags []string) (Rec, error) {\n\tr := Rec{Name: name, Tags: tags}\n\tr.Name = strings.ToUpper(r.Name) + fmt(helper%d(r))\n\treturn r, nil\n}\n\n", i, i)
	}
	b.WriteString("func fmt(n int) string { return strings.Repeat(\"!\", n%7) }\n")
	return b.String()
}

// BenchmarkTask fingerprints every task of a 50-task package with a cold
// object cache (each op is the whole package, as one generator run).
func BenchmarkTask(b *testing.B) {
	const n = 50
	prog, roots := loadModule(b, writeModule(b, "1.26", map[string]string{"p/a.go": benchSource(n)}), LoadConfig{})
	pkg := findPackage(b, roots, testModule+"/p")
	var decls []*ast.FuncDecl
	for i := range n {
		decls = append(decls, findDecl(b, pkg, fmt.Sprintf("Task%d", i)))
	}
	b.ReportAllocs()
	for b.Loop() {
		prog.mu.Lock()
		clear(prog.objects)
		prog.mu.Unlock()
		for _, d := range decls {
			if _, err := prog.Task(pkg, d, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
