package content

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// DefaultUploadTTL is how long an upload session lives without receiving a
// chunk when [UploadsConfig.TTL] is zero.
const DefaultUploadTTL = 24 * time.Hour

// UploadsConfig configures [Uploads]; the zero value is usable.
type UploadsConfig struct {
	// TTL is how long a session lives after its last chunk; zero means
	// DefaultUploadTTL.
	TTL time.Duration
	// MaxSize is the largest upload Begin accepts, in bytes; zero or
	// negative means no limit.
	MaxSize int64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Session is a resumable upload in progress.
type Session struct {
	ID      string    `json:"id"`               // 128 random bits, URL-safe base64
	Size    int64     `json:"size"`             // the declared size
	SHA256  string    `json:"sha256,omitempty"` // the declared digest; empty means not given
	Offset  int64     `json:"offset"`           // bytes received so far
	Expires time.Time `json:"expirationDateTime"`
}

// Uploads manages resumable upload sessions in the store's uploads/
// directory. Sessions are files, so they survive a restart: an Uploads
// re-created over the same store sees them all. It is safe for concurrent
// use; appends to one session are serialized.
type Uploads struct {
	store   *Store
	dir     string
	ttl     time.Duration
	maxSize int64
	now     func() time.Time

	mu    sync.Mutex
	locks map[string]*sessionLock
}

// NewUploads returns the upload sessions of store and removes the expired
// ones. Call [Uploads.Cleanup] periodically (hourly is plenty) while the
// service runs.
func NewUploads(store *Store, cfg UploadsConfig) (*Uploads, error) {
	u := &Uploads{store: store, dir: store.uploadsDir(), ttl: cfg.TTL, maxSize: cfg.MaxSize,
		now: cfg.Now, locks: map[string]*sessionLock{}}
	if u.ttl <= 0 {
		u.ttl = DefaultUploadTTL
	}
	if u.now == nil {
		u.now = time.Now
	}
	if _, err := u.Cleanup(context.Background()); err != nil {
		return nil, fmt.Errorf("opening upload sessions: %w", err)
	}
	return u, nil
}

// Begin starts a session for expectedSize bytes. expectedSHA is optional
// (empty means unchecked); when given, upper-case hex is accepted and Commit
// refuses content that hashes differently.
func (u *Uploads) Begin(ctx context.Context, expectedSize int64, expectedSHA string) (Session, error) {
	if err := ctx.Err(); err != nil {
		return Session{}, fmt.Errorf("beginning upload: %w", err)
	}
	if expectedSize < 0 {
		return Session{}, fmt.Errorf("beginning upload: %w", apperr.Invalid("upload size %d is negative", expectedSize))
	}
	if u.maxSize > 0 && expectedSize > u.maxSize {
		return Session{}, fmt.Errorf("beginning upload: %w: %d bytes is over the limit of %d", ErrTooLarge, expectedSize, u.maxSize)
	}
	expectedSHA = strings.ToLower(expectedSHA)
	if expectedSHA != "" && !ValidSHA256(expectedSHA) {
		return Session{}, fmt.Errorf("beginning upload: %w", ErrInvalidDigest)
	}
	id, err := newSessionID()
	if err != nil {
		return Session{}, err
	}
	state, err := hashState(sha256.New())
	if err != nil {
		return Session{}, fmt.Errorf("beginning upload: %w", err)
	}
	f, err := os.OpenFile(u.partPath(id), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Session{}, fmt.Errorf("beginning upload: creating part file: %w", err)
	}
	if err := f.Close(); err != nil {
		return Session{}, fmt.Errorf("beginning upload: creating part file: %w", err)
	}
	now := u.now()
	m := &sessionMeta{ID: id, Size: expectedSize, SHA256: expectedSHA, HashState: state, Created: now, Updated: now}
	if err := u.save(m); err != nil {
		os.Remove(u.partPath(id))
		return Session{}, fmt.Errorf("beginning upload: %w", err)
	}
	return u.session(m), nil
}

func (u *Uploads) session(m *sessionMeta) Session {
	return Session{ID: m.ID, Size: m.Size, SHA256: m.SHA256, Offset: m.Offset, Expires: m.Updated.Add(u.ttl)}
}

// Status returns how many bytes the session has received and its declared
// size. A missing or expired session wraps apperr.ErrNotFound.
func (u *Uploads) Status(id string) (offset, size int64, err error) {
	s, err := u.Get(id)
	return s.Offset, s.Size, err
}

// Get returns the session, including its offset and expiry. A missing or
// expired session wraps apperr.ErrNotFound.
func (u *Uploads) Get(id string) (Session, error) {
	m, err := u.load(id)
	if err != nil {
		return Session{}, err
	}
	return u.session(m), nil
}

// Abort discards the session and what it received, waiting for an Append in
// progress to finish. A missing session wraps apperr.ErrNotFound.
func (u *Uploads) Abort(id string) error {
	if _, err := u.load(id); err != nil {
		return fmt.Errorf("aborting upload: %w", err)
	}
	unlock, err := u.lock(context.Background(), id)
	if err != nil {
		return err
	}
	defer unlock()
	return u.discard(id)
}

// Cleanup removes expired sessions (including committed ones, whose record
// is kept until then so a repeated Commit succeeds), and part, record and
// temporary files that a crash left without their partner. It skips
// sessions in use and returns how many sessions or stray files it removed.
func (u *Uploads) Cleanup(ctx context.Context) (int, error) {
	entries, err := os.ReadDir(u.dir)
	if err != nil {
		return 0, fmt.Errorf("cleaning upload sessions: %w", err)
	}
	cutoff := u.now().Add(-tempMaxAge)
	removed := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return removed, fmt.Errorf("cleaning upload sessions: %w", err)
		}
		name := e.Name()
		id, ext, _ := strings.Cut(name, ".")
		switch {
		case ext == "json" && validSessionID(id):
			if u.cleanSession(id) {
				removed++
			}
		case ext == "part" && validSessionID(id):
			if _, err := os.Stat(filepath.Join(u.dir, u.metaName(id))); errors.Is(err, fs.ErrNotExist) && olderThan(e, cutoff) {
				if os.Remove(filepath.Join(u.dir, name)) == nil {
					removed++
				}
			}
		case strings.Contains(ext, ".tmp-") && olderThan(e, cutoff):
			if os.Remove(filepath.Join(u.dir, name)) == nil {
				removed++
			}
		}
	}
	return removed, nil
}

// cleanSession removes session id if it is expired or unreadable and not in
// use; it reports whether it did.
func (u *Uploads) cleanSession(id string) bool {
	unlock, ok := u.tryLock(id)
	if !ok {
		return false
	}
	defer unlock()
	_, err := u.load(id)
	if !errors.Is(err, apperr.ErrNotFound) && !errors.Is(err, errCorruptSession) {
		return false
	}
	return u.discard(id) == nil
}

func olderThan(e fs.DirEntry, cutoff time.Time) bool {
	info, err := e.Info()
	return err == nil && info.ModTime().Before(cutoff)
}
