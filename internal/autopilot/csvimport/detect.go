package csvimport

import (
	"bufio"
	"bytes"
	"io"
	"sync/atomic"
	"unicode/utf8"
)

// bufSize is the size of each read buffer: a whole line must fit.
const bufSize = MaxLineBytes + 4

// countingReader counts the bytes read from the caller's reader, for
// Reader.BytesRead.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// detect reads the first bytes of raw, decides the encoding, consumes any
// byte order mark and returns a reader of UTF-8 text (or of bytes that are
// UTF-8 or Windows-1252, for the UTF8 and Windows1252 results).
func detect(raw *bufio.Reader) (io.Reader, Encoding, error) {
	head, err := raw.Peek(bufSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, 0, err
	}
	if len(head) == 0 {
		return nil, 0, &FileError{Msg: "the file is empty"}
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = raw.Discard(3)
		return raw, UTF8BOM, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}):
		return nil, 0, &FileError{Msg: "the file is UTF-32, which is not supported; save it as UTF-8 or UTF-16"}
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		_, _ = raw.Discard(2)
		return newUTF16Reader(raw, false), UTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		_, _ = raw.Discard(2)
		return newUTF16Reader(raw, true), UTF16BE, nil
	case len(head) >= 4 && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0:
		return newUTF16Reader(raw, false), UTF16LE, nil
	case len(head) >= 4 && head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0:
		return newUTF16Reader(raw, true), UTF16BE, nil
	}
	if msg := binaryKind(head); msg != "" {
		return nil, 0, &FileError{Msg: msg}
	}
	if utf8.Valid(trimPartialRune(head)) {
		return raw, UTF8, nil
	}
	return raw, Windows1252, nil
}

// binaryKind names what a non-text file probably is, or returns "".
func binaryKind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "the file is a ZIP archive, probably an Excel workbook (.xlsx): save it as \"CSV (Comma delimited)\" instead"
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "the file is an Office document, probably an Excel 97-2003 workbook (.xls): save it as \"CSV (Comma delimited)\" instead"
	}
	first := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		first = head[:i]
	}
	if bytes.IndexByte(first, 0) >= 0 {
		return "the file has binary content (NUL bytes) and is not a CSV text file"
	}
	return ""
}

// trimPartialRune drops an incomplete UTF-8 sequence cut off at the end of
// b, so a peek that ends mid-character is still judged valid.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}
