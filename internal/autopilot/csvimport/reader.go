package csvimport

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Reader reads the device rows of an Autopilot CSV file one at a time, in
// bounded memory (a few hundred KiB whatever the file's size).
type Reader struct {
	count *countingReader
	lines lineReader
	enc   Encoding
	head  *header
	sp    splitter
	conv  []byte // Windows-1252 lines converted to UTF-8
	err   error  // sticky: io.EOF, a *FileError or a read error
}

// NewReader detects the encoding of r and reads its header. A file that
// cannot be imported at all (empty, binary, no or unknown header, a header
// column twice or unknown) gives a *FileError; a failing r gives its error,
// wrapped.
func NewReader(r io.Reader) (*Reader, error) {
	count := &countingReader{r: r}
	raw := bufio.NewReaderSize(count, bufSize)
	text, enc, err := detect(raw)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			return nil, err
		}
		return nil, fmt.Errorf("csvimport: reading: %w", err)
	}
	br, ok := text.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(text, bufSize)
	}
	rd := &Reader{count: count, lines: lineReader{br: br}, enc: enc}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

// Variant returns the header layout of the file.
func (r *Reader) Variant() Variant { return r.head.variant }

// Encoding returns the detected text encoding. For a file without a byte
// order mark it changes from UTF8 to Windows1252 when Next meets the first
// line that is not valid UTF-8.
func (r *Reader) Encoding() Encoding { return r.enc }

// BytesRead returns how many bytes have been read from the underlying
// reader, for a progress bar; it runs up to about 64 KiB ahead of the rows
// returned. It is safe to call concurrently with Next.
func (r *Reader) BytesRead() int64 { return r.count.n.Load() }

// Next returns the next device row. It returns io.EOF at the end of the
// file and a *RowError for a line that cannot be imported; call Next again
// to continue with the following line. A *FileError (a second, different
// header) or a read error is fatal and returned again by every later call.
// Blank lines and lines of empty fields are skipped.
func (r *Reader) Next() (Row, error) {
	for r.err == nil {
		line, n, err := r.lines.next()
		switch {
		case err == nil:
		case err == io.EOF:
			r.err = io.EOF
			continue
		case err == errLineTooLong:
			return Row{}, rowErr(n, CodeLineTooLong, fmt.Sprintf(
				"the line is longer than %d KiB; a device line is about 4 KiB", MaxLineBytes>>10))
		default:
			r.err = fmt.Errorf("csvimport: reading line %d: %w", r.lines.line+1, err)
			continue
		}
		text, bad := r.decode(line)
		if bad != "" {
			return Row{}, rowErr(n, CodeInvalidCharacters, "the line contains "+bad)
		}
		if code, field := r.sp.split(text); code != "" {
			return Row{}, quoteErr(n, code, field)
		}
		if r.sp.allEmpty() {
			continue
		}
		repeat, err := r.head.repeat(&r.sp, n)
		if err != nil {
			r.err = err
			continue
		}
		if repeat {
			continue
		}
		row, rerr := r.head.row(&r.sp, n)
		if rerr != nil {
			return Row{}, rerr
		}
		return row, nil
	}
	return Row{}, r.err
}

// readHeader skips leading blank, "#TYPE" and "sep=" lines and parses the
// header.
func (r *Reader) readHeader() error {
	for {
		line, n, err := r.lines.next()
		switch {
		case err == nil:
		case err == io.EOF:
			return &FileError{Msg: "the file has no header line: it is empty or blank"}
		case err == errLineTooLong:
			return fileErrf("line %d, where the header should be, is longer than %d KiB: this is not an "+
				"Autopilot CSV file, or its lines end in CR only (save it with Windows or Unix line endings)",
				n, MaxLineBytes>>10)
		default:
			return fmt.Errorf("csvimport: reading line %d: %w", r.lines.line+1, err)
		}
		text, bad := r.decode(line)
		if bad != "" {
			return fileErrf("the header (line %d) contains %s: this is not an Autopilot CSV text file", n, bad)
		}
		if hasPrefixFold(text, "#TYPE") || hasPrefixFold(text, "sep=") {
			continue
		}
		if code, field := r.sp.split(text); code != "" {
			return fileErrf("the header is malformed: %s", quoteErr(n, code, field).Error())
		}
		if r.sp.allEmpty() {
			continue
		}
		h, err := parseHeader(&r.sp, n)
		if err != nil {
			return err
		}
		r.head = h
		return nil
	}
}

// decode returns line as UTF-8, without a leading byte order mark, and a
// description of any character that does not belong in the file.
func (r *Reader) decode(line []byte) ([]byte, string) {
	line = bytes.TrimPrefix(line, []byte("\uFEFF"))
	if r.enc == UTF8 && !isASCII(line) && !utf8.Valid(line) {
		r.enc = Windows1252
	}
	if r.enc == Windows1252 && !isASCII(line) {
		r.conv = appendCP1252(r.conv[:0], line)
		line = r.conv
	}
	return line, badText(line)
}

func quoteErr(line int, code string, field int) *RowError {
	if code == CodeUnterminatedQuote {
		return rowErr(line, code, fmt.Sprintf("field %d opens a quote that is not closed on the same line", field))
	}
	return rowErr(line, code, fmt.Sprintf("field %d has a quote inside an unquoted value or text after its "+
		"closing quote; a quote inside a quoted value must be doubled", field))
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}
