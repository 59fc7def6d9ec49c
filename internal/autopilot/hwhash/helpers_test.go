package hwhash

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sampleText returns the base64 text of testdata/samples/<name>.b64.
func sampleText(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "samples", name+".b64"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// sampleRaw returns the decoded bytes of a sample, independently of Decode.
func sampleRaw(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sampleText(tb, name)))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// sampleNames lists the samples in testdata/samples.
func sampleNames(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "samples", "*.b64"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no samples: %v", err)
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = strings.TrimSuffix(filepath.Base(f), ".b64")
	}
	return names
}

// rec builds one field record (independently of the encoder).
func rec(typ uint16, value []byte) []byte {
	b := binary.LittleEndian.AppendUint16(nil, typ)
	b = binary.LittleEndian.AppendUint16(b, uint16(4+len(value)))
	return append(b, value...)
}

// str is a NUL-terminated ANSI value.
func str(s string) []byte { return append([]byte(s), 0) }

// blob wraps records in the OA envelope with a valid checksum and padding.
func blob(records ...[]byte) []byte {
	b := []byte{'O', 'A', 0, 0}
	for _, r := range records {
		b = append(b, r...)
	}
	return seal(b, BlobSize)
}

// seal sets TotalLength to len(oa), appends the checksum record and pads
// with zeros to size.
func seal(oa []byte, size int) []byte {
	b := append([]byte(nil), oa...)
	binary.LittleEndian.PutUint16(b[2:], uint16(len(b)))
	sum := sha256.Sum256(b)
	b = append(b, 'C', 'S', 36, 0)
	b = append(b, sum[:]...)
	for len(b) < size {
		b = append(b, 0)
	}
	return b
}

// resealed recomputes the checksum of a blob after an edit.
func resealed(b []byte) []byte {
	tl := int(binary.LittleEndian.Uint16(b[2:]))
	out := append([]byte(nil), b...)
	sum := sha256.Sum256(out[:tl])
	copy(out[tl+4:], sum[:])
	return out
}

// identity is the minimum records a valid hash needs.
func identity() [][]byte {
	return [][]byte{rec(tSerial, str("SN1")), rec(tManufacturer, str("Contoso"))}
}

// wantInvalid asserts that err is an *InvalidError matching ErrInvalid whose
// reason contains substr.
func wantInvalid(tb testing.TB, err error, substr string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want one containing %q", substr)
	}
	var ie *InvalidError
	if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) {
		tb.Fatalf("error %#v is not an *InvalidError matching ErrInvalid", err)
	}
	if !strings.HasPrefix(err.Error(), "invalid hardware hash: ") || !strings.Contains(ie.Reason, substr) {
		tb.Fatalf("error %q, want a reason containing %q", err, substr)
	}
}

// fields returns h without Raw, for comparing decoded content.
func fields(h *Hash) Hash {
	c := *h
	c.Raw = nil
	return c
}

// sameFields fails unless a and b hold the same fields.
func sameFields(tb testing.TB, a, b *Hash) {
	tb.Helper()
	if fa, fb := fields(a), fields(b); !reflect.DeepEqual(fa, fb) {
		tb.Fatalf("fields differ:\n%+v\n%+v", fa, fb)
	}
}
