package hwhash

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// cp1252High maps bytes 0x80-0x9F of Windows-1252 to runes. The five bytes
// the code page leaves undefined map to the C1 control with the same value,
// as in the WHATWG encoding standard, so that all 256 byte values round-trip.
var cp1252High = [32]rune{
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
}

// cutNUL returns b up to its first NUL byte.
func cutNUL(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// ansiString decodes an ANSI value: it stops at the first NUL and maps the
// bytes from Windows-1252 to UTF-8.
func ansiString(b []byte) string {
	b = cutNUL(b)
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(2 * len(b))
	for _, c := range b {
		switch {
		case c < 0x80 || c >= 0xA0:
			sb.WriteRune(rune(c))
		default:
			sb.WriteRune(cp1252High[c-0x80])
		}
	}
	return sb.String()
}

// appendANSI appends s in Windows-1252 to dst. It fails on NUL and on runes
// the code page cannot represent (and on invalid UTF-8).
func appendANSI(dst []byte, s string) ([]byte, bool) {
	if !utf8.ValidString(s) {
		return dst, false
	}
	for _, r := range s {
		switch {
		case r == 0:
			return dst, false
		case r < 0x80 || (r >= 0xA0 && r <= 0xFF):
			dst = append(dst, byte(r))
		default:
			c, ok := cp1252Byte(r)
			if !ok {
				return dst, false
			}
			dst = append(dst, c)
		}
	}
	return dst, true
}

// cp1252Byte is the inverse of cp1252High.
func cp1252Byte(r rune) (byte, bool) {
	for i, x := range cp1252High {
		if x == r {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}

// utf16String decodes UTF-16LE up to the first U+0000; an odd trailing byte
// is ignored and unpaired surrogates become U+FFFD.
func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := uint16(b[i]) | uint16(b[i+1])<<8
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// appendUTF16 appends s as UTF-16LE to dst. It fails on NUL and invalid UTF-8.
func appendUTF16(dst []byte, s string) ([]byte, bool) {
	if !utf8.ValidString(s) {
		return dst, false
	}
	for _, r := range s {
		if r == 0 {
			return dst, false
		}
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			dst = append(dst, byte(r1), byte(r1>>8), byte(r2), byte(r2>>8))
			continue
		}
		dst = append(dst, byte(r), byte(r>>8))
	}
	return dst, true
}
