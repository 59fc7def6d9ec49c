package content

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"io"
)

// errStreamCap is returned when a gzip stream inflates past what the limits
// can explain.
var errStreamCap = errors.New("the decompressed archive is larger than its limits allow (a gzip bomb?)")

// capReader fails with errStreamCap after more than left bytes.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if int64(n) > c.left {
		return 0, errStreamCap
	}
	c.left -= int64(n)
	return n, err
}

// streamCap is how many inflated bytes a tar.gz may have: its files within
// the size and ratio limits, plus room for tar headers and padding.
func (c *checker) streamCap() int64 {
	meta := int64(c.lim.MaxEntries+2)*2048 + 1<<20
	files := min(c.lim.MaxTotalSize, max(mulCap(c.archiveSize, c.lim.MaxRatio), ratioFloor))
	return files + meta
}

// walkTarGz reads a gzip-compressed tar in one pass: tar has no central
// directory, so each header is checked just before its content is read.
func walkTarGz(ctx context.Context, r io.ReaderAt, size int64, c *checker, fn walkFunc) error {
	gz, err := gzip.NewReader(bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64<<10))
	if err != nil {
		return invalid("", "not a readable gzip stream: %v", err)
	}
	stream := &capReader{r: gz, left: c.streamCap()}
	tr := tar.NewReader(stream)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) {
			return tarError(err)
		}
		var dir bool
		switch hdr.Typeflag {
		case tar.TypeReg, '\x00':
		case tar.TypeDir:
			dir = true
		case tar.TypeXGlobalHeader:
			c.entries++
			continue
		case tar.TypeSymlink, tar.TypeLink:
			return invalid(hdr.Name, "links are not allowed")
		default:
			return invalid(hdr.Name, "entry type %q is not allowed: only files and directories", hdr.Typeflag)
		}
		e, skip, err := c.check(hdr.Name, dir, hdr.Size)
		if err != nil {
			return err
		}
		if skip {
			continue
		}
		if err := visit(ctx, e, tr, fn); err != nil {
			return err
		}
	}
	// Read to the end of the gzip stream so its checksum and length are
	// verified: a truncated or corrupted archive fails here at the latest.
	if _, err := io.Copy(io.Discard, stream); err != nil {
		return tarError(err)
	}
	return nil
}

func tarError(err error) error {
	if errors.Is(err, errStreamCap) {
		return tooLarge("", "%v", err)
	}
	return invalid("", "reading tar.gz: %v", err)
}
