package csvimport

import (
	"bufio"
	"errors"
	"io"
)

// errLineTooLong reports a line longer than MaxLineBytes; its bytes have
// been discarded.
var errLineTooLong = errors.New("line too long")

// lineReader splits a byte stream into physical lines, in bounded memory.
type lineReader struct {
	br   *bufio.Reader
	line int // number of the last line returned
	eof  bool
}

// next returns the next line without its line ending (LF, CRLF, or any run
// of CRs before the LF) and its 1-based number. The slice is valid until
// the next call. At the end it returns io.EOF; for a line longer than
// MaxLineBytes it returns errLineTooLong with the line's number and skips
// to the following line; other errors come from the underlying reader.
func (l *lineReader) next() ([]byte, int, error) {
	if l.eof {
		return nil, 0, io.EOF
	}
	b, err := l.br.ReadSlice('\n')
	switch err {
	case nil:
	case io.EOF:
		l.eof = true
		if len(b) == 0 {
			return nil, 0, io.EOF
		}
	case bufio.ErrBufferFull:
		l.line++
		return nil, l.line, l.skipLine()
	default:
		return nil, 0, err
	}
	l.line++
	n := len(b)
	if n > 0 && b[n-1] == '\n' {
		n--
	}
	for n > 0 && b[n-1] == '\r' {
		n--
	}
	if n > MaxLineBytes {
		return nil, l.line, errLineTooLong
	}
	return b[:n], l.line, nil
}

// skipLine discards the rest of an over-long line and returns
// errLineTooLong, or a read error.
func (l *lineReader) skipLine() error {
	for {
		_, err := l.br.ReadSlice('\n')
		switch err {
		case nil:
			return errLineTooLong
		case bufio.ErrBufferFull:
			continue
		case io.EOF:
			l.eof = true
			return errLineTooLong
		default:
			return err
		}
	}
}
