package fs

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// RemoveTemp deletes the temporary files that writers which crashed or were
// killed mid-Put left behind, if they were last written more than age ago,
// and returns how many it removed. Get and List never see such files; this
// only reclaims their space. A writer in progress keeps its file's time
// fresh, so an age of an hour is safe for a gc to use while others write.
func (s *Store) RemoveTemp(ctx context.Context, age time.Duration) (int, error) {
	if s.dir == nil {
		return 0, fmt.Errorf("fs: remove temp files: %w", errZero)
	}
	cutoff := s.now().Add(-age)
	n := 0
	err := filepath.WalkDir(s.root, func(path string, d iofs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, iofs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		fi, err := d.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			return nil // gone already, or young
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, iofs.ErrNotExist) {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("fs: remove temp files: %w", err)
	}
	return n, nil
}
