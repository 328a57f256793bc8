package fingerprint

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// LoadConfig says which packages [Load] loads and how.
type LoadConfig struct {
	// Dir is the directory patterns are resolved in ("" is the current one).
	Dir string
	// Patterns are go/packages patterns; none means ".".
	Patterns []string
	// Env is the environment of the go command (nil: the process's).
	Env []string
	// BuildFlags are passed to the go command.
	BuildFlags []string
	// Overlay replaces file contents by absolute path (see packages.Config).
	Overlay map[string][]byte
	// Prepare, when not nil, is called with the import graph of the roots
	// (names, files, imports and modules, nothing parsed) and the paths of
	// the roots' modules before the packages are type-checked; the files it
	// returns are laid over Overlay for type-checking. The generator uses
	// it to declare every package's wrappers before anything is checked.
	Prepare func(graph []*packages.Package, modules map[string]bool) map[string][]byte
	// Generated is the base name of generated files ("cachegen_gen.go"):
	// the objects they declare are not hashed; a Fingerprint lists the
	// ones its task reaches in Generated instead.
	Generated string
	// Debug, when not nil, receives the canonical text of every part a
	// fingerprint hashes, during each Task call (concurrent calls may
	// interleave their output).
	Debug io.Writer
}

// rootMode is the mode of the second load: syntax and types for the roots
// and the same-module packages, export data for everything else.
const rootMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
	packages.NeedTypesInfo | packages.NeedModule | packages.NeedImports

// graphMode is the mode of the first, cheap load: the import graph and each
// package's module, without parsing anything.
const graphMode = packages.NeedName | packages.NeedFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule

