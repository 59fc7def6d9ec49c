package ljson

import (
	"unicode/utf16"
	"unicode/utf8"
)

// isIdent reports whether c may appear in an unquoted property name:
// ASCII letters and digits and the characters '@', '.', '_', '$', '-'.
func isIdent(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '@' || c == '.' || c == '_' || c == '$' || c == '-'
}

// word returns the run of identifier characters starting at p.pos without
// consuming it.
func (p *parser) word() string {
	end := p.pos
	for end < len(p.data) && isIdent(p.data[end]) {
		end++
	}
	return string(p.data[p.pos:end])
}

// key parses a property name, quoted or unquoted.
func (p *parser) key() (string, error) {
	if p.pos < len(p.data) {
		if c := p.data[p.pos]; c == '"' {
			return p.str()
		} else if isIdent(c) {
			w := p.word()
			p.pos += len(w)
			return w, nil
		}
	}
	return "", p.unexpected("looking for property name")
}

// literal parses true, false or null; p.pos is at an identifier character.
func (p *parser) literal() (Value, error) {
	w := p.word()
	switch w {
	case "true":
		p.pos += len(w)
		return Value{Type: BoolType, Bool: true}, nil
	case "false":
		p.pos += len(w)
		return Value{Type: BoolType}, nil
	case "null":
		p.pos += len(w)
		return Value{}, nil
	case "NaN", "Infinity":
		return Value{}, p.fail(p.pos, "NaN and Infinity are not valid JSON values")
	}
	if w[0] == '.' {
		return Value{}, p.fail(p.pos, "invalid number %q", truncate(w, 32))
	}
	return Value{}, p.fail(p.pos, "invalid literal %q (strings must be quoted; true, false and null are lower-case)", truncate(w, 32))
}

// number scans a number literal and returns its text; p.pos is at '-' or a
// digit. The grammar is RFC 8259's: no leading '+', no leading zeros, no
// bare '.', no hexadecimal.
func (p *parser) number() (string, error) {
	start, i, d := p.pos, p.pos, p.data
	digits := func() bool {
		n := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i > n
	}
	bad := func() (string, error) {
		end := i
		for end < len(d) && (isIdent(d[end]) || d[end] == '+') {
			end++
		}
		tok := string(d[start:end])
		if tok == "-Infinity" {
			return "", p.fail(start, "NaN and Infinity are not valid JSON values")
		}
		return "", p.fail(start, "invalid number %q", truncate(tok, 32))
	}
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case !digits():
		return bad()
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			return bad()
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			return bad()
		}
	}
	if i < len(d) && (isIdent(d[i]) || d[i] == '+') {
		return bad()
	}
	p.pos = i
	return string(d[start:i]), nil
}

// str parses a quoted string; p.pos is at the opening quote.
func (p *parser) str() (string, error) {
	d := p.data
	start := p.pos + 1
	i := start
	for i < len(d) && d[i] != '"' && d[i] != '\\' && d[i] >= 0x20 && d[i] < 0x80 {
		i++
	}
	if i < len(d) && d[i] == '"' { // fast path: plain ASCII
		p.pos = i + 1
		return string(d[start:i]), nil
	}
	buf := make([]byte, 0, i-start+16)
	buf = append(buf, d[start:i]...)
	for {
		if i >= len(d) {
			return "", p.fail(i, "unexpected end of input in string")
		}
		switch c := d[i]; {
		case c == '"':
			p.pos = i + 1
			return string(buf), nil
		case c == '\\':
			var err error
			if buf, i, err = p.escape(buf, i); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", p.fail(i, "control character U+%04X in string must be escaped", c)
		case c < 0x80:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size <= 1 {
				return "", p.fail(i, "invalid UTF-8 in string")
			}
			buf = append(buf, d[i:i+size]...)
			i += size
		}
	}
}

// escape decodes the escape sequence at d[i] == '\\', appending to buf.
func (p *parser) escape(buf []byte, i int) ([]byte, int, error) {
	d := p.data
	if i+1 >= len(d) {
		return buf, i, p.fail(len(d), "unexpected end of input in string")
	}
	switch c := d[i+1]; c {
	case '"', '\\', '/':
		return append(buf, c), i + 2, nil
	case 'b':
		return append(buf, '\b'), i + 2, nil
	case 'f':
		return append(buf, '\f'), i + 2, nil
	case 'n':
		return append(buf, '\n'), i + 2, nil
	case 'r':
		return append(buf, '\r'), i + 2, nil
	case 't':
		return append(buf, '\t'), i + 2, nil
	case 'u':
		r, ok := hex4(d, i+2)
		if !ok {
			return buf, i, p.fail(i, "invalid \\u escape in string")
		}
		switch {
		case utf16.IsSurrogate(r) && r < 0xDC00: // high surrogate: need a low one
			lo, ok := rune(0), false
			if i+7 < len(d) && d[i+6] == '\\' && d[i+7] == 'u' {
				lo, ok = hex4(d, i+8)
			}
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return buf, i, p.fail(i, "unpaired surrogate \\u%04X in string", r)
			}
			return utf8.AppendRune(buf, utf16.DecodeRune(r, lo)), i + 12, nil
		case utf16.IsSurrogate(r):
			return buf, i, p.fail(i, "unpaired surrogate \\u%04X in string", r)
		}
		return utf8.AppendRune(buf, r), i + 6, nil
	}
	r, _ := utf8.DecodeRune(d[i+1:])
	return buf, i, p.fail(i, "invalid escape '\\' followed by %s in string", quoteRune(r))
}

// hex4 decodes four hexadecimal digits at d[i:].
func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
