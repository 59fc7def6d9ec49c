package ljson

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of objects and arrays that [Parse]
// accepts; the top-level object or array is depth 1.
const MaxDepth = 64

// bom is the UTF-8 encoding of U+FEFF, tolerated at the start of the input.
var bom = []byte{0xEF, 0xBB, 0xBF}

// Parse parses one JSON value from data. It accepts standard JSON plus
// unquoted property names (made of ASCII letters, digits and "@._$-"), a
// single trailing comma in each object or array, and a leading UTF-8 byte
// order mark. It rejects duplicate property names, comments, NaN and
// Infinity, invalid UTF-8 and unpaired surrogates in strings, raw control
// characters in strings, nesting deeper than [MaxDepth], and anything but
// whitespace after the value. Errors are of type [*SyntaxError].
func Parse(data []byte) (Value, error) {
	shift := 0
	if bytes.HasPrefix(data, bom) {
		data, shift = data[len(bom):], len(bom)
	}
	p := parser{data: data, shift: shift}
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return Value{}, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return Value{}, p.unexpected("after top-level value")
	}
	return v, nil
}

// parser holds the state of one Parse call.
type parser struct {
	data  []byte
	pos   int
	shift int // bytes of byte order mark removed from the front
	depth int
}

// fail returns a SyntaxError at byte offset off.
func (p *parser) fail(off int, format string, args ...any) error {
	return newSyntaxError(p.data, off, p.shift, fmt.Sprintf(format, args...))
}

// unexpected reports the byte at p.pos (or the end of input) as out of
// place; context completes the sentence, e.g. "after array element".
func (p *parser) unexpected(context string) error {
	if p.pos >= len(p.data) {
		return p.fail(p.pos, "unexpected end of input")
	}
	c := p.data[p.pos]
	if c == '/' && p.pos+1 < len(p.data) && (p.data[p.pos+1] == '/' || p.data[p.pos+1] == '*') {
		return p.fail(p.pos, "comments are not allowed")
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return p.fail(p.pos, "invalid character %s %s", quoteRune(r), context)
}

// quoteRune renders r for messages, e.g. 'x' or U+0000.
func quoteRune(r rune) string {
	if r < 0x20 || r == utf8.RuneError || r == 0x7f {
		return fmt.Sprintf("U+%04X", r)
	}
	return strconv.QuoteRune(r)
}

// skipSpace advances past JSON whitespace.
func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// value parses the value starting at p.pos (whitespace already skipped).
func (p *parser) value() (Value, error) {
	if p.pos >= len(p.data) {
		return Value{}, p.fail(p.pos, "unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.str()
		return Value{Type: StringType, Text: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		s, err := p.number()
		return Value{Type: NumberType, Text: s}, err
	case isIdent(c):
		return p.literal()
	}
	return Value{}, p.unexpected("looking for beginning of value")
}

// enter increments the nesting depth, failing beyond MaxDepth.
func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.fail(p.pos, "nesting exceeds the maximum depth of %d", MaxDepth)
	}
	return nil
}

// array parses an array; p.pos is at '['.
func (p *parser) array() (Value, error) {
	if err := p.enter(); err != nil {
		return Value{}, err
	}
	p.pos++
	v := Value{Type: ArrayType}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		item, err := p.value()
		if err != nil {
			return Value{}, err
		}
		v.Items = append(v.Items, item)
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			p.skipSpace()
			if p.pos < len(p.data) && p.data[p.pos] == ']' { // trailing comma
				p.pos++
				break
			}
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			break
		}
		return Value{}, p.unexpected("after array element (expected ',' or ']')")
	}
	p.depth--
	return v, nil
}

// object parses an object; p.pos is at '{'.
func (p *parser) object() (Value, error) {
	if err := p.enter(); err != nil {
		return Value{}, err
	}
	p.pos++
	v := Value{Type: ObjectType}
	var seen map[string]struct{} // built once the object grows large
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		return v, nil
	}
	for {
		keyPos := p.pos
		name, err := p.key()
		if err != nil {
			return Value{}, err
		}
		if seen, err = p.checkDuplicate(v.Members, seen, name, keyPos); err != nil {
			return Value{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			if p.pos >= len(p.data) {
				return Value{}, p.fail(p.pos, "unexpected end of input")
			}
			return Value{}, p.fail(p.pos, "expected ':' after property name %q", name)
		}
		p.pos++
		p.skipSpace()
		val, err := p.value()
		if err != nil {
			return Value{}, err
		}
		v.Members = append(v.Members, Member{Name: name, Value: val})
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ',' {
			p.pos++
			p.skipSpace()
			if p.pos < len(p.data) && p.data[p.pos] == '}' { // trailing comma
				p.pos++
				break
			}
			continue
		}
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			break
		}
		return Value{}, p.unexpected(fmt.Sprintf("after value of property %q (expected ',' or '}')", name))
	}
	p.depth--
	return v, nil
}

// checkDuplicate fails if name already occurs in members. Small objects are
// scanned linearly; larger ones use (and return) an index.
func (p *parser) checkDuplicate(members []Member, seen map[string]struct{}, name string, off int) (map[string]struct{}, error) {
	const linear = 16
	dup := false
	switch {
	case len(members) < linear:
		for _, m := range members {
			if m.Name == name {
				dup = true
				break
			}
		}
	default:
		if seen == nil {
			seen = make(map[string]struct{}, 2*len(members))
			for _, m := range members {
				seen[m.Name] = struct{}{}
			}
		}
		_, dup = seen[name]
		seen[name] = struct{}{}
	}
	if dup {
		return seen, p.fail(off, "duplicate property name %q", name)
	}
	return seen, nil
}
