package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// Package is a validated whiteglove app package: its manifest and the list
// of its files. It remembers the archive it was read from, for [Extract].
type Package struct {
	Format   string   `json:"format"` // "zip" or "tar.gz"
	Manifest Manifest `json:"manifest"`
	Files    []File   `json:"files"` // regular files in archive order, the manifest included
	Size     int64    `json:"size"`  // the files' total uncompressed size

	src     io.ReaderAt
	srcSize int64
	lim     Limits
}

// File is one regular file of a package.
type File struct {
	Name   string `json:"name"` // relative, "/"-separated
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ReadPackage validates the archive of size bytes in r as a whiteglove app
// package with the default [Limits] and lists its files; see
// [ReadPackageWithLimits].
func ReadPackage(r io.ReaderAt, size int64) (Package, error) {
	return ReadPackageWithLimits(context.Background(), r, size, Limits{})
}

// ReadPackageWithLimits validates the archive of size bytes in r as a
// whiteglove app package and lists its files with their SHA-256. The
// archive is a zip or a gzip-compressed tar (told apart by magic bytes)
// with a valid whiteglove-app.json at its root naming an installer that is
// in it; names must be relative, clean, free of ".." and valid on Windows;
// only files and directories are allowed (no links); no two entries may
// share a name, ignoring case; lim bounds the entry count, the sizes and
// the compression ratio. Errors wrap [ErrInvalidPackage], and also
// [ErrTooLarge] for a limit. r must stay unchanged while the Package is
// used.
func ReadPackageWithLimits(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (Package, error) {
	p := Package{src: r, srcSize: size, lim: lim}
	var manifest []byte
	files := map[string]bool{}
	buf := make([]byte, 64<<10)
	format, err := walkArchive(ctx, r, size, lim, func(e entry, body io.Reader) error {
		if e.dir {
			return nil
		}
		h := sha256.New()
		if e.name == ManifestName {
			if e.size > maxManifestSize {
				return invalid(e.name, "the manifest is over %d bytes", maxManifestSize)
			}
			data, err := io.ReadAll(body)
			if err != nil {
				return err
			}
			manifest = data
			h.Write(data)
		} else if _, err := io.CopyBuffer(h, body, buf); err != nil {
			return err
		}
		p.Files = append(p.Files, File{Name: e.name, Size: e.size, SHA256: hex.EncodeToString(h.Sum(nil))})
		p.Size += e.size
		files[e.name] = true
		return nil
	})
	if err != nil {
		return Package{}, fmt.Errorf("reading app package: %w", err)
	}
	if manifest == nil {
		return Package{}, fmt.Errorf("reading app package: %w: no %s at the archive root", ErrInvalidPackage, ManifestName)
	}
	if p.Manifest, err = parseManifest(manifest, files); err != nil {
		return Package{}, fmt.Errorf("reading app package: %w", err)
	}
	p.Format = format
	return p, nil
}
