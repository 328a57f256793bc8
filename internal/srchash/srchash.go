package srchash

import (
	"bytes"
	"go/ast"
	"go/token"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"

	"github.com/cachegen/cachegen/internal/astcanon"
)

// Source is one declaration of a task's module that the task's fingerprint
// covers, as the generator saw it: where it is, and a hash of its syntax.
// The generated file records a task's sources so that a program run where
// its source is, and the analyzer, can tell without type-checking whether
// the code changed since go generate.
type Source struct {
	// Pkg is the import path of the declaration's package.
	Pkg string
	// File is the base name of the file that declares it.
	File string
	// Name is the declared name: "F", "T.M" (T as the receiver is written,
	// without type parameters), or the name of a type, variable or
	// constant.
	Name string
	// Hash is the syntax hash: [Decl] or, when Task is set, [TaskDecl].
	Hash string
	// Task says the source is a task's own declaration, hashed with its
	// directives (and without its body under version=).
	Task bool `json:",omitempty"`
	// Code says the source counts only for the code of a versioned task
	// (its forgotten-bump check), not for its key: editing it does not
	// make the wrapper stale.
	Code bool `json:",omitempty"`
}

// Key identifies a source within a task's list.
func (s Source) Key() string {
	k := s.Pkg + "\x00" + s.Name
	if s.Task {
		k += "\x00task"
	}
	return k
}

// FuncName names a function declaration as [Source.Name] does: "F", or
// "T.M" for a method of T, *T or T[P], as written (an alias receiver by
// the alias's name).
func FuncName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name + "." + fd.Name.Name
		default:
			return fd.Name.Name
		}
	}
}

// Decls returns the syntax hash of every top-level declaration of f, by
// name (see [Source.Name]). A function's hash covers the declaration
// without its doc comment; a type's, its spec; a variable's, the spec that
// declares it; a constant's, the whole const declaration it is part of
// (iota and implicit repetition depend on it). Each also covers the
// imports of f that the declaration names, so pointing a package name at
// another path changes the hash while an unrelated new import does not.
func Decls(f *ast.File) map[string]string {
	imports := fileImports(f)
	out := make(map[string]string)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			fd := *d
			fd.Doc = nil
			out[FuncName(d)] = hash(imports, &fd)
		case *ast.GenDecl:
			switch d.Tok {
			case token.TYPE:
				for _, s := range d.Specs {
					ts := *s.(*ast.TypeSpec)
					ts.Doc, ts.Comment = nil, nil
					out[ts.Name.Name] = hash(imports, &ts)
				}
			case token.VAR:
				for _, s := range d.Specs {
					vs := *s.(*ast.ValueSpec)
					vs.Doc, vs.Comment = nil, nil
					h := hash(imports, &vs)
					for _, n := range vs.Names {
						out[n.Name] = h
					}
				}
			case token.CONST:
				gd := *d
				gd.Doc = nil
				h := hash(imports, &gd)
				for _, s := range d.Specs {
					for _, n := range s.(*ast.ValueSpec).Names {
						out[n.Name] = h
					}
				}
			}
		}
	}
	return out
}

// TaskDecl returns the syntax hash of a task's own declaration fd in f:
// the declaration without its doc comment, plus the text of its directive
// lines, so a changed version= or key= changes it too. Under a
// //cache:task directive with version=, the body does not count: the
// version stands for it.
func TaskDecl(f *ast.File, fd *ast.FuncDecl) string {
	var dirs []string
	versioned := false
	if fd.Doc != nil {
		for _, c := range fd.Doc.List {
			if strings.HasPrefix(c.Text, "//cache:") || strings.HasPrefix(c.Text, "//memo:") {
				dirs = append(dirs, strings.TrimSpace(c.Text))
				versioned = versioned || strings.HasPrefix(c.Text, "//cache:") && strings.Contains(c.Text, " version=")
			}
		}
	}
	d := *fd
	d.Doc = nil
	if versioned {
		d.Body = nil
	}
	return sum([]byte(hash(fileImports(f), &d) + "\n" + strings.Join(dirs, "\n")))
}

// FindTask returns the declaration of the function named name (see
// [FuncName]) in f, or nil.
func FindTask(f *ast.File, name string) *ast.FuncDecl {
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && FuncName(fd) == name {
			return fd
		}
	}
	return nil
}

// hash returns the hash of a declaration's canonical text and the imports
// it names.
func hash(imports map[string][]string, n ast.Node) string {
	var buf bytes.Buffer
	buf.Write(astcanon.Write(nil, n))
	var used []string
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used = append(used, imports[id.Name]...)
			}
		}
		return true
	})
	slices.Sort(used)
	for _, u := range slices.Compact(used) {
		buf.WriteString("\nimport " + u)
	}
	return sum(buf.Bytes())
}

// fileImports maps the names a file's imports may be known by to
// "name path" entries. An import without a name is known by its package's
// name, which syntax alone does not tell: the last element of its path,
// without a major version suffix or a go- prefix or -go / .go suffix, is
// taken as that name.
func fileImports(f *ast.File) map[string][]string {
	out := make(map[string][]string)
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name
		} else {
			name = guessName(p)
		}
		out[name] = append(out[name], name+" "+p)
	}
	return out
}

// guessName guesses the package name of an import path.
func guessName(p string) string {
	elem := path.Base(p)
	if len(elem) >= 2 && elem[0] == 'v' && strings.Trim(elem[1:], "0123456789") == "" && path.Dir(p) != "." {
		elem = path.Base(path.Dir(p))
	}
	elem = strings.TrimPrefix(elem, "go-")
	elem = strings.TrimSuffix(strings.TrimSuffix(elem, "-go"), ".go")
	if i := strings.IndexAny(elem, ".-"); i >= 0 {
		elem = elem[:i]
	}
	return elem
}

// sum is xxhash64 of b as 16 lowercase hex digits.
func sum(b []byte) string {
	const hex = "0123456789abcdef"
	v := xxhash.Sum64(b)
	var out [16]byte
	for i := 15; i >= 0; i-- {
		out[i] = hex[v&0xf]
		v >>= 4
	}
	return string(out[:])
}
