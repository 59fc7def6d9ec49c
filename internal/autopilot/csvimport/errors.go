package csvimport

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// RowError codes: the Code of a *RowError. They are stable strings meant for
// API responses and reports.
const (
	// CodeLineTooLong: the line holds more than MaxLineBytes bytes.
	CodeLineTooLong = "LineTooLong"
	// CodeInvalidCharacters: a NUL, another control character, a
	// zero-width character, or bytes invalid in the file's encoding.
	CodeInvalidCharacters = "InvalidCharacters"
	// CodeUnterminatedQuote: a quoted field is still open at the end of
	// the line.
	CodeUnterminatedQuote = "UnterminatedQuote"
	// CodeBadQuote: a quote inside an unquoted field, or text after a
	// closing quote.
	CodeBadQuote = "BadQuote"
	// CodeWrongFieldCount: the row has extra non-empty fields, or lacks a
	// required column, compared with the header.
	CodeWrongFieldCount = "WrongFieldCount"
	// CodeSpreadsheetErrorValue: a field holds a spreadsheet error such as
	// #NAME?, #VALUE! or ####.
	CodeSpreadsheetErrorValue = "SpreadsheetErrorValue"
	// CodeMissingSerialNumber: the serial number is empty.
	CodeMissingSerialNumber = "MissingSerialNumber"
	// CodeLeadingApostrophe: the serial number, product ID or hash starts
	// with an apostrophe (a spreadsheet's "treat as text" marker).
	CodeLeadingApostrophe = "LeadingApostrophe"
	// CodeSerialInScientificNotation: the serial number looks like
	// 1.23457E+11, a number a spreadsheet reformatted.
	CodeSerialInScientificNotation = "SerialInScientificNotation"
	// CodeMissingHardwareHash: the hardware hash is empty.
	CodeMissingHardwareHash = "MissingHardwareHash"
	// CodeInvalidHardwareHashText: the hardware hash has characters that
	// are not base64.
	CodeInvalidHardwareHashText = "InvalidHardwareHashText"
	// CodeFieldTooLong: a field other than the hash is longer than
	// MaxFieldLength characters.
	CodeFieldTooLong = "FieldTooLong"
)

// MaxLineBytes is the longest line, in bytes of UTF-8 text without its line
// ending, that the reader accepts. A hardware hash is about 4,000
// characters.
const MaxLineBytes = 64 << 10

// MaxFieldLength is the longest value, in characters, accepted for every
// column except the hardware hash.
const MaxFieldLength = 256

// RowError is a problem with one line. The line is skipped and the reader
// continues with the next one.
type RowError struct {
	// Line is the 1-based physical line number.
	Line int
	// Code is one of the Code* constants.
	Code string
	// Msg explains the problem and, where possible, how to fix it.
	Msg string
}

// Error returns "line N: Msg".
func (e *RowError) Error() string {
	return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
}

// FileError is a problem with the whole file: nothing in it can be imported
// (an empty file, a missing or unknown header, binary content, ...). It is
// fatal: Next returns it again on every later call.
type FileError struct {
	// Msg explains the problem.
	Msg string
}

// Error returns Msg.
func (e *FileError) Error() string { return e.Msg }

func rowErr(line int, code, msg string) *RowError {
	return &RowError{Line: line, Code: code, Msg: msg}
}

// shorten quotes s for a message, cut to about 40 characters.
func shorten(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) <= limit {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == limit {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}

func fileErrf(format string, args ...any) *FileError {
	return &FileError{Msg: fmt.Sprintf(format, args...)}
}
