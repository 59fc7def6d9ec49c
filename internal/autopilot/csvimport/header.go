package csvimport

import (
	"bytes"
	"strconv"
	"strings"
)

// column is the meaning of a header column.
type column int

const (
	colSerial column = iota
	colProductKey
	colHash
	colGroupTag
	colOrderID
	colAssignedUser
	colManufacturer
	colModel
	numColumns
)

// columnNames are the canonical header names, indexed by column.
var columnNames = [numColumns]string{
	"Device Serial Number", "Windows Product ID", "Hardware Hash", "Group Tag",
	"OrderID", "Assigned User", "Manufacturer name", "Device model",
}

// columnByName maps normalised names (see normalizeName) to columns.
var columnByName = func() map[string]column {
	m := make(map[string]column, numColumns)
	for c, name := range columnNames {
		m[string(normalizeName(nil, []byte(name)))] = column(c)
	}
	return m
}()

// maxNameLen bounds the length of a text that may be a column name.
const maxNameLen = 40

// header is the parsed header line.
type header struct {
	cols    []column        // the named columns, in file order
	index   [numColumns]int // position of each column, -1 if absent
	variant Variant
}

// normalizeName appends to dst the header cell b lowercased (ASCII), with
// surrounding spaces and a leading U+FEFF removed and inner runs of spaces
// collapsed to one.
func normalizeName(dst, b []byte) []byte {
	b = bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(b), []byte("\uFEFF")))
	space := false
	for _, c := range b {
		switch {
		case c == ' ' || c == '\t':
			space = true
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = append(dst, c)
	}
	return dst
}

// lookupName returns the column named by the cell b.
func lookupName(scratch, b []byte) (column, bool) {
	if len(b) > maxNameLen {
		return 0, false
	}
	c, ok := columnByName[string(normalizeName(scratch[:0], b))]
	return c, ok
}

// parseHeader parses the header line, whose fields sp holds.
func parseHeader(sp *splitter, lineNo int) (*header, error) {
	named := sp.count()
	for named > 0 && len(sp.field(named-1)) == 0 {
		named-- // trailing empty cells, from a trailing comma
	}
	h := &header{cols: make([]column, named)}
	for i := range h.index {
		h.index[i] = -1
	}
	var unknown []string
	var scratch [maxNameLen * 2]byte
	known, empty, twice := 0, -1, column(-1)
	for i := range named {
		cell := sp.field(i)
		c, ok := lookupName(scratch[:0], cell)
		switch {
		case len(cell) == 0:
			if empty < 0 {
				empty = i
			}
		case !ok:
			unknown = append(unknown, shorten(string(cell)))
		case h.index[c] >= 0:
			twice = c
		default:
			known++
			h.index[c] = i
			h.cols[i] = c
		}
	}
	switch {
	case known == 0:
		return nil, notAHeader(sp, named, lineNo)
	case empty >= 0:
		return nil, fileErrf("header column %d (line %d) is empty; every column needs a name", empty+1, lineNo)
	case twice >= 0:
		return nil, fileErrf("the header has the column %q twice", columnNames[twice])
	case len(unknown) > 0:
		return nil, fileErrf("extra columns aren't allowed: %s (line %d); the allowed columns are %s",
			strings.Join(unknown, ", "), lineNo, allowedColumns())
	}
	for _, c := range []column{colSerial, colHash} {
		if h.index[c] < 0 {
			return nil, fileErrf("the header (line %d) has no %q column", lineNo, columnNames[c])
		}
	}
	if h.index[colGroupTag] >= 0 && h.index[colOrderID] >= 0 {
		return nil, fileErrf("the header has both %q and the legacy %q column; keep one",
			columnNames[colGroupTag], columnNames[colOrderID])
	}
	h.variant = h.pickVariant()
	return h, nil
}

func (h *header) pickVariant() Variant {
	switch {
	case h.index[colManufacturer] >= 0 || h.index[colModel] >= 0:
		return Partner
	case h.index[colOrderID] >= 0:
		return LegacyOrderID
	case h.index[colAssignedUser] >= 0:
		return AssignedUser
	case h.index[colGroupTag] >= 0:
		return GroupTag
	}
	return Default
}

// notAHeader explains a first line in which no cell is a column name.
func notAHeader(sp *splitter, named, lineNo int) error {
	if named == 1 {
		cell := sp.field(0)
		for _, sep := range []byte{';', '\t', '|'} {
			var scratch [maxNameLen * 2]byte
			if _, ok := lookupName(scratch[:0], bytes.Split(cell, []byte{sep})[0]); ok {
				return fileErrf("the columns are separated by %q instead of commas (a spreadsheet with a "+
					"non-English list separator saved it); save it with commas", string(sep))
			}
		}
	}
	return fileErrf("line %d is not an Autopilot CSV header; the first line must be "+
		"\"Device Serial Number,Windows Product ID,Hardware Hash\", optionally followed by "+
		"\"Group Tag\" and \"Assigned User\"", lineNo)
}

func allowedColumns() string {
	q := make([]string, len(columnNames))
	for i, n := range columnNames {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// repeat reports whether the fields in sp are a header line: every
// non-empty field a column name, at least two of them. It returns a
// FileError when that header differs from h.
func (h *header) repeat(sp *splitter, lineNo int) (bool, error) {
	var scratch [maxNameLen * 2]byte
	first := sp.field(0)
	if len(first) == 0 {
		return false, nil
	}
	if _, ok := lookupName(scratch[:0], first); !ok {
		return false, nil
	}
	var cols []column
	for i := range sp.count() {
		f := sp.field(i)
		if len(f) == 0 {
			cols = append(cols, -1)
			continue
		}
		c, ok := lookupName(scratch[:0], f)
		if !ok {
			return false, nil
		}
		cols = append(cols, c)
	}
	for len(cols) > 0 && cols[len(cols)-1] == -1 {
		cols = cols[:len(cols)-1]
	}
	if len(cols) < 2 {
		return false, nil
	}
	if len(cols) == len(h.cols) {
		same := true
		for i := range cols {
			same = same && cols[i] == h.cols[i]
		}
		if same {
			return true, nil
		}
	}
	return true, fileErrf("line %d is a second header with different columns (were files with different "+
		"layouts concatenated?); split the file at that line", lineNo)
}
