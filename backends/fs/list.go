package fs

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cachegen/cachegen/backends"
)

// List yields the objects whose keys start with prefix, sorted by key. It
// walks only the directory of the prefix's whole segments (pruning, at its
// top, subdirectories whose segment cannot match the rest), filters by the
// exact string prefix, then sorts: the escaped names do not sort like keys.
// Temporary files and files that are not exactly an object's path are
// skipped. The listing is collected before the first yield, so the loop
// body may use the store.
func (s *Store) List(ctx context.Context, prefix string) iter.Seq2[backends.Info, error] {
	return func(yield func(backends.Info, error) bool) {
		infos, err := s.collect(ctx, prefix)
		if err != nil {
			yield(backends.Info{}, fmt.Errorf("fs: list %s: %w", prefix, err))
			return
		}
		for _, info := range infos {
			if !yield(info, nil) {
				return
			}
		}
	}
}

// collect returns the Info of every object under prefix, sorted by key.
func (s *Store) collect(ctx context.Context, prefix string) ([]backends.Info, error) {
	if s.dir == nil {
		return nil, errZero
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	whole := prefix[:strings.LastIndexByte(prefix, '/')+1]
	w := walker{ctx: ctx, root: s.root, prefix: prefix, partial: prefix[len(whole):]}
	if err := w.walk(string(appendDirPath(nil, whole, '/')), true); err != nil {
		return nil, err
	}
	slices.SortFunc(w.infos, func(a, b backends.Info) int { return strings.Compare(a.Key, b.Key) })
	return w.infos, nil
}

// walker gathers the objects of one List.
type walker struct {
	ctx     context.Context
	root    string
	prefix  string // the List prefix
	partial string // the prefix after its last '/'
	infos   []backends.Info
}

// walk visits the directory at rel ('/'-separated, relative to the root,
// empty or ending in '/'); top says it is the directory List starts in.
func (w *walker) walk(rel string, top bool) error {
	f, err := os.Open(filepath.Join(w.root, filepath.FromSlash(rel)))
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		switch {
		case name == "" || name[0] == '.':
			// temporary files, and nothing the store writes
		case e.IsDir():
			if top && w.partial != "" && !mayHold(name, w.partial) {
				continue
			}
			if err := w.walk(rel+name+"/", false); err != nil {
				return err
			}
		case e.Type().IsRegular() && name[len(name)-1] == marker:
			if err := w.object(rel + name); err != nil {
				return err
			}
		}
	}
	return nil
}

// object adds the object file at rel if it is one under the prefix.
func (w *walker) object(rel string) error {
	key, ok := pathKey(rel)
	if !ok || !strings.HasPrefix(key, w.prefix) {
		return nil
	}
	fi, err := os.Lstat(filepath.Join(w.root, filepath.FromSlash(rel)))
	if errors.Is(err, iofs.ErrNotExist) {
		return nil // deleted since the directory was read
	}
	if err != nil {
		return err
	}
	w.infos = append(w.infos, infoOf(key, fi))
	return nil
}

// mayHold reports whether the directory name, found where List starts, may
// hold keys whose segment there starts with partial.
func mayHold(name, partial string) bool {
	switch {
	case len(name) == fanLen && name[0] == marker:
		return true // objects whose last segment is here; filtered later
	case strings.HasSuffix(name, "#c"):
		chunk, ok := unescape(nil, name[:len(name)-2])
		return ok && (strings.HasPrefix(string(chunk), partial) || strings.HasPrefix(partial, string(chunk)))
	}
	seg, ok := unescape(nil, name)
	return ok && strings.HasPrefix(string(seg), partial)
}
