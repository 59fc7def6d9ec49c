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
	"path/filepath"
	"time"
)

// Blob identifies stored content: its SHA-256 (64 lower-case hex digits) and
// its size in bytes.
type Blob struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Store keeps blobs content-addressed under a root directory:
// blobs/sha256/ab/abcdef… for content, tmp/ for Puts in progress and
// uploads/ for resumable upload sessions (see [Uploads]). All three are on
// the same file system, so placing a blob is an atomic rename. A Store is
// safe for concurrent use; one root belongs to one process.
type Store struct {
	root  string
	blobs string
	tmp   string
}

// New opens (creating if needed) the store rooted at root and removes
// temporary files older than an hour that a crash left behind.
func New(root string) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("opening content store %s: %w", root, err)
	}
	s := &Store{
		root:  abs,
		blobs: filepath.Join(abs, "blobs", "sha256"),
		tmp:   filepath.Join(abs, "tmp"),
	}
	for _, dir := range []string{s.blobs, s.tmp, s.uploadsDir()} {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("opening content store: creating %s: %w", dir, err)
		}
	}
	if _, err := removeOldTemps(s.tmp, "put-", time.Now().Add(-tempMaxAge)); err != nil {
		return nil, fmt.Errorf("opening content store: cleaning temporary files: %w", err)
	}
	return s, nil
}

// Root returns the store's absolute root directory.
func (s *Store) Root() string { return s.root }

func (s *Store) uploadsDir() string { return filepath.Join(s.root, "uploads") }

// path returns where the blob with this (validated) digest lives.
func (s *Store) path(sha string) string {
	return filepath.Join(s.blobs, sha[:2], sha)
}

// Put streams r into the store, hashing on the way, and returns the blob.
// maxSize > 0 bounds the content: more bytes than that fail with
// [ErrTooLarge]; maxSize <= 0 means no limit. If the blob already exists the
// stored copy is kept. On any error nothing is left behind.
func (s *Store) Put(ctx context.Context, r io.Reader, maxSize int64) (Blob, error) {
	f, err := os.CreateTemp(s.tmp, "put-*")
	if err != nil {
		return Blob{}, fmt.Errorf("storing content: creating temporary file: %w", err)
	}
	tmp := f.Name()
	placed := false
	defer func() {
		if !placed {
			f.Close()
			os.Remove(tmp)
		}
	}()
	limit := int64(-1)
	if maxSize > 0 {
		limit = maxSize
	}
	h := sha256.New()
	n, rerr, werr := copyHashed(f, h, ctxReader{ctx, r}, limit)
	switch {
	case rerr == ErrTooLarge:
		return Blob{}, fmt.Errorf("storing content: %w: more than the limit of %d bytes", ErrTooLarge, maxSize)
	case rerr != nil:
		return Blob{}, fmt.Errorf("storing content: reading after %d bytes: %w", n, rerr)
	case werr != nil:
		return Blob{}, fmt.Errorf("storing content: writing temporary file: %w", werr)
	}
	if err := f.Sync(); err != nil {
		return Blob{}, fmt.Errorf("storing content: syncing temporary file: %w", err)
	}
	if err := f.Close(); err != nil {
		return Blob{}, fmt.Errorf("storing content: closing temporary file: %w", err)
	}
	b := Blob{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	if err := s.place(tmp, b); err != nil {
		return Blob{}, fmt.Errorf("storing content: %w", err)
	}
	placed = true
	return b, nil
}

// place moves the complete, synced file at tmp into the blob's final path,
// or removes it when an identical blob is already there. On error tmp is
// left for the caller.
func (s *Store) place(tmp string, b Blob) error {
	final := s.path(b.SHA256)
	if info, err := os.Stat(final); err == nil && info.Mode().IsRegular() && info.Size() == b.Size {
		if err := os.Remove(tmp); err != nil {
			return fmt.Errorf("removing duplicate of blob %s: %w", b.SHA256, err)
		}
		return nil
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("creating blob directory: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("placing blob %s: %w", b.SHA256, err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("placing blob %s: %w", b.SHA256, err)
	}
	return nil
}

// Open opens the blob for reading and returns its size. A missing blob
// wraps apperr.ErrNotFound; a malformed digest wraps [ErrInvalidDigest].
// The caller closes the file.
func (s *Store) Open(sha string) (*os.File, int64, error) {
	if !ValidSHA256(sha) {
		return nil, 0, fmt.Errorf("opening blob %q: %w", sha, ErrInvalidDigest)
	}
	f, err := os.Open(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, notFound("blob %s", sha)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("opening blob %s: %w", sha, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("opening blob %s: %w", sha, err)
	}
	return f, info.Size(), nil
}

// Has reports whether the blob is stored.
func (s *Store) Has(sha string) (bool, error) {
	if !ValidSHA256(sha) {
		return false, fmt.Errorf("looking up blob %q: %w", sha, ErrInvalidDigest)
	}
	_, err := os.Stat(s.path(sha))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, fmt.Errorf("looking up blob %s: %w", sha, err)
	}
}

// Delete removes the blob; a missing blob wraps apperr.ErrNotFound. Readers
// that already opened it keep reading it (on Unix). Deciding that nothing
// references the blob any more is the caller's job.
func (s *Store) Delete(sha string) error {
	if !ValidSHA256(sha) {
		return fmt.Errorf("deleting blob %q: %w", sha, ErrInvalidDigest)
	}
	err := os.Remove(s.path(sha))
	if errors.Is(err, fs.ErrNotExist) {
		return notFound("deleting blob %s", sha)
	}
	if err != nil {
		return fmt.Errorf("deleting blob %s: %w", sha, err)
	}
	return nil
}
