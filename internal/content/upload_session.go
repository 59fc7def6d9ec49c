package content

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// errCorruptSession marks a session whose files are unusable; it is
// discarded and the client must begin again.
var errCorruptSession = errors.New("upload session record is corrupt; begin a new upload")

// sessionMeta is the JSON sidecar uploads/<id>.json. It is the truth about
// a session: bytes in the .part file beyond Offset are ignored (truncated)
// because they were never acknowledged.
type sessionMeta struct {
	ID        string    `json:"id"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256,omitempty"` // expected digest, if the client gave one
	Offset    int64     `json:"offset"`
	HashState []byte    `json:"hashState"` // SHA-256 state after Offset bytes
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	Committed string    `json:"committed,omitempty"` // digest of the stored blob once committed
}

// newSessionID returns 128 random bits, URL-safe base64 without padding.
func newSessionID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generating upload session id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// validSessionID reports whether id has the shape newSessionID makes, which
// also guarantees it is a safe file name.
func validSessionID(id string) bool {
	if len(id) != 22 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (u *Uploads) partPath(id string) string { return filepath.Join(u.dir, id+".part") }
func (u *Uploads) metaName(id string) string { return id + ".json" }

// load reads a session's sidecar. Missing, malformed-id and expired sessions
// wrap apperr.ErrNotFound.
func (u *Uploads) load(id string) (*sessionMeta, error) {
	if !validSessionID(id) {
		return nil, notFound("upload session %q", id)
	}
	data, err := os.ReadFile(filepath.Join(u.dir, u.metaName(id)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound("upload session %s", id)
	}
	if err != nil {
		return nil, fmt.Errorf("reading upload session %s: %w", id, err)
	}
	var m sessionMeta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("reading upload session %s: %w: %v", id, errCorruptSession, err)
	}
	if m.ID != id {
		return nil, fmt.Errorf("reading upload session %s: %w: it names session %q", id, errCorruptSession, m.ID)
	}
	if u.expired(&m) {
		return nil, notFound("upload session %s (expired at %s)", id, m.Updated.Add(u.ttl).Format(time.RFC3339))
	}
	return &m, nil
}

func (u *Uploads) expired(m *sessionMeta) bool { return u.now().After(m.Updated.Add(u.ttl)) }

// save writes the sidecar atomically.
func (u *Uploads) save(m *sessionMeta) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding upload session %s: %w", m.ID, err)
	}
	if err := writeFileAtomic(u.dir, u.metaName(m.ID), data); err != nil {
		return fmt.Errorf("saving upload session %s: %w", m.ID, err)
	}
	return nil
}

// discard removes both files of a session; missing files are not an error.
func (u *Uploads) discard(id string) error {
	err1 := os.Remove(u.partPath(id))
	err2 := os.Remove(filepath.Join(u.dir, u.metaName(id)))
	var errs []error
	for _, err := range []error{err1, err2} {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("removing upload session %s: %w", id, err)
	}
	return nil
}

// hashState turns a SHA-256 in progress into bytes for the sidecar.
func hashState(h hash.Hash) ([]byte, error) {
	return h.(encoding.BinaryMarshaler).MarshalBinary()
}

// restoreHash rebuilds the SHA-256 in progress from the sidecar.
func restoreHash(state []byte) (hash.Hash, error) {
	h := sha256.New()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		return nil, fmt.Errorf("restoring SHA-256 state: %w", err)
	}
	return h, nil
}

// sessionLock serializes the writers of one session; refs counts holders
// and waiters so the entry is dropped when nobody needs it.
type sessionLock struct {
	ch   chan struct{}
	refs int
}

// lock waits (until ctx is done) for exclusive use of session id and returns
// the function that releases it.
func (u *Uploads) lock(ctx context.Context, id string) (func(), error) {
	u.mu.Lock()
	l := u.locks[id]
	if l == nil {
		l = &sessionLock{ch: make(chan struct{}, 1)}
		u.locks[id] = l
	}
	l.refs++
	u.mu.Unlock()
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; u.unref(id, l) }, nil
	case <-ctx.Done():
		u.unref(id, l)
		return nil, fmt.Errorf("waiting for upload session %s: %w", id, ctx.Err())
	}
}

// tryLock is lock without waiting: ok is false when anyone holds or waits
// for the session.
func (u *Uploads) tryLock(id string) (unlock func(), ok bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.locks[id] != nil {
		return nil, false
	}
	l := &sessionLock{ch: make(chan struct{}, 1), refs: 1}
	l.ch <- struct{}{}
	u.locks[id] = l
	return func() { <-l.ch; u.unref(id, l) }, true
}

func (u *Uploads) unref(id string, l *sessionLock) {
	u.mu.Lock()
	defer u.mu.Unlock()
	l.refs--
	if l.refs == 0 {
		delete(u.locks, id)
	}
}
