package content

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// tempMaxAge is how old a temporary file must be before a clean-up removes
// it: older than any Put, Append or Extract still running.
const tempMaxAge = time.Hour

// copyBufSize is the buffer used when streaming content to disk.
const copyBufSize = 256 << 10

// ValidSHA256 reports whether s is a SHA-256 digest as this package names
// blobs: exactly 64 lower-case hex digits.
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// ctxReader fails reads once ctx is done, so a long copy stops promptly.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// syncDir fsyncs a directory so a rename or creation in it survives a power
// loss. Windows cannot sync directories; renames there are journalled.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}

// writeFileAtomic replaces dir/name with data: write a temporary file, fsync
// it, rename it over the old one. Readers see the old or the new content.
func writeFileAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// removeOldTemps removes the files in dir whose names contain marker and
// that were last modified before cutoff; it returns how many it removed.
func removeOldTemps(dir, marker string, cutoff time.Time) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("listing %s: %w", dir, err)
	}
	n := 0
	for _, e := range entries {
		if !strings.Contains(e.Name(), marker) {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("inspecting %s: %w", e.Name(), err)
		}
		if info.ModTime().Before(cutoff) && os.RemoveAll(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n, nil
}
