package rule

import (
	"fmt"
	"unicode/utf8"
)

// SyntaxError reports why a membership rule could not be parsed and where.
type SyntaxError struct {
	// Column is the 1-based position, counted in runes, of the offending
	// token in the rule text.
	Column int
	// Msg says what was expected and what was found instead.
	Msg string
}

// Error formats the error as "rule: column N: message".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("rule: column %d: %s", e.Column, e.Msg)
}

// errorf builds a *SyntaxError at col.
func errorf(col int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Column: col, Msg: fmt.Sprintf(format, args...)}
}

// maxDescribe bounds how much of a token is quoted back in a message.
const maxDescribe = 40

// describe renders a token for the "found ..." part of a message.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of rule"
	case tLParen, tRParen, tLBrack, tRBrack, tComma:
		return `"` + t.raw + `"`
	}
	s := t.raw
	if utf8.RuneCountInString(s) > maxDescribe {
		r := []rune(s)
		s = string(r[:maxDescribe]) + "…"
	}
	return s
}
