package odata

import (
	"strings"
	"unicode/utf8"
)

// tokKind classifies a $filter token.
type tokKind uint8

const (
	tkEOF tokKind = iota
	tkIdent
	tkString
	tkInt
	tkFloat
	tkGuid
	tkDateTime
	tkDate
	tkLParen
	tkRParen
	tkComma
	tkSlash
	tkColon
)

// token is one lexeme of a $filter expression.
type token struct {
	kind tokKind
	pos  int    // byte offset in the source
	text string // raw source text
	str  string // unescaped value of a string literal
}

// found describes the token for "but found ..." in error messages.
func (t token) found() string {
	switch t.kind {
	case tkEOF:
		return "end of input"
	case tkString:
		return "string " + quoteFound(t.text[1:len(t.text)-1])
	}
	return quoteFound(t.text)
}

// is reports whether t is the identifier word, ignoring case.
func (t token) is(word string) bool {
	return t.kind == tkIdent && strings.EqualFold(t.text, word)
}

// lex splits a $filter expression into tokens, ending with tkEOF.
func lex(src string) ([]token, *Error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '(' || c == ')' || c == ',' || c == '/' || c == ':':
			toks = append(toks, token{kind: punctKind(c), pos: i, text: src[i : i+1]})
			i++
			continue
		case c == '\'':
			t, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(t.text)
			continue
		}
		if end := matchGUID(src, i); end > 0 {
			toks = append(toks, token{kind: tkGuid, pos: i, text: src[i:end]})
			i = end
			continue
		}
		if isDigit(c) || (c == '-' && i+1 < len(src) && isDigit(src[i+1])) {
			t, err := lexNumberOrDate(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(t.text)
			continue
		}
		if isIdentStart(c) {
			for i < len(src) && isIdentChar(src[i]) {
				i++
			}
			toks = append(toks, token{kind: tkIdent, pos: start, text: src[start:i]})
			continue
		}
		r, _ := utf8.DecodeRuneInString(src[i:])
		if c == '"' {
			return nil, errAt("$filter", src, i, "expected a single-quoted string but found '\"'")
		}
		return nil, errAt("$filter", src, i, "unexpected character %s", quoteFound(string(r)))
	}
	toks = append(toks, token{kind: tkEOF, pos: len(src)})
	return toks, nil
}

// lexString scans a single-quoted string starting at src[i]; two quotes
// in a row inside it stand for one quote character.
func lexString(src string, i int) (token, *Error) {
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		if src[j] == '\'' {
			if j+1 < len(src) && src[j+1] == '\'' {
				b.WriteByte('\'')
				j += 2
				continue
			}
			return token{kind: tkString, pos: i, text: src[i : j+1], str: b.String()}, nil
		}
		b.WriteByte(src[j])
		j++
	}
	return token{}, errAt("$filter", src, i, "expected closing quote for string but found end of input")
}

// lexNumberOrDate scans an integer, decimal, date or date-time literal.
func lexNumberOrDate(src string, i int) (token, *Error) {
	if end, kind, ok := matchDate(src, i); ok {
		if end < len(src) && (isIdentChar(src[end]) || src[end] == '.' || src[end] == ':') {
			return token{}, errAt("$filter", src, i, "expected a date or date-time but found %s", quoteFound(wordAt(src, i)))
		}
		return token{kind: kind, pos: i, text: src[i:end]}, nil
	}
	j := i
	if src[j] == '-' {
		j++
	}
	j = skipDigits(src, j)
	kind := tkInt
	if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
		j = skipDigits(src, j+1)
		kind = tkFloat
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			j = skipDigits(src, k)
			kind = tkFloat
		}
	}
	if j < len(src) && (isIdentChar(src[j]) || src[j] == '.' || src[j] == '-') {
		return token{}, errAt("$filter", src, i, "expected a number but found %s", quoteFound(wordAt(src, i)))
	}
	return token{kind: kind, pos: i, text: src[i:j]}, nil
}

// matchDate matches YYYY-MM-DD optionally followed by
// Thh:mm[:ss[.fff]][Z|±hh:mm] at src[i]. It returns the end offset and
// whether a date (tkDate) or date-time (tkDateTime) was found.
func matchDate(src string, i int) (int, tokKind, bool) {
	j, ok := matchPattern(src, i, "dddd-dd-dd")
	if !ok {
		return 0, 0, false
	}
	if j >= len(src) || src[j] != 'T' {
		return j, tkDate, true
	}
	j, ok = matchPattern(src, j, "Tdd:dd")
	if !ok {
		return 0, 0, false
	}
	if k, ok := matchPattern(src, j, ":dd"); ok {
		j = k
		if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
			j = skipDigits(src, j+1)
		}
	}
	if j < len(src) && src[j] == 'Z' {
		j++
	} else if k, ok := matchPattern(src, j, "+dd:dd"); ok {
		j = k
	} else if k, ok := matchPattern(src, j, "-dd:dd"); ok {
		j = k
	}
	return j, tkDateTime, true
}

// matchPattern matches pat at src[i], where 'd' in pat stands for a digit
// and any other byte for itself.
func matchPattern(src string, i int, pat string) (int, bool) {
	if len(src)-i < len(pat) {
		return 0, false
	}
	for k := 0; k < len(pat); k++ {
		c := src[i+k]
		if pat[k] == 'd' && !isDigit(c) || pat[k] != 'd' && c != pat[k] {
			return 0, false
		}
	}
	return i + len(pat), true
}

// matchGUID matches an unquoted 8-4-4-4-12 hexadecimal GUID at src[i] and
// returns its end offset, or 0 when there is none.
func matchGUID(src string, i int) int {
	j := i
	for g, n := range [5]int{8, 4, 4, 4, 12} {
		if g > 0 {
			if j >= len(src) || src[j] != '-' {
				return 0
			}
			j++
		}
		for k := 0; k < n; k++ {
			if j >= len(src) || !isHex(src[j]) {
				return 0
			}
			j++
		}
	}
	if j < len(src) && (isIdentChar(src[j]) || src[j] == '-') {
		return 0
	}
	return j
}

// wordAt returns the run of non-delimiter bytes at src[i], for messages.
func wordAt(src string, i int) string {
	j := i
	for j < len(src) && !strings.ContainsRune(" \t\r\n(),/'", rune(src[j])) {
		j++
	}
	return src[i:j]
}

// punctKind maps a punctuation byte to its token kind.
func punctKind(c byte) tokKind {
	switch c {
	case '(':
		return tkLParen
	case ')':
		return tkRParen
	case ',':
		return tkComma
	case '/':
		return tkSlash
	}
	return tkColon
}

func skipDigits(src string, j int) int {
	for j < len(src) && isDigit(src[j]) {
		j++
	}
	return j
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isHex(c byte) bool        { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || isDigit(c) }
