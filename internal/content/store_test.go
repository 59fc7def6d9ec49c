package content

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func shaOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// dirNames lists a directory's entries.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestPutOpenHasDelete(t *testing.T) {
	s := newTestStore(t)
	data := bytes.Repeat([]byte("whiteglove "), 100_000)
	b, err := s.Put(t.Context(), bytes.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	if b.SHA256 != shaOf(data) || b.Size != int64(len(data)) {
		t.Fatalf("Put = %+v", b)
	}
	path := filepath.Join(s.Root(), "blobs", "sha256", b.SHA256[:2], b.SHA256)
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("blob file %s: %v", path, err)
	}
	if ok, err := s.Has(b.SHA256); !ok || err != nil {
		t.Fatalf("Has = %v, %v", ok, err)
	}
	f, size, err := s.Open(b.SHA256)
	if err != nil || size != int64(len(data)) {
		t.Fatalf("Open: size %d, %v", size, err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if !bytes.Equal(got, data) {
		t.Fatal("Open read different content")
	}
	if names := dirNames(t, filepath.Join(s.Root(), "tmp")); len(names) != 0 {
		t.Errorf("tmp/ holds %v after Put", names)
	}
	if err := s.Delete(b.SHA256); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Has(b.SHA256); ok {
		t.Error("Has after Delete")
	}
	if err := s.Delete(b.SHA256); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
	if _, _, err := s.Open(b.SHA256); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("Open after Delete = %v, want ErrNotFound", err)
	}
}

func TestPutKeepsExisting(t *testing.T) {
	s := newTestStore(t)
	b, err := s.Put(t.Context(), strings.NewReader("same"), 0)
	if err != nil {
		t.Fatal(err)
	}
	path := s.path(b.SHA256)
	before, _ := os.Stat(path)
	again, err := s.Put(t.Context(), strings.NewReader("same"), 0)
	if err != nil || again != b {
		t.Fatalf("second Put = %+v, %v", again, err)
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) {
		t.Error("the existing blob was replaced")
	}
	if names := dirNames(t, filepath.Join(s.Root(), "tmp")); len(names) != 0 {
		t.Errorf("tmp/ holds %v", names)
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), r.n)
	r.n -= n
	return n, nil
}

func TestPutFailuresLeaveNothing(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		r    io.Reader
		max  int64
		is   error
	}{
		{"oversize", context.Background(), strings.NewReader(strings.Repeat("x", 1001)), 1000, ErrTooLarge},
		{"reader fails", context.Background(), &failingReader{n: 5000}, 0, nil},
		{"canceled", canceled, strings.NewReader("data"), 0, context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestStore(t)
			_, err := s.Put(tc.ctx, tc.r, tc.max)
			if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("Put = %v, want %v", err, tc.is)
			}
			t.Log(err)
			if names := dirNames(t, filepath.Join(s.Root(), "tmp")); len(names) != 0 {
				t.Errorf("tmp/ holds %v", names)
			}
			if names := dirNames(t, filepath.Join(s.Root(), "blobs", "sha256")); len(names) != 0 {
				t.Errorf("blobs/ holds %v", names)
			}
		})
	}
	t.Run("exactly max", func(t *testing.T) {
		s := newTestStore(t)
		if _, err := s.Put(t.Context(), strings.NewReader(strings.Repeat("x", 1000)), 1000); err != nil {
			t.Fatal(err)
		}
	})
}

func TestInvalidDigests(t *testing.T) {
	s := newTestStore(t)
	for _, sha := range []string{
		"", "../../../../etc/passwd", strings.Repeat("A", 64), strings.Repeat("a", 63),
		strings.Repeat("a", 62) + "/x", strings.Repeat("g", 64), strings.Repeat("a", 65),
	} {
		if _, _, err := s.Open(sha); !errors.Is(err, ErrInvalidDigest) {
			t.Errorf("Open(%q) = %v", sha, err)
		}
		if _, err := s.Has(sha); !errors.Is(err, ErrInvalidDigest) {
			t.Errorf("Has(%q) = %v", sha, err)
		}
		if err := s.Delete(sha); !errors.Is(err, ErrInvalidDigest) {
			t.Errorf("Delete(%q) = %v", sha, err)
		}
	}
}

func TestNewRemovesOldTemps(t *testing.T) {
	root := t.TempDir()
	if _, err := New(root); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(root, "tmp")
	for _, name := range []string{"put-old", "put-new", "other"} {
		if err := os.WriteFile(filepath.Join(tmp, name), []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	for _, name := range []string{"put-old", "other"} {
		os.Chtimes(filepath.Join(tmp, name), old, old)
	}
	if _, err := New(root); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(dirNames(t, tmp), ","); got != "other,put-new" {
		t.Errorf("tmp/ = %s, want other,put-new", got)
	}
}
