package csvimport

import (
	"unicode/utf8"
)

// cp1252 maps the bytes 0x80-0x9F of Windows-1252 to runes. The five
// undefined bytes map to U+FFFD, reported as InvalidCharacters. Bytes
// 0xA0-0xFF are the Latin-1 runes of the same value.
var cp1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

// appendCP1252 appends the UTF-8 form of Windows-1252 text b to dst.
func appendCP1252(dst, b []byte) []byte {
	for _, c := range b {
		switch {
		case c < 0x80:
			dst = append(dst, c)
		case c < 0xA0:
			dst = utf8.AppendRune(dst, cp1252[c-0x80])
		default:
			dst = utf8.AppendRune(dst, rune(c))
		}
	}
	return dst
}

// isASCII reports whether b has only bytes below 0x80.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// badText returns a description of the first character in the UTF-8 line
// that has no place in a device CSV, or "" when the line is clean. It
// rejects NUL, control characters other than tab, invalid or replaced
// encoding (U+FFFD), C1 controls and zero-width characters.
func badText(line []byte) string {
	for i := 0; i < len(line); {
		c := line[i]
		if c < 0x80 {
			switch {
			case c == 0:
				return "a NUL character (the file may have been saved as UTF-16 and then edited or concatenated as text)"
			case c == '\r':
				return "a carriage return inside the line (lines must end in CRLF or LF)"
			case c == 0x7F || (c < 0x20 && c != '\t'):
				return "the control character U+00" + hex2(c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(line[i:])
		switch {
		case r == utf8.RuneError:
			return "characters that are not valid in the file's encoding"
		case r >= 0x80 && r < 0xA0:
			return "the control character U+00" + hex2(byte(r))
		case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF:
			return "an invisible zero-width character"
		}
		i += n
	}
	return ""
}

func hex2(c byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[c>>4], digits[c&0xF]})
}
