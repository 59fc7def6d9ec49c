package ljson

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrEmptyBody is returned by [Decode] when the body is empty or contains
// only whitespace (and possibly a byte order mark). Callers decide whether a
// bodiless request is acceptable.
var ErrEmptyBody = errors.New("request body is empty")

// SyntaxError reports malformed JSON. Line and Column are 1-based; Column
// counts characters (runes), not bytes, and a leading byte order mark is not
// counted. Offset is the byte offset of the problem in the original input.
type SyntaxError struct {
	Line   int
	Column int
	Offset int
	Msg    string
}

// Error formats the error as "invalid JSON at line L, column C: msg".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Error reports a body that is well-formed JSON but does not match the
// schema. Property is the offending property path as sent by the client
// (canonical spelling when known, nested properties joined with '.', array
// elements as "name[i]"); it is empty for problems with the body as a whole.
// Msg is the complete, human-readable message and already names the
// property, so Error returns it unchanged.
type Error struct {
	Property string
	Msg      string
}

// Error returns e.Msg.
func (e *Error) Error() string { return e.Msg }

// newSyntaxError builds a SyntaxError for byte offset off of data (data has
// had its byte order mark removed; shift is the number of bytes removed).
func newSyntaxError(data []byte, off, shift int, msg string) *SyntaxError {
	if off > len(data) {
		off = len(data)
	}
	line, col := 1, 1
	for i := 0; i < off; {
		if data[i] == '\n' {
			line++
			col = 1
			i++
			continue
		}
		_, size := utf8.DecodeRune(data[i:off])
		i += size
		col++
	}
	return &SyntaxError{Line: line, Column: col, Offset: off + shift, Msg: msg}
}
