package content

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
)

// Limits bounds what ReadPackage accepts; zero fields take the defaults.
type Limits struct {
	// MaxEntries bounds the entries of any kind; zero means 10,000.
	MaxEntries int
	// MaxFileSize bounds one file, uncompressed; zero means MaxTotalSize.
	MaxFileSize int64
	// MaxTotalSize bounds all files together, uncompressed; zero means
	// 32 GiB (Intune's limit for one app is 30 GB).
	MaxTotalSize int64
	// MaxRatio bounds uncompressed:compressed size, per zip entry and for
	// the whole archive, once the uncompressed size passes 1 MiB; zero
	// means 100. It stops zip bombs before anything is inflated.
	MaxRatio int64
}

// ratioFloor is the uncompressed size below which the ratio is not checked:
// small files of zeros or text compress far better than 100:1, harmlessly.
const ratioFloor = 1 << 20

func (l Limits) withDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = 10_000
	}
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = 32 << 30
	}
	if l.MaxFileSize <= 0 || l.MaxFileSize > l.MaxTotalSize {
		l.MaxFileSize = l.MaxTotalSize
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = 100
	}
	return l
}

// entry is one validated archive entry.
type entry struct {
	name string // clean, relative, "/"-separated
	dir  bool
	size int64 // uncompressed; 0 for directories
}

// walkFunc receives each entry in archive order; body (nil for a directory)
// yields exactly e.size bytes and must be read to EOF.
type walkFunc func(e entry, body io.Reader) error

// invalid returns an ErrInvalidPackage error about one entry.
func invalid(name, format string, args ...any) error {
	if name == "" {
		return fmt.Errorf("%w: %s", ErrInvalidPackage, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("%w: entry %q: %s", ErrInvalidPackage, name, fmt.Sprintf(format, args...))
}

// tooLarge returns an error wrapping both ErrInvalidPackage and ErrTooLarge.
func tooLarge(name, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if name == "" {
		return fmt.Errorf("%w: %w: %s", ErrInvalidPackage, ErrTooLarge, msg)
	}
	return fmt.Errorf("%w: entry %q: %w: %s", ErrInvalidPackage, name, ErrTooLarge, msg)
}

// checker applies the checks every format shares: names, duplicates,
// counts, sizes and the whole-archive ratio.
type checker struct {
	lim         Limits
	archiveSize int64
	entries     int
	total       int64
	tree        *tree
}

func newChecker(lim Limits, archiveSize int64) *checker {
	return &checker{lim: lim.withDefaults(), archiveSize: archiveSize, tree: newTree()}
}

// check validates an entry's header; skip is true for the root directory.
func (c *checker) check(raw string, dir bool, size int64) (e entry, skip bool, err error) {
	c.entries++
	if c.entries > c.lim.MaxEntries {
		return entry{}, false, tooLarge("", "more than %d entries", c.lim.MaxEntries)
	}
	name, root, err := cleanName(raw, dir)
	if err != nil {
		return entry{}, false, invalid(raw, "%v", err)
	}
	if root {
		return entry{}, true, nil
	}
	switch {
	case size < 0:
		return entry{}, false, invalid(raw, "negative size")
	case dir && size != 0:
		return entry{}, false, invalid(raw, "a directory with %d bytes of content", size)
	case size > c.lim.MaxFileSize:
		return entry{}, false, tooLarge(raw, "%d bytes is over the per-file limit of %d", size, c.lim.MaxFileSize)
	}
	c.total += size
	if c.total > c.lim.MaxTotalSize {
		return entry{}, false, tooLarge(raw, "the files add up to more than the limit of %d bytes", c.lim.MaxTotalSize)
	}
	if c.total > ratioFloor && c.total/c.lim.MaxRatio > c.archiveSize {
		return entry{}, false, tooLarge(raw, "the files add up to more than %d times the archive's size (a zip bomb?)", c.lim.MaxRatio)
	}
	if err := c.tree.add(name, dir); err != nil {
		return entry{}, false, invalid(raw, "%v", err)
	}
	return entry{name: name, dir: dir, size: size}, false, nil
}

// bodyError marks a failure to read an entry's content, so the walker can
// tell a broken archive from a failure of its walkFunc.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// body counts and tags what a walkFunc reads from an entry.
type body struct {
	ctx context.Context
	r   io.Reader
	n   int64
}

func (b *body) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if err != nil && err != io.EOF {
		err = &bodyError{err}
	}
	return n, err
}

// visit runs fn on one entry and turns content errors into package errors.
func visit(ctx context.Context, e entry, r io.Reader, fn walkFunc) error {
	if e.dir {
		return fn(e, nil)
	}
	b := &body{ctx: ctx, r: r}
	err := fn(e, b)
	var berr *bodyError
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, &berr) && errors.Is(berr.err, errStreamCap):
		return tooLarge(e.name, "%v", berr.err)
	case errors.As(err, &berr):
		return invalid(e.name, "reading content: %v", berr.err)
	case err != nil:
		return err
	case b.n != e.size:
		return invalid(e.name, "%d bytes of content but the header says %d", b.n, e.size)
	}
	return nil
}

// mulCap multiplies without overflowing.
func mulCap(a, b int64) int64 {
	if a > 0 && b > math.MaxInt64/a {
		return math.MaxInt64
	}
	return a * b
}

// walkArchive detects the format by its magic bytes and walks it, checking
// every entry before fn sees it. It returns "zip" or "tar.gz".
func walkArchive(ctx context.Context, r io.ReaderAt, size int64, lim Limits, fn walkFunc) (string, error) {
	var magic [4]byte
	if size < 4 {
		return "", invalid("", "%d bytes is too short to be an archive", size)
	}
	if _, err := r.ReadAt(magic[:], 0); err != nil {
		return "", fmt.Errorf("reading archive header: %w", err)
	}
	c := newChecker(lim, size)
	switch {
	case string(magic[:]) == "PK\x03\x04" || string(magic[:]) == "PK\x05\x06":
		return "zip", walkZip(ctx, r, size, c, fn)
	case magic[0] == 0x1f && magic[1] == 0x8b:
		return "tar.gz", walkTarGz(ctx, r, size, c, fn)
	default:
		return "", invalid("", "not a zip or tar.gz archive (the first bytes are %q)", magic[:])
	}
}
