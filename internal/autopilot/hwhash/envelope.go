package hwhash

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strings"
)

// BlobSize is the size of every real hash blob (4000 base64 characters);
// Encode pads to it.
const BlobSize = 3000

// Envelope layout.
const (
	headerLen   = 4               // "OA" + u16 TotalLength, also a record header
	checksumLen = 4 + sha256.Size // "CS" + u16 36 + SHA-256
)

var (
	magicOA = [2]byte{'O', 'A'}
	magicCS = [2]byte{'C', 'S'}
)

// DecodeBytes decodes a hardware hash blob (already base64-decoded). The
// blob may be shorter than BlobSize as long as it holds the whole checksum
// record, and anything after the checksum record must be zero. Raw is a copy
// of b. Every failure is an *InvalidError; see the package documentation for
// what is checked.
func DecodeBytes(b []byte) (*Hash, error) {
	if len(b) > MaxBlobSize {
		return nil, invalidf("blob is %d bytes, more than the %d allowed", len(b), MaxBlobSize)
	}
	return decodeOwned(bytes.Clone(b))
}

// decodeOwned decodes b, which the returned Hash keeps as Raw.
func decodeOwned(b []byte) (*Hash, error) {
	if len(b) > MaxBlobSize {
		return nil, invalidf("blob is %d bytes, more than the %d allowed", len(b), MaxBlobSize)
	}
	tl, err := checkEnvelope(b)
	if err != nil {
		return nil, err
	}
	h := &Hash{Raw: b}
	d := decoder{h: h}
	if err := d.walk(b[:tl]); err != nil {
		return nil, err
	}
	if err := checkIdentity(h); err != nil {
		return nil, err
	}
	return h, nil
}

// checkEnvelope validates magic, TotalLength, checksum record and padding,
// and returns TotalLength.
func checkEnvelope(b []byte) (int, error) {
	if len(b) < headerLen+checksumLen {
		return 0, invalidf("too short: %d bytes, a hash has at least %d", len(b), headerLen+checksumLen)
	}
	if b[0] != magicOA[0] || b[1] != magicOA[1] {
		return 0, invalidf("bad magic %02x %02x, want \"OA\"", b[0], b[1])
	}
	tl := int(binary.LittleEndian.Uint16(b[2:]))
	if tl < headerLen || tl+checksumLen > len(b) {
		return 0, invalidf("TotalLength %d out of range for a %d-byte blob (truncated?)", tl, len(b))
	}
	cs := b[tl : tl+checksumLen]
	if cs[0] != magicCS[0] || cs[1] != magicCS[1] {
		return 0, invalidf("no checksum record at TotalLength %d (found %02x %02x, want \"CS\")", tl, cs[0], cs[1])
	}
	if n := binary.LittleEndian.Uint16(cs[2:]); n != checksumLen {
		return 0, invalidf("checksum record length %d, want %d", n, checksumLen)
	}
	sum := sha256.Sum256(b[:tl])
	if !bytes.Equal(sum[:], cs[4:]) {
		return 0, invalidf("checksum mismatch (the hash was altered, truncated or mistyped)")
	}
	for i, c := range b[tl+checksumLen:] {
		if c != 0 {
			return 0, invalidf("non-zero byte %02x in the padding at offset %d", c, tl+checksumLen+i)
		}
	}
	return tl, nil
}

// walk splits the OA record's content into field records and decodes each.
func (d *decoder) walk(oa []byte) error {
	off := headerLen
	for off < len(oa) {
		if len(oa)-off < headerLen {
			return invalidf("%d stray bytes at offset %d: the records do not end exactly at TotalLength %d", len(oa)-off, off, len(oa))
		}
		typ := binary.LittleEndian.Uint16(oa[off:])
		n := int(binary.LittleEndian.Uint16(oa[off+2:]))
		if n < headerLen {
			return invalidf("record type %d at offset %d has length %d, less than its header", typ, off, n)
		}
		if n > len(oa)-off {
			return invalidf("record type %d at offset %d has length %d, overrunning TotalLength %d", typ, off, n, len(oa))
		}
		if err := d.field(typ, oa[off+headerLen:off+n]); err != nil {
			return err
		}
		off += n
	}
	return nil
}

// checkIdentity enforces the fields without which a hash cannot identify a
// device (what Autopilot reports as InvalidZtdHardwareHash).
func checkIdentity(h *Hash) error {
	var missing []string
	if strings.TrimSpace(h.SerialNumber) == "" {
		missing = append(missing, "serial number")
	}
	if strings.TrimSpace(h.Manufacturer) == "" {
		missing = append(missing, "manufacturer")
	}
	if len(missing) > 0 {
		return invalidf("no %s (a hash without serial number and manufacturer is InvalidZtdHardwareHash)", strings.Join(missing, " and no "))
	}
	return nil
}
