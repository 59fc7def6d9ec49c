package hwhash

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"math"
	"time"
)

// ansiOrder is the order Windows writes T14..T28's string records in.
var ansiOrder = [...]int{
	tSerial, tBIOSVendor, tManufacturer, tModel, tSKU, tFamily, tSystemVersion,
	tBoardMfr, tBoardProduct, tBoardVersion, tProductKeyID, tProductKeyPkPn, tBootDisk,
}

// Encode builds a hash blob from h's fields (Raw is ignored): the OA
// envelope, the records in the order Windows writes them (unknown Extra
// records last), the SHA-256 checksum record and zero padding to BlobSize
// bytes (or no padding if the content is larger). Empty strings, nil slices
// and nil pointers are left out; T1 is left out when Generated is zero.
// Generated is truncated to whole seconds. Encode of a decoded real hash
// reproduces its bytes; Encode never modifies h. It fails with an
// *InvalidError when h lacks a serial number or manufacturer, when a value
// cannot be represented (a string with NUL or, for ANSI fields, a rune
// outside Windows-1252; a malformed MAC, GUID or version; a time before 2000
// or after 2136; an offset that is not a whole number of units; T1 fields
// without Generated; MACs that disagree with NetworkAdapters; an Extra record
// of a known type) or when the result would exceed MaxBlobSize.
func Encode(h *Hash) ([]byte, error) {
	if h == nil {
		return nil, invalidf("encode: nil Hash")
	}
	if err := checkIdentity(h); err != nil {
		return nil, err
	}
	e := &encoder{buf: make([]byte, headerLen, BlobSize)}
	copy(e.buf, magicOA[:])
	e.encode(h)
	if e.err != nil {
		return nil, e.err
	}
	tl := len(e.buf)
	if tl+checksumLen > MaxBlobSize {
		return nil, invalidf("encode: %d bytes, more than the %d allowed", tl+checksumLen, MaxBlobSize)
	}
	binary.LittleEndian.PutUint16(e.buf[2:], uint16(tl))
	sum := sha256.Sum256(e.buf)
	e.buf = append(e.buf, magicCS[0], magicCS[1], checksumLen, 0)
	e.buf = append(e.buf, sum[:]...)
	if len(e.buf) < BlobSize {
		e.buf = append(e.buf, make([]byte, BlobSize-len(e.buf))...)
	}
	return e.buf, nil
}

// EncodeString returns Encode(h) as padded standard base64, or "" when
// Encode fails (call Encode to learn why).
func EncodeString(h *Hash) string {
	b, err := Encode(h)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(b)
}

// encoder appends records to buf; the first error sticks.
type encoder struct {
	buf []byte
	err error
}

// begin starts a record and returns its offset for end.
func (e *encoder) begin(typ uint16) int {
	off := len(e.buf)
	e.buf = binary.LittleEndian.AppendUint16(e.buf, typ)
	e.buf = append(e.buf, 0, 0)
	return off
}

// end patches the length of the record started at off.
func (e *encoder) end(off int) {
	n := len(e.buf) - off
	switch {
	case n > math.MaxUint16:
		e.fail("%s record too long (%d bytes)", e.name(off), n)
	case len(e.buf)+checksumLen > MaxBlobSize:
		e.fail("too large: more than %d bytes with the %s record", MaxBlobSize, e.name(off))
	default:
		binary.LittleEndian.PutUint16(e.buf[off+2:], uint16(n))
		return
	}
	e.buf = e.buf[:off]
}

// name names the record started at off, for errors.
func (e *encoder) name(off int) string {
	typ := binary.LittleEndian.Uint16(e.buf[off:])
	if int(typ) < numTypes && fieldInfos[typ].name != "" {
		return fieldInfos[typ].name
	}
	return "unknown"
}

func (e *encoder) fail(format string, args ...any) {
	if e.err == nil {
		e.err = invalidf("encode: "+format, args...)
	}
}

// raw writes a record with a fixed value.
func (e *encoder) raw(typ uint16, v []byte) {
	off := e.begin(typ)
	e.buf = append(e.buf, v...)
	e.end(off)
}

// ansi writes an ANSI string record: NUL-terminated unless noNUL, then
// NUL-padded to pad bytes.
func (e *encoder) ansi(typ int, s string, noNUL bool, pad int) {
	off := e.begin(uint16(typ))
	var ok bool
	if e.buf, ok = appendANSI(e.buf, s); !ok {
		e.fail("%s %q contains NUL or a character outside Windows-1252", fieldInfos[typ].name, s)
	}
	if !noNUL {
		e.buf = append(e.buf, 0)
	}
	for len(e.buf)-off-headerLen < pad {
		e.buf = append(e.buf, 0)
	}
	e.end(off)
}

// utf16 writes a UTF-16LE string record without terminator.
func (e *encoder) utf16(typ int, s string) {
	off := e.begin(uint16(typ))
	var ok bool
	if e.buf, ok = appendUTF16(e.buf, s); !ok {
		e.fail("%s %q contains NUL or invalid UTF-8", fieldInfos[typ].name, s)
	}
	e.end(off)
}

// tool writes T1.
func (e *encoder) tool(h *Hash) {
	if h.Generated.IsZero() {
		if h.ToolVersion != 0 || h.ToolBuild != "" || h.OSBuild != "" || h.UTCOffset != 0 || h.OSType != 0 || h.OSArchitecture != 0 {
			e.fail("Generated must be set along with the tool and OS fields")
		}
		return
	}
	secs := h.Generated.Unix() - epoch2000.Unix()
	if secs < 0 || secs > math.MaxUint32 {
		e.fail("Generated %s is outside 2000-01-01 … 2136-02-07", h.Generated.UTC().Format(time.RFC3339))
		return
	}
	if h.ToolVersion < 0 || h.ToolVersion > math.MaxUint8 {
		e.fail("ToolVersion %d is outside 0…255", h.ToolVersion)
		return
	}
	unit := offsetUnit(h.ToolVersion)
	tz := h.UTCOffset / unit
	if h.UTCOffset%unit != 0 || tz < math.MinInt8 || tz > math.MaxInt8 {
		e.fail("UTCOffset %s is not a multiple of %s between -128 and 127 of them", h.UTCOffset, unit)
		return
	}
	tms, tls, ok1 := parseVersion(h.ToolBuild)
	oms, ols, ok2 := parseVersion(h.OSBuild)
	if !ok1 || !ok2 {
		e.fail("ToolBuild %q or OSBuild %q is not major.minor.build.revision", h.ToolBuild, h.OSBuild)
		return
	}
	le := binary.LittleEndian
	off := e.begin(tTool)
	e.buf = le.AppendUint32(e.buf, tms)
	e.buf = le.AppendUint32(e.buf, tls)
	e.buf = le.AppendUint32(e.buf, oms)
	e.buf = le.AppendUint32(e.buf, ols)
	e.buf = le.AppendUint32(e.buf, uint32(secs))
	e.buf = append(e.buf, byte(int8(tz)), h.OSType, h.OSArchitecture, byte(h.ToolVersion))
	e.end(off)
}
