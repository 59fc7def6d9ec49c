package hwinfo

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf16"
)

// maxHeadBytes bounds how much of an existing file AppendCSV reads to find
// its header.
const maxHeadBytes = 64 << 10

// AppendCSV appends r to the Get-WindowsAutopilotInfo CSV file at path. A
// new or empty file gets the header first (UTF-8 without BOM, CRLF line
// endings, as Get-WindowsAutopilotInfo's columns); an existing file keeps
// its encoding (UTF-8 with or without BOM, or UTF-16LE as Windows
// PowerShell writes it) and line endings. Appending is refused, with an
// error naming both column lists, when the file's header has other columns
// than r needs (see CSVRow.Columns). The file is locked while it is
// appended to and synced before AppendCSV returns.
func AppendCSV(path string, r CSVRow) error {
	if err := r.check(); err != nil {
		return fmt.Errorf("appending to %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("appending to the CSV file: %w", err)
	}
	defer f.Close()
	unlock, err := lockFile(f)
	if err != nil {
		return fmt.Errorf("appending to %s: locking: %w", path, err)
	}
	defer unlock()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("appending to %s: %w", path, err)
	}
	text, err := appendText(f, st.Size(), r)
	if err != nil {
		return fmt.Errorf("appending to %s: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return fmt.Errorf("appending to %s: %w", path, err)
	}
	if _, err := f.Write(text); err != nil {
		return fmt.Errorf("appending to %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("appending to %s: syncing: %w", path, err)
	}
	if st.Size() == 0 {
		syncDir(filepath.Dir(path))
	}
	return nil
}

// appendText returns the bytes to append to a file of this size for r.
func appendText(f *os.File, size int64, r CSVRow) ([]byte, error) {
	row := csvLine(r.fields())
	if size == 0 {
		return []byte(csvLine(r.Columns()) + "\r\n" + row + "\r\n"), nil
	}
	head := make([]byte, min(size, maxHeadBytes))
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, fmt.Errorf("reading the header: %w", err)
	}
	tail := make([]byte, min(size, 2))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading the end: %w", err)
	}
	enc, text := decodeHead(head)
	if enc == encUTF16BE {
		return nil, fmt.Errorf("the file is UTF-16BE; convert it to UTF-8 or UTF-16LE, or write to a new file")
	}
	line, eol, ok := firstLine(text)
	if !ok {
		return nil, fmt.Errorf("no header line in the first %d KiB", maxHeadBytes>>10)
	}
	if have, want := ParseCSVHeader(line), r.Columns(); !sameColumns(have, want) {
		return nil, fmt.Errorf("its header has the columns %q but this row needs %q; write to a new file",
			strings.Join(have, ","), strings.Join(want, ","))
	}
	out := row + eol
	last := tail[len(tail)-1:] // UTF-8: the last byte
	if enc == encUTF16LE {
		last = tail[:1] // the low byte of the last code unit
	}
	if !bytes.Equal(last, []byte{'\n'}) {
		out = eol + out
	}
	if enc == encUTF16LE {
		return utf16LE(out), nil
	}
	return []byte(out), nil
}

// Text encodings appendText handles.
const (
	encUTF8 = iota
	encUTF16LE
	encUTF16BE
)

// decodeHead detects the encoding of the start of a file and returns its
// text without BOM.
func decodeHead(b []byte) (enc int, text string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		return encUTF8, string(b[3:])
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return encUTF16BE, ""
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		b = b[2:]
	case len(b) >= 2 && b[0] != 0 && b[1] == 0:
	default:
		return encUTF8, string(b)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return encUTF16LE, string(utf16.Decode(u))
}

// utf16LE encodes s as UTF-16LE without BOM.
func utf16LE(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// firstLine returns the first non-blank line of text and its line ending
// ("\r\n" or "\n"); ok is false when no complete or final line is found.
func firstLine(text string) (line, eol string, ok bool) {
	for text != "" {
		l, rest, found := strings.Cut(text, "\n")
		eol = "\n"
		if strings.HasSuffix(l, "\r") {
			l, eol = l[:len(l)-1], "\r\n"
		}
		if !found {
			eol = "\r\n"
		}
		if strings.TrimSpace(l) != "" {
			return l, eol, true
		}
		text = rest
	}
	return "", "", false
}

// ParseCSVHeader splits a CSV header line into its column names: cells
// trimmed of spaces and quotes, inner runs of spaces collapsed, trailing
// empty cells dropped.
func ParseCSVHeader(line string) []string {
	line = strings.TrimPrefix(line, "\uFEFF")
	var cols []string
	for cell := range strings.SplitSeq(line, ",") {
		cell = strings.Trim(strings.TrimSpace(cell), `"`)
		cols = append(cols, strings.Join(strings.Fields(cell), " "))
	}
	for len(cols) > 0 && cols[len(cols)-1] == "" {
		cols = cols[:len(cols)-1]
	}
	return cols
}

// sameColumns compares column lists ignoring case.
func sameColumns(a, b []string) bool {
	return slices.EqualFunc(a, b, strings.EqualFold)
}

// syncDir fsyncs a directory so a new entry in it is durable; errors are
// ignored (some file systems cannot sync directories).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
