package hwhash

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzDecode feeds blobs (and the same bytes as text) to the decoder. It
// must never panic, every failure must be an *InvalidError, and a hash that
// decodes must re-encode to a blob that decodes to the same fields. Since
// random bytes almost never carry a valid SHA-256, each input is also tried
// with its checksum record rewritten, so that the field walk gets fuzzed.
// More seeds live in testdata/fuzz/FuzzDecode.
func FuzzDecode(f *testing.F) {
	for _, n := range sampleNames(f) {
		raw := sampleRaw(f, n)
		f.Add(raw[:binary.LittleEndian.Uint16(raw[2:])+checksumLen])
	}
	if b, err := Encode(synthetic()); err == nil {
		f.Add(b)
	}
	f.Add(blob(identity()...))
	f.Add(blob(append(identity(), rec(tNetwork, append(make([]byte, 10), 2, 0, 0, 0, 'P', 0)), rec(99, nil))...))
	f.Add([]byte("OA"))
	f.Add([]byte("T0EkBAEAHAAAAAoASQdhSgAACgCdB2FK7eKFK+ACCQUCABAACQABAAEAAgABAAAABQAZAAAAAAAAEAAA"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if h, err := Decode(string(data)); err != nil {
			checkErr(t, h, err)
		} else {
			checkRoundTrip(t, h)
		}
		fuzzBlob(t, data)
		if fixed := withChecksum(data); fixed != nil {
			fuzzBlob(t, fixed)
		}
	})
}

// fuzzBlob decodes b and checks the round trip when it succeeds.
func fuzzBlob(t *testing.T, b []byte) {
	h, err := DecodeBytes(b)
	if err != nil {
		checkErr(t, h, err)
		return
	}
	checkRoundTrip(t, h)
}

func checkErr(t *testing.T, h *Hash, err error) {
	var ie *InvalidError
	if h != nil || !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) || ie.Reason == "" {
		t.Fatalf("bad failure: %v, %#v", h, err)
	}
}

// checkRoundTrip re-encodes h and decodes the result.
func checkRoundTrip(t *testing.T, h *Hash) {
	enc, err := Encode(h)
	if err != nil {
		// Re-encoding may grow a blob (it adds NUL terminators and fixed
		// layouts), so only a hash near the size limit may fail.
		if len(h.Raw) > MaxBlobSize/2 {
			return
		}
		t.Fatalf("Encode of a decoded hash: %v", err)
	}
	h2, err := DecodeBytes(enc)
	if err != nil {
		t.Fatalf("Decode of a re-encoded hash: %v", err)
	}
	if a, b := fields(h), fields(h2); !reflect.DeepEqual(a, b) {
		t.Fatalf("round trip changed the fields:\n%+v\n%+v", a, b)
	}
	if h.Fingerprint() != h2.Fingerprint() {
		t.Fatal("round trip changed the fingerprint")
	}
	enc2, err := Encode(h2)
	if err != nil || string(enc2) != string(enc) {
		t.Fatalf("encoding is not stable: %v", err)
	}
	if _, err := Decode(EncodeString(h)); err != nil {
		t.Fatalf("Decode(EncodeString): %v", err)
	}
}

// withChecksum returns a copy of b with a valid checksum record at its
// TotalLength and zero padding, or nil when b has no usable TotalLength.
func withChecksum(b []byte) []byte {
	if len(b) < 4 || b[0] != 'O' || b[1] != 'A' {
		return nil
	}
	tl := int(binary.LittleEndian.Uint16(b[2:]))
	if tl < 4 || tl > len(b) {
		return nil
	}
	out := make([]byte, max(len(b), tl+checksumLen))
	copy(out, b[:tl])
	sum := sha256.Sum256(out[:tl])
	copy(out[tl:], []byte{'C', 'S', checksumLen, 0})
	copy(out[tl+4:], sum[:])
	return out
}

// TestFuzzSeeds checks that the corpus files are well-formed and that the
// valid ones decode, so the fuzzer starts from hashes that get deep.
func TestFuzzSeeds(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzDecode", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds: %v", err)
	}
	invalid := map[string]string{"seed-bad-checksum": "checksum mismatch", "seed-overrun": "overrunning", "seed-empty": "empty"}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		header, lit, ok := strings.Cut(strings.TrimSpace(string(b)), "\n")
		if !ok || header != "go test fuzz v1" || !strings.HasPrefix(lit, "[]byte(") || !strings.HasSuffix(lit, ")") {
			t.Fatalf("%s: not a Go fuzz corpus file", f)
		}
		data, err := strconv.Unquote(lit[len("[]byte(") : len(lit)-1])
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := filepath.Base(f)
		_, err = DecodeBytes([]byte(data))
		if name == "seed-text" || name == "seed-empty" {
			_, err = Decode(data)
		}
		if reason, bad := invalid[name]; bad {
			wantInvalid(t, err, reason)
		} else if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