// Load loads the packages matching cfg.Patterns for hashing: the roots with
// syntax, types and type info, plus every package of the roots' modules that
// they import (transitively), also with syntax, so helpers in other packages
// of the module can be hashed. Packages of other modules and the standard
// library come from export data. Type errors do not fail Load: they stay in
// each package's Errors for the caller. The roots are returned in the order
// the go command listed them.
func Load(ctx context.Context, cfg LoadConfig) (*Program, []*packages.Package, error) {
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	pcfg := &packages.Config{
		Context: ctx, Dir: cfg.Dir, Env: cfg.Env, BuildFlags: cfg.BuildFlags, Overlay: cfg.Overlay,
		Mode: graphMode,
	}
	graph, err := packages.Load(pcfg, patterns...)
	if err != nil {
		return nil, nil, fmt.Errorf("fingerprint: list %s: %w", strings.Join(patterns, " "), err)
	}
	p := newProgram(cfg.Debug)
	p.generated = cfg.Generated
	rootIDs := make(map[string]int, len(graph))
	mains := make(map[string]bool)
	for i, r := range graph {
		rootIDs[r.ID] = i
		if r.Module != nil {
			mains[r.Module.Path] = true
		}
	}
	var extra []string
	packages.Visit(graph, nil, func(pkg *packages.Package) {
		if pkg.Module != nil {
			p.modules[pkg.PkgPath] = pkg.Module
			if _, root := rootIDs[pkg.ID]; !root && mains[pkg.Module.Path] {
				extra = append(extra, pkg.PkgPath)
			}
		}
	})
	if cfg.Prepare != nil {
		overlay := maps.Clone(cfg.Overlay)
		if overlay == nil {
			overlay = make(map[string][]byte)
		}
		maps.Copy(overlay, cfg.Prepare(graph, mains))
		pcfg.Overlay = overlay
	}
	pcfg.Mode = rootMode
	pcfg.Fset = p.fset
	all, err := packages.Load(pcfg, append(patterns[:len(patterns):len(patterns)], extra...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("fingerprint: load %s: %w", strings.Join(patterns, " "), err)
	}
	roots := make([]*packages.Package, len(graph))
	for _, pkg := range all {
		p.pkgs[pkg.PkgPath] = &pkgIndex{pkg: pkg}
		if pkg.Module != nil {
			p.modules[pkg.PkgPath] = pkg.Module
		}
		if i, ok := rootIDs[pkg.ID]; ok {
			roots[i] = pkg
		}
	}
	// A root missing from the second load (it should not happen) is dropped
	// rather than handed out as nil.
	kept := roots[:0]
	for _, r := range roots {
		if r != nil {
			kept = append(kept, r)
		}
	}
	return p, kept, nil
}

// Program indexes loaded packages and caches per-object hashes across
// tasks. It is safe for concurrent use.
type Program struct {
	fset  *token.FileSet
	debug io.Writer
	// generated is the base name of generated files (see LoadConfig).
	generated string
	// modules maps a package path to its module (nil entries are absent:
	// the standard library has none).
	modules map[string]*packages.Module
	// pkgs maps a package path to a package loaded with syntax.
	pkgs map[string]*pkgIndex

	// mu guards objects, dirs and the lazily built fields of every pkgIndex.
	mu sync.Mutex
	// objects caches object hashes by object key (see objectKey).
	objects map[string]*objectEntry
	// dirs caches module directory hashes by directory.
	dirs map[string]string
}

func newProgram(debug io.Writer) *Program {
	return &Program{
		fset:    token.NewFileSet(),
		debug:   debug,
		modules: make(map[string]*packages.Module),
		pkgs:    make(map[string]*pkgIndex),
		objects: make(map[string]*objectEntry),
		dirs:    make(map[string]string),
	}
}

// Packages returns the packages loaded with syntax (the roots and the
// packages of their modules they import), sorted by path.
func (p *Program) Packages() []*packages.Package {
	var out []*packages.Package
	for _, path := range slices.Sorted(maps.Keys(p.pkgs)) {
		out = append(out, p.pkgs[path].pkg)
	}
	return out
}

// Fset returns the file set of every loaded package.
func (p *Program) Fset() *token.FileSet { return p.fset }

// pkgIndex finds the declarations of a package's package-level objects.
type pkgIndex struct {
	pkg *packages.Package
	// built says whether the maps below are filled (guarded by Program.mu).
	built bool
	funcs map[string]*ast.FuncDecl  // by object key
	specs map[string]*ast.ValueSpec // var specs by object key
	embed map[string]bool           // var keys with a //go:embed directive
	inits []token.Pos               // positions of init functions
	// decls caches srchash.Decls of each file (guarded by Program.mu).
	decls map[*ast.File]map[string]string
}

// build fills the index from the package's syntax. The caller holds
// Program.mu.
func (ix *pkgIndex) build() {
	if ix.built {
		return
	}
	ix.built = true
	ix.funcs = make(map[string]*ast.FuncDecl)
	ix.specs = make(map[string]*ast.ValueSpec)
	ix.embed = make(map[string]bool)
	info := ix.pkg.TypesInfo
	if info == nil {
		return
	}
	for _, f := range ix.pkg.Syntax {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" {
					ix.inits = append(ix.inits, d.Pos())
					continue
				}
				if obj := info.Defs[d.Name]; obj != nil {
					ix.funcs[objectKey(obj)] = d
				}
			case *ast.GenDecl:
				if d.Tok == token.VAR {
					ix.addVars(info, d)
				}
			}
		}
	}
}

// addVars indexes the specs of a var declaration.
func (ix *pkgIndex) addVars(info *types.Info, d *ast.GenDecl) {
	for _, s := range d.Specs {
		vs := s.(*ast.ValueSpec)
		embedded := hasEmbed(d.Doc) || hasEmbed(vs.Doc)
		for _, n := range vs.Names {
			if obj := info.Defs[n]; obj != nil {
				ix.specs[objectKey(obj)] = vs
				ix.embed[objectKey(obj)] = embedded
			}
		}
	}
}

// hasEmbed reports whether a comment group holds a //go:embed directive.
func hasEmbed(g *ast.CommentGroup) bool {
	if g == nil {
		return false
	}
	for _, c := range g.List {
		if strings.HasPrefix(c.Text, "//go:embed") {
			return true
		}
	}
	return false
}

// index returns the index of a package loaded with syntax, or nil.
func (p *Program) index(path string) *pkgIndex {
	ix := p.pkgs[path]
	if ix == nil {
		return nil
	}
	p.mu.Lock()
	ix.build()
	p.mu.Unlock()
	return ix
}

// moduleOf returns the module of a package, or nil for the standard library
// (and packages outside any module).
func (p *Program) moduleOf(path string) *packages.Module {
	return p.modules[path]
}
