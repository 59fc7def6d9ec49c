package rule

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies tokens.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tLParen         // (
	tRParen         // )
	tLBrack         // [
	tRBrack         // ]
	tComma          // ,
	tString         // "..." or '...'
	tWord           // device.displayName, _, true, and, ...
	tOp             // -eq, -any, -and, ...
	tErr            // a lexical error; always the last token
)

// token is one lexeme of a rule.
type token struct {
	kind tokKind
	col  int          // 1-based rune column of the first rune
	raw  string       // source text of the token
	val  string       // unquoted text (tString), word (tWord), name without dash (tOp)
	err  *SyntaxError // for tErr: the error, or nil to report "expected ..., found <raw>"
}

// lex splits text into tokens. The result ends with tEOF, or with tErr at
// the first lexical error (so that errors surface in source order).
func lex(text string) []token {
	toks := make([]token, 0, 8)
	col := 1
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
			col++
			continue
		case r == '(' || r == ')' || r == '[' || r == ']' || r == ',':
			toks = append(toks, token{kind: punct(r), col: col, raw: text[i : i+1]})
			i++
			col++
			continue
		case r == '"' || r == '\'':
			val, n, ok := scanString(text[i:], byte(r))
			if !ok {
				return append(toks, errTok(col, "expected a closing %c for the string starting here, found end of rule", r))
			}
			toks = append(toks, token{kind: tString, col: col, raw: text[i : i+n], val: val})
			i += n
			col += utf8.RuneCountInString(text[i-n : i])
			continue
		case r == '-':
			j := i + 1
			for j < len(text) && isASCIILetter(text[j]) {
				j++
			}
			if j == i+1 {
				return append(toks, errTok(col, "expected an operator name after \"-\", found %s", describeRest(text[j:])))
			}
			toks = append(toks, token{kind: tOp, col: col, raw: text[i:j], val: text[i+1 : j]})
			col += j - i
			i = j
			continue
		case isWordRune(r):
			j := i
			for j < len(text) {
				r2, w2 := utf8.DecodeRuneInString(text[j:])
				if !isWordRune(r2) || r2 == utf8.RuneError && w2 == 1 {
					break
				}
				j += w2
			}
			toks = append(toks, token{kind: tWord, col: col, raw: text[i:j], val: text[i:j]})
			col += utf8.RuneCountInString(text[i:j])
			i = j
			continue
		}
		// The parser reports this token with what it expected there.
		return append(toks, token{kind: tErr, col: col, raw: "unexpected character " + describeRest(text[i:])})
	}
	return append(toks, token{kind: tEOF, col: col})
}

// errTok builds the terminal error token.
func errTok(col int, format string, args ...any) token {
	return token{kind: tErr, col: col, err: errorf(col, format, args...)}
}

// describeRest names the first rune of rest for an error message.
func describeRest(rest string) string {
	if rest == "" {
		return "end of rule"
	}
	_, w := utf8.DecodeRuneInString(rest)
	return fmt.Sprintf("%q", rest[:w])
}

// scanString reads a string literal opening with quote q at s[0]. It returns
// the unescaped value and the literal's length in bytes. Inside a string,
// \" \' and \\ stand for the escaped character; any other backslash is kept
// as-is so regular expressions such as "^\d+$" need no doubling.
func scanString(s string, q byte) (string, int, bool) {
	var b strings.Builder
	escaped := false
	start := 1
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c == q {
			if !escaped {
				return s[1:i], i + 1, true
			}
			b.WriteString(s[start:i])
			return b.String(), i + 1, true
		}
		if c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\'' || s[i+1] == '\\') {
			escaped = true
			b.WriteString(s[start:i])
			b.WriteByte(s[i+1])
			i++
			start = i + 1
		}
	}
	return "", 0, false
}

func punct(r rune) tokKind {
	switch r {
	case '(':
		return tLParen
	case ')':
		return tRParen
	case '[':
		return tLBrack
	case ']':
		return tRBrack
	}
	return tComma
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isWordRune(r rune) bool {
	return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
