package content

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"io/fs"
	"math"
	"strings"
)

// walkZip checks every entry from the central directory first, so a bad
// name or a bomb is refused before anything is inflated, then reads them.
func walkZip(ctx context.Context, r io.ReaderAt, size int64, c *checker, fn walkFunc) error {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return invalid("", "not a readable zip archive: %v", err)
	}
	if len(zr.File) > c.lim.MaxEntries {
		return tooLarge("", "%d entries is over the limit of %d", len(zr.File), c.lim.MaxEntries)
	}
	type item struct {
		f *zip.File
		e entry
	}
	items := make([]item, 0, len(zr.File))
	for _, f := range zr.File {
		e, skip, err := c.zipEntry(f)
		if err != nil {
			return err
		}
		if !skip {
			items = append(items, item{f, e})
		}
	}
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return err
		}
		if it.e.dir {
			if err := visit(ctx, it.e, nil, fn); err != nil {
				return err
			}
			continue
		}
		rc, err := it.f.Open()
		if err != nil {
			return invalid(it.f.Name, "%v", err)
		}
		err = visit(ctx, it.e, rc, fn)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// zipEntry checks what only zip headers say: type, encryption, and the
// entry's own compression ratio.
func (c *checker) zipEntry(f *zip.File) (entry, bool, error) {
	mode := f.Mode()
	dir := strings.HasSuffix(f.Name, "/") || mode.IsDir()
	switch {
	case mode&fs.ModeSymlink != 0:
		return entry{}, false, invalid(f.Name, "symbolic links are not allowed")
	case mode.Type()&^fs.ModeDir != 0:
		return entry{}, false, invalid(f.Name, "special files (%v) are not allowed", mode.Type())
	case f.Flags&0x1 != 0:
		return entry{}, false, invalid(f.Name, "encrypted entries are not supported")
	case f.UncompressedSize64 > math.MaxInt64:
		return entry{}, false, tooLarge(f.Name, "declared size out of range")
	}
	size := int64(f.UncompressedSize64)
	if !dir && size > ratioFloor && size/c.lim.MaxRatio > int64(min(f.CompressedSize64, math.MaxInt64/2)) {
		return entry{}, false, tooLarge(f.Name, "%d bytes compressed to %d is over the %d:1 ratio limit (a zip bomb?); store it uncompressed or raise the limit",
			size, f.CompressedSize64, c.lim.MaxRatio)
	}
	return c.check(f.Name, dir, size)
}
