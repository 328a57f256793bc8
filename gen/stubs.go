package gen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/cachegen/cachegen/gen/directive"
	"github.com/cachegen/cachegen/gen/taskname"
)

// Stubs: while the generator loads a module, every package's generated file
// is replaced (through the go command's overlay) by a stub that declares
// the package's wrappers with their final signatures and a body that
// panics. A wrapper's signature follows from the directive and the
// function's signature alone, so the stub can be written from syntax
// before anything is type-checked. Code that calls another package's
// wrappers (report calling work.SumCached) then type-checks on the first
// run, whatever order the packages are generated in, and a stale generated
// file that no longer compiles never blocks regeneration. The fingerprint
// does not hash the stubs: it lists the wrappers a task reaches, and the
// generator folds in the fingerprints of the tasks behind them (see
// wrappers.go).

// stubOverlay returns the overlay for the packages of a load: for every
// package of modules in mods that has directives, or a generated file
// already, the content its generated file has while loading.
func stubOverlay(graph []*packages.Package, mods map[string]bool) map[string][]byte {
	overlay := make(map[string][]byte)
	packages.Visit(graph, nil, func(p *packages.Package) {
		if p.Module == nil || !mods[p.Module.Path] || p.Name == "" {
			return
		}
		files := append(slices.Clip(p.GoFiles), p.IgnoredFiles...)
		dir := p.Dir
		if dir == "" && len(p.GoFiles) > 0 {
			dir = filepath.Dir(p.GoFiles[0])
		}
		if dir == "" {
			return
		}
		stub := packageStub(p)
		path := filepath.Join(dir, FileName)
		if stub == nil && slices.ContainsFunc(files, func(f string) bool { return filepath.Base(f) == FileName }) {
			stub = []byte("package " + p.Name + "\n")
		}
		if stub != nil {
			overlay[path] = stub
		}
	})
	return overlay
}

// packageStub returns the stub generated file of a package, or nil when
// the package has no directives. Files that do not parse are skipped:
// loading reports their errors.
func packageStub(p *packages.Package) []byte {
	fset := token.NewFileSet()
	s := &stubWriter{fset: fset, imports: make(map[string]string), pkg: p}
	var files []*ast.File
	for _, name := range p.GoFiles {
		if filepath.Base(name) == FileName {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		files = append(files, f)
	}
	declared := topLevelNames(files)
	for _, f := range files {
		found, _ := directive.File(fset, f)
		for _, fd := range found {
			for _, d := range fd.Directives {
				name := taskname.Wrapper(fd.Decl.Name.Name, d)
				if declared[recvBase(fd.Decl)+"."+name] {
					continue // the generator reports the clash with its position
				}
				declared[recvBase(fd.Decl)+"."+name] = true
				s.wrapper(f, fd.Decl, name)
			}
		}
	}
	if s.body.Len() == 0 {
		return nil
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "package %s\n\n", p.Name)
	for _, alias := range sortedKeys(s.imports) {
		fmt.Fprintf(&out, "import %s %s\n", alias, strconv.Quote(s.imports[alias]))
	}
	out.Write(s.body.Bytes())
	return out.Bytes()
}

// topLevelNames returns the package-level names and the methods
// ("Recv.Name", "" for functions) that the files declare.
func topLevelNames(files []*ast.File) map[string]bool {
	names := make(map[string]bool)
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				names[recvBase(d)+"."+d.Name.Name] = true
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names["."+s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names["."+n.Name] = true
						}
					}
				}
			}
		}
	}
	return names
}

// recvBase returns the name of a method's receiver base type as written
// ("" for a function).
func recvBase(fd *ast.FuncDecl) string {
	name := directive.FuncName(fd)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[:i]
	}
	return ""
}

// stubWriter writes the wrapper stubs of one package.
type stubWriter struct {
	fset    *token.FileSet
	pkg     *packages.Package
	imports map[string]string // alias → import path
	body    bytes.Buffer
}

// wrapper writes the stub of one wrapper: the receiver, type parameters,
// parameters and results of fd under another name, with a body that
// panics (a stub is never run: it exists only while loading).
func (s *stubWriter) wrapper(f *ast.File, fd *ast.FuncDecl, name string) {
	names := s.importNames(f)
	stub := &ast.FuncDecl{
		Name: ast.NewIdent(name),
		Recv: fd.Recv,
		Type: &ast.FuncType{TypeParams: fd.Type.TypeParams, Params: fd.Type.Params, Results: fd.Type.Results},
	}
	ast.Inspect(stub, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok {
			if path, ok := names[id.Name]; ok {
				id.Name = s.alias(id.Name, path)
			}
		}
		return true
	})
	s.body.WriteString("\nfunc ")
	if stub.Recv != nil {
		s.body.WriteByte('(')
		s.fields(stub.Recv)
		s.body.WriteString(") ")
	}
	s.body.WriteString(name)
	if tp := stub.Type.TypeParams; tp != nil {
		s.body.WriteByte('[')
		s.fields(tp)
		s.body.WriteByte(']')
	}
	s.body.WriteByte('(')
	s.fields(stub.Type.Params)
	s.body.WriteByte(')')
	if res := stub.Type.Results; res != nil && len(res.List) > 0 {
		s.body.WriteString(" (")
		s.fields(res)
		s.body.WriteByte(')')
	}
	s.body.WriteString(" { panic(\"cachegen: stub\") }\n")
}

// fields writes a field list's fields, comma-separated, without brackets.
func (s *stubWriter) fields(fl *ast.FieldList) {
	for i, fld := range fl.List {
		if i > 0 {
			s.body.WriteString(", ")
		}
		for j, n := range fld.Names {
			if j > 0 {
				s.body.WriteString(", ")
			}
			s.body.WriteString(n.Name)
		}
		if len(fld.Names) > 0 {
			s.body.WriteByte(' ')
		}
		s.node(fld.Type)
	}
}

// node prints a syntax node as the source has it.
func (s *stubWriter) node(n ast.Node) {
	if err := format.Node(&s.body, s.fset, n); err != nil {
		s.body.WriteString("/* " + err.Error() + " */")
	}
}

// importNames maps the names a file's imports are known by to their paths.
// An import without a name is known by its package's name, which the
// package list has.
func (s *stubWriter) importNames(f *ast.File) map[string]string {
	names := make(map[string]string)
	for _, spec := range f.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := ""
		switch {
		case spec.Name != nil:
			name = spec.Name.Name
		case s.pkg.Imports[path] != nil && s.pkg.Imports[path].Name != "":
			name = s.pkg.Imports[path].Name
		default:
			name = filepath.Base(path)
		}
		if name != "_" && name != "." {
			names[name] = path
		}
	}
	return names
}

// alias returns the name the stub imports path by, preferring the name the
// source uses; two files that use one name for different paths get
// distinct aliases.
func (s *stubWriter) alias(name, path string) string {
	for a, p := range s.imports {
		if p == path {
			return a
		}
	}
	alias := name
	for i := 2; s.imports[alias] != ""; i++ {
		alias = name + strconv.Itoa(i)
	}
	s.imports[alias] = path
	return alias
}

// sortedKeys returns a map's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
