package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// Extract writes the files and directories of pkg, which ReadPackage
// returned, into the new directory dst. It extracts into a temporary
// sibling directory through an [os.Root] (nothing can land outside it),
// checks every file against the SHA-256 ReadPackage computed, fsyncs, and
// renames the directory to dst: dst appears complete or not at all. dst
// must not exist. Files get mode 0644 and directories 0755; archive modes,
// owners and times are ignored.
func Extract(ctx context.Context, pkg Package, dst string) (err error) {
	if pkg.src == nil {
		return fmt.Errorf("extracting app package: the package was not read by ReadPackage")
	}
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("extracting app package: %s: %w", dst, fs.ErrExist)
	}
	parent, base := filepath.Dir(dst), filepath.Base(dst)
	tmp, err := os.MkdirTemp(parent, "."+base+".extract-*")
	if err != nil {
		return fmt.Errorf("extracting app package: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return fmt.Errorf("extracting app package: %w", err)
	}
	defer root.Close()
	x := &extractor{root: root, want: make(map[string]File, len(pkg.Files))}
	for _, f := range pkg.Files {
		x.want[f.Name] = f
	}
	if _, err := walkArchive(ctx, pkg.src, pkg.srcSize, pkg.lim, x.entry); err != nil {
		return fmt.Errorf("extracting app package: %w", err)
	}
	if x.done != len(pkg.Files) {
		return fmt.Errorf("extracting app package: %w: the archive changed since it was read", ErrInvalidPackage)
	}
	if err := syncDir(tmp); err != nil {
		return fmt.Errorf("extracting app package: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("extracting app package: moving into place: %w", err)
	}
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("extracting app package: %w", err)
	}
	return nil
}

// extractor writes entries under root, checking them against want.
type extractor struct {
	root *os.Root
	want map[string]File
	done int
}

func (x *extractor) entry(e entry, body io.Reader) error {
	name := filepath.FromSlash(e.name)
	if e.dir {
		return x.mkdirAll(name)
	}
	want, ok := x.want[e.name]
	if !ok || want.Size != e.size {
		return fmt.Errorf("%w: entry %q: the archive changed since it was read", ErrInvalidPackage, e.name)
	}
	if dir := path.Dir(e.name); dir != "." {
		if err := x.mkdirAll(filepath.FromSlash(dir)); err != nil {
			return err
		}
	}
	f, err := x.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("creating %s: %w", e.name, err)
	}
	h := sha256.New()
	_, rerr, werr := copyHashed(f, h, body, e.size)
	serr := f.Sync()
	if err := errors.Join(rerr, werr, serr, f.Close()); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want.SHA256 {
		return fmt.Errorf("%w: entry %q: content changed since the archive was read", ErrInvalidPackage, e.name)
	}
	x.done++
	return nil
}

func (x *extractor) mkdirAll(name string) error {
	if err := x.root.MkdirAll(name, 0o755); err != nil {
		return fmt.Errorf("creating directory %s: %w", name, err)
	}
	return nil
}
