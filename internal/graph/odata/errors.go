package odata

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Error is a syntax or validation error in one query option. Handlers
// should answer it with 400 Bad Request.
type Error struct {
	// Option names the query option, such as "$filter" or "$top". Empty
	// means "$filter".
	Option string
	// Pos is the 1-based column, counted in characters, within the option's
	// value where the problem was found; 0 means the problem is not tied to
	// one place (for example a missing or repeated option).
	Pos int
	// Msg says what was expected and what was found.
	Msg string
}

// Error formats the error as "$filter: column 12: expected ')' but found
// 'and'", leaving out the column when Pos is 0.
func (e *Error) Error() string {
	opt := e.Option
	if opt == "" {
		opt = "$filter"
	}
	if e.Pos > 0 {
		return opt + ": column " + strconv.Itoa(e.Pos) + ": " + e.Msg
	}
	return opt + ": " + e.Msg
}

// errAt builds an *Error for option at byte offset off of src.
func errAt(option, src string, off int, format string, args ...any) *Error {
	if off < 0 {
		off = 0
	}
	if off > len(src) {
		off = len(src)
	}
	return &Error{
		Option: option,
		Pos:    utf8.RuneCountInString(src[:off]) + 1,
		Msg:    fmt.Sprintf(format, args...),
	}
}

// errOpt builds an *Error for option that is not tied to a column.
func errOpt(option, format string, args ...any) *Error {
	return &Error{Option: option, Msg: fmt.Sprintf(format, args...)}
}

// quoteFound renders source text for "but found ..." parts of messages.
func quoteFound(text string) string { return "'" + shorten(text) + "'" }

// shorten cuts text to at most 40 characters so a huge literal cannot
// flood a message.
func shorten(text string) string {
	const max = 40
	n := 0
	for i := range text {
		if n == max {
			return text[:i] + "..."
		}
		n++
	}
	return text
}
