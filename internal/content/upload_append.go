package content

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// Append writes the bytes of r to session id at offset, which must be the
// session's current offset (else an [*OffsetError] carrying it), and returns
// the new offset. Bytes beyond the declared size reject the whole chunk
// with [ErrTooLarge]. If reading r fails midway, the bytes received so far
// are kept and the returned offset says where to resume. Appends to one
// session wait for each other (until ctx is done).
func (u *Uploads) Append(ctx context.Context, id string, offset int64, r io.Reader) (int64, error) {
	if _, err := u.load(id); err != nil {
		return 0, fmt.Errorf("appending to upload: %w", err)
	}
	unlock, err := u.lock(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("appending to upload: %w", err)
	}
	defer unlock()
	m, err := u.load(id)
	if err != nil {
		return 0, fmt.Errorf("appending to upload: %w", err)
	}
	if m.Committed != "" {
		return m.Offset, fmt.Errorf("appending to upload %s: %w", id, apperr.State("the upload is already committed"))
	}
	if offset != m.Offset {
		return m.Offset, fmt.Errorf("appending to upload %s: %w", id, &OffsetError{Offset: m.Offset, Got: offset})
	}
	f, h, err := u.openPart(m)
	if err != nil {
		return m.Offset, fmt.Errorf("appending to upload %s: %w", id, err)
	}
	defer f.Close()
	n, rerr := copyChunk(f, h, ctxReader{ctx, r}, m.Size-m.Offset)
	switch {
	case rerr == nil || errors.Is(rerr, errClientRead):
		if n > 0 {
			if err := u.advance(f, h, m, n); err != nil {
				return m.Offset, fmt.Errorf("appending to upload %s: %w", id, err)
			}
		}
		if rerr != nil {
			return m.Offset, fmt.Errorf("appending to upload %s: kept %d bytes, resume at byte %d: %w", id, n, m.Offset, rerr)
		}
		return m.Offset, nil
	case errors.Is(rerr, ErrTooLarge):
		rerr = fmt.Errorf("%w: the chunk goes past the declared size of %d bytes", ErrTooLarge, m.Size)
	}
	if terr := f.Truncate(m.Offset); terr != nil {
		rerr = fmt.Errorf("%w (and rolling back: %v)", rerr, terr)
	}
	return m.Offset, fmt.Errorf("appending to upload %s at byte %d: %w", id, offset, rerr)
}

// openPart opens the session's part file for writing at m.Offset, dropping
// unacknowledged bytes past it, and restores the hash of the bytes before.
func (u *Uploads) openPart(m *sessionMeta) (*os.File, hash.Hash, error) {
	h, err := restoreHash(m.HashState)
	if err != nil {
		u.discard(m.ID)
		return nil, nil, fmt.Errorf("%w: %v", errCorruptSession, err)
	}
	f, err := os.OpenFile(u.partPath(m.ID), os.O_WRONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		u.discard(m.ID)
		return nil, nil, fmt.Errorf("%w: its part file is missing", errCorruptSession)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("opening part file: %w", err)
	}
	info, err := f.Stat()
	if err == nil && info.Size() < m.Offset {
		f.Close()
		u.discard(m.ID)
		return nil, nil, fmt.Errorf("%w: its part file has %d of %d acknowledged bytes", errCorruptSession, info.Size(), m.Offset)
	}
	if err == nil && info.Size() > m.Offset {
		err = f.Truncate(m.Offset)
	}
	if err == nil {
		_, err = f.Seek(m.Offset, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("preparing part file: %w", err)
	}
	return f, h, nil
}

// copyChunk copies r into f and h until EOF. More than max bytes fails with
// ErrTooLarge; a read failure wraps errClientRead; both return how many
// bytes were written to f and h alike.
func copyChunk(f *os.File, h hash.Hash, r io.Reader, max int64) (int64, error) {
	n, rerr, werr := copyHashed(f, h, r, max)
	switch {
	case rerr == ErrTooLarge:
		return n, ErrTooLarge
	case rerr != nil:
		return n, fmt.Errorf("%w: %w", errClientRead, rerr)
	case werr != nil:
		return n, fmt.Errorf("writing part file: %w", werr)
	}
	return n, nil
}

// advance makes n more bytes durable and records them: fsync the part file,
// then save the sidecar. Until the sidecar is saved the bytes do not count.
func (u *Uploads) advance(f *os.File, h hash.Hash, m *sessionMeta, n int64) error {
	state, err := hashState(h)
	if err == nil {
		err = f.Sync()
	}
	if err != nil {
		f.Truncate(m.Offset)
		return fmt.Errorf("syncing part file: %w", err)
	}
	next := *m
	next.Offset, next.HashState, next.Updated = m.Offset+n, state, u.now()
	if err := u.save(&next); err != nil {
		f.Truncate(m.Offset)
		return err
	}
	*m = next
	return nil
}

// Commit checks that session id received all its bytes and, if one was
// declared, that they hash to the expected SHA-256, then moves them into the
// store and returns the blob. An incomplete session wraps [ErrIncomplete] and
// is kept; a digest mismatch wraps [ErrDigestMismatch] and discards the
// session. Committing again (a client that lost the answer) returns the same
// blob until the session expires.
func (u *Uploads) Commit(ctx context.Context, id string) (Blob, error) {
	if _, err := u.load(id); err != nil {
		return Blob{}, fmt.Errorf("committing upload: %w", err)
	}
	unlock, err := u.lock(ctx, id)
	if err != nil {
		return Blob{}, fmt.Errorf("committing upload: %w", err)
	}
	defer unlock()
	m, err := u.load(id)
	if err != nil {
		return Blob{}, fmt.Errorf("committing upload: %w", err)
	}
	if m.Committed != "" {
		if ok, err := u.store.Has(m.Committed); err != nil || !ok {
			return Blob{}, notFound("committing upload %s: blob %s was deleted since", id, m.Committed)
		}
		return Blob{SHA256: m.Committed, Size: m.Size}, nil
	}
	if m.Offset != m.Size {
		return Blob{}, fmt.Errorf("committing upload %s: %w: received %d of %d bytes; send the rest from byte %d",
			id, ErrIncomplete, m.Offset, m.Size, m.Offset)
	}
	f, h, err := u.openPart(m)
	if err != nil {
		return Blob{}, fmt.Errorf("committing upload %s: %w", id, err)
	}
	serr := f.Sync()
	if err := errors.Join(serr, f.Close()); err != nil {
		return Blob{}, fmt.Errorf("committing upload %s: syncing part file: %w", id, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if m.SHA256 != "" && sum != m.SHA256 {
		u.discard(id)
		return Blob{}, fmt.Errorf("committing upload %s: %w: declared %s but the %d bytes received hash to %s; the upload was discarded, begin again",
			id, ErrDigestMismatch, m.SHA256, m.Size, sum)
	}
	b := Blob{SHA256: sum, Size: m.Size}
	if err := u.store.place(u.partPath(id), b); err != nil {
		return Blob{}, fmt.Errorf("committing upload %s: %w", id, err)
	}
	m.Committed, m.Updated = sum, u.now()
	if err := u.save(m); err != nil {
		// The blob is stored; only a repeated Commit would miss the record.
		return b, nil
	}
	return b, nil
}
