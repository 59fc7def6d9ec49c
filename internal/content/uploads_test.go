package content

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestUploads(t *testing.T, root string, clock *fakeClock) *Uploads {
	t.Helper()
	s, err := New(root)
	if err != nil {
		t.Fatal(err)
	}
	u, err := NewUploads(s, UploadsConfig{Now: clock.Now, MaxSize: 10 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func testData(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func mustAppend(t *testing.T, u *Uploads, id string, off int64, b []byte) int64 {
	t.Helper()
	n, err := u.Append(t.Context(), id, off, bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Append at %d: %v", off, err)
	}
	return n
}

func TestUploadChunksAndCommit(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	u := newTestUploads(t, t.TempDir(), clock)
	data := testData(1<<20 + 123)
	s, err := u.Begin(t.Context(), int64(len(data)), shaOf(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.ID) != 22 || !s.Expires.Equal(clock.Now().Add(DefaultUploadTTL)) {
		t.Fatalf("Begin = %+v", s)
	}
	var off int64
	for off < int64(len(data)) {
		end := min(off+300_000, int64(len(data)))
		off = mustAppend(t, u, s.ID, off, data[off:end])
		if off != end {
			t.Fatalf("offset %d, want %d", off, end)
		}
	}
	if o, size, err := u.Status(s.ID); o != size || size != int64(len(data)) || err != nil {
		t.Fatalf("Status = %d, %d, %v", o, size, err)
	}
	b, err := u.Commit(t.Context(), s.ID)
	if err != nil || b.SHA256 != shaOf(data) || b.Size != int64(len(data)) {
		t.Fatalf("Commit = %+v, %v", b, err)
	}
	f, _, err := u.store.Open(b.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, data) {
		t.Fatal("stored content differs")
	}
	// A client that lost the Commit answer commits again.
	if again, err := u.Commit(t.Context(), s.ID); err != nil || again != b {
		t.Errorf("second Commit = %+v, %v", again, err)
	}
	var st *apperr.StateError
	if _, err := u.Append(t.Context(), s.ID, int64(len(data)), bytes.NewReader(nil)); !errors.As(err, &st) {
		t.Errorf("Append after Commit = %v, want a StateError", err)
	}
}

func TestUploadLostResponseAndWrongOffset(t *testing.T) {
	u := newTestUploads(t, t.TempDir(), &fakeClock{t: time.Now()})
	data := testData(3000)
	s, _ := u.Begin(t.Context(), 3000, "")
	if _, err := u.Append(t.Context(), s.ID, 5, bytes.NewReader(data[5:10])); !isOffsetErr(err, 0) {
		t.Fatalf("Append at 5 of a new session = %v, want OffsetError{0}", err)
	}
	mustAppend(t, u, s.ID, 0, data[:1000])
	// The answer was lost: the client sends the same chunk again.
	n, err := u.Append(t.Context(), s.ID, 0, bytes.NewReader(data[:1000]))
	if !isOffsetErr(err, 1000) || n != 1000 {
		t.Fatalf("resent chunk = %d, %v, want OffsetError{1000}", n, err)
	}
	if HTTPStatus(err) != 416 {
		t.Errorf("HTTPStatus = %d", HTTPStatus(err))
	}
	off, _, _ := u.Status(s.ID)
	mustAppend(t, u, s.ID, off, data[off:])
	if b, err := u.Commit(t.Context(), s.ID); err != nil || b.SHA256 != shaOf(data) {
		t.Fatalf("Commit = %+v, %v", b, err)
	}
}

func isOffsetErr(err error, off int64) bool {
	var oe *OffsetError
	return errors.As(err, &oe) && oe.Offset == off
}

func TestUploadSizeAndDigestMismatch(t *testing.T) {
	root := t.TempDir()
	u := newTestUploads(t, root, &fakeClock{t: time.Now()})
	data := testData(100)

	s, _ := u.Begin(t.Context(), 100, "")
	mustAppend(t, u, s.ID, 0, data[:60])
	n, err := u.Append(t.Context(), s.ID, 60, bytes.NewReader(testData(41)))
	if !errors.Is(err, ErrTooLarge) || n != 60 {
		t.Fatalf("oversize chunk = %d, %v", n, err)
	}
	if info, _ := os.Stat(u.partPath(s.ID)); info.Size() != 60 {
		t.Errorf("part file has %d bytes after a rejected chunk, want 60", info.Size())
	}
	if _, err := u.Commit(t.Context(), s.ID); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("Commit of 60/100 = %v, want ErrIncomplete", err)
	}
	mustAppend(t, u, s.ID, 60, data[60:])
	if b, err := u.Commit(t.Context(), s.ID); err != nil || b.SHA256 != shaOf(data) {
		t.Fatalf("Commit after completing = %+v, %v", b, err)
	}

	s2, _ := u.Begin(t.Context(), 100, shaOf(testData(99)))
	mustAppend(t, u, s2.ID, 0, data)
	_, err = u.Commit(t.Context(), s2.ID)
	if !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("Commit with the wrong digest = %v", err)
	}
	t.Log(err)
	if _, _, err := u.Status(s2.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("Status after a digest mismatch = %v, want ErrNotFound", err)
	}
	for _, name := range dirNames(t, filepath.Join(root, "uploads")) {
		if name[:22] == s2.ID {
			t.Errorf("uploads/%s left after a digest mismatch", name)
		}
	}

	if _, err := u.Begin(t.Context(), 10<<20+1, ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Begin over MaxSize = %v", err)
	}
	if _, err := u.Begin(t.Context(), 10, "xyz"); !errors.Is(err, ErrInvalidDigest) {
		t.Errorf("Begin with a bad digest = %v", err)
	}
	if _, err := u.Begin(t.Context(), -1, ""); HTTPStatus(err) != 400 {
		t.Errorf("Begin(-1) = %v", err)
	}
}

func TestUploadSurvivesRestart(t *testing.T) {
	root := t.TempDir()
	clock := &fakeClock{t: time.Now()}
	data := testData(5000)
	u1 := newTestUploads(t, root, clock)
	s, _ := u1.Begin(t.Context(), 5000, shaOf(data))
	mustAppend(t, u1, s.ID, 0, data[:2000])
	// A crash after writing bytes the sidecar never recorded.
	f, _ := os.OpenFile(u1.partPath(s.ID), os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte("unacknowledged garbage"))
	f.Close()

	u2 := newTestUploads(t, root, clock)
	if off, size, err := u2.Status(s.ID); off != 2000 || size != 5000 || err != nil {
		t.Fatalf("Status after restart = %d, %d, %v", off, size, err)
	}
	mustAppend(t, u2, s.ID, 2000, data[2000:])
	if b, err := u2.Commit(t.Context(), s.ID); err != nil || b.SHA256 != shaOf(data) {
		t.Fatalf("Commit after restart = %+v, %v", b, err)
	}
}

func TestUploadKeepsBytesBeforeAReadError(t *testing.T) {
	u := newTestUploads(t, t.TempDir(), &fakeClock{t: time.Now()})
	data := testData(1 << 20)
	s, _ := u.Begin(t.Context(), int64(len(data)), "")
	n, err := u.Append(t.Context(), s.ID, 0, io.MultiReader(bytes.NewReader(data[:700_000]), &failingReader{}))
	if err == nil || n != 700_000 || HTTPStatus(err) != 400 {
		t.Fatalf("Append with a dropped connection = %d, %v", n, err)
	}
	mustAppend(t, u, s.ID, n, data[n:])
	if b, err := u.Commit(t.Context(), s.ID); err != nil || b.SHA256 != shaOf(data) {
		t.Fatalf("Commit = %+v, %v", b, err)
	}
}

func TestUploadExpiryAbortAndBadIDs(t *testing.T) {
	root := t.TempDir()
	clock := &fakeClock{t: time.Now()}
	u := newTestUploads(t, root, clock)
	old, _ := u.Begin(t.Context(), 10, "")
	clock.Add(DefaultUploadTTL - time.Minute)
	fresh, _ := u.Begin(t.Context(), 10, "")
	aborted, _ := u.Begin(t.Context(), 10, "")
	if err := u.Abort(aborted.ID); err != nil {
		t.Fatal(err)
	}
	if err := u.Abort(aborted.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("second Abort = %v", err)
	}
	clock.Add(2 * time.Minute)
	if _, _, err := u.Status(old.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("Status of an expired session = %v", err)
	}
	if _, err := u.Append(t.Context(), old.ID, 0, bytes.NewReader(nil)); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("Append to an expired session = %v", err)
	}
	if n, err := u.Cleanup(t.Context()); n != 1 || err != nil {
		t.Errorf("Cleanup = %d, %v, want 1 session removed", n, err)
	}
	var left []string
	for _, name := range dirNames(t, filepath.Join(root, "uploads")) {
		left = append(left, name[:22])
	}
	if len(left) != 2 || left[0] != fresh.ID || left[1] != fresh.ID {
		t.Errorf("uploads/ holds %v, want only %s", left, fresh.ID)
	}
	for _, id := range []string{"", "../../blobs", "AAAAAAAAAAAAAAAAAAAA/.", "AAAAAAAAAAAAAAAAAAAAAA"} {
		if _, _, err := u.Status(id); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("Status(%q) = %v", id, err)
		}
	}
}

func TestUploadConcurrentSameChunk(t *testing.T) {
	u := newTestUploads(t, t.TempDir(), &fakeClock{t: time.Now()})
	data := testData(1 << 20)
	s, _ := u.Begin(t.Context(), int64(len(data)), shaOf(data))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = u.Append(context.Background(), s.ID, 0, bytes.NewReader(data))
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !isOffsetErr(err, int64(len(data))):
			t.Errorf("concurrent Append = %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d appends succeeded, want 1", ok)
	}
	if _, err := u.Commit(t.Context(), s.ID); err != nil {
		t.Fatal(err)
	}
	if len(u.locks) != 0 {
		t.Errorf("%d session locks left", len(u.locks))
	}
}
