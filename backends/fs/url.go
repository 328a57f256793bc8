package fs

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"github.com/cachegen/cachegen/backends"
)

func init() {
	backends.Register("file", func(_ context.Context, u *url.URL) (backends.Store, error) {
		dir, err := urlDir(u)
		if err != nil {
			return nil, err
		}
		return New(dir)
	})
}

// DefaultDir returns the directory of the default store, a "cachegen"
// folder in the user's cache directory (os.UserCacheDir).
func DefaultDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("fs: default directory: %w", err)
	}
	return filepath.Join(dir, "cachegen"), nil
}

// urlDir returns the directory a file URL names: file:///abs/dir, or the
// default directory for file:// with an empty path.
func urlDir(u *url.URL) (string, error) {
	const want = "want file:///absolute/dir"
	switch {
	case u.Opaque != "":
		return "", fmt.Errorf("fs: relative path %q in file URL; %s", u.Opaque, want)
	case u.Host != "" && u.Host != "localhost":
		return "", fmt.Errorf("fs: file URL has host %q; %s (three slashes)", u.Host, want)
	case u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("fs: file URL takes no query or fragment; %s", want)
	case u.Path == "":
		return DefaultDir()
	}
	p := filepath.FromSlash(u.Path)
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == filepath.Separator && p[2] == ':' {
		p = p[1:] // file:///C:/dir
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("fs: file URL path %q is not absolute; %s", u.Path, want)
	}
	return filepath.Clean(p), nil
}
