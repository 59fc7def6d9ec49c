package csvimport

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// row checks the fields of a data line, which sp holds, and builds its Row.
func (h *header) row(sp *splitter, lineNo int) (Row, *RowError) {
	if e := h.checkCount(sp, lineNo); e != nil {
		return Row{}, e
	}
	n := min(sp.count(), len(h.cols))
	for i := range n {
		if f := sp.field(i); isSpreadsheetError(f) {
			return Row{}, rowErr(lineNo, CodeSpreadsheetErrorValue, fmt.Sprintf(
				"the %q column holds the spreadsheet error %s instead of a value; export the data again without a spreadsheet",
				columnNames[h.cols[i]], shorten(string(f))))
		}
	}
	get := func(c column) []byte {
		if i := h.index[c]; i >= 0 && i < sp.count() {
			return sp.field(i)
		}
		return nil
	}
	serial, hash, key := get(colSerial), get(colHash), get(colProductKey)
	switch {
	case len(serial) == 0:
		return Row{}, rowErr(lineNo, CodeMissingSerialNumber, "the device serial number is empty")
	case apostrophe(serial) || apostrophe(key) || apostrophe(hash):
		return Row{}, rowErr(lineNo, CodeLeadingApostrophe, "a value starts with an apostrophe, a spreadsheet's "+
			"\"treat as text\" marker that is not part of the value; remove it")
	case isScientific(serial):
		return Row{}, rowErr(lineNo, CodeSerialInScientificNotation, fmt.Sprintf(
			"the serial number %s is in scientific notation: a spreadsheet turned it into a number and lost "+
				"digits; export the hash again without opening it in a spreadsheet", shorten(string(serial))))
	case len(hash) == 0:
		return Row{}, rowErr(lineNo, CodeMissingHardwareHash, "the hardware hash is empty")
	}
	if i := nonBase64(hash); i >= 0 {
		r, _ := utf8.DecodeRune(hash[i:])
		return Row{}, rowErr(lineNo, CodeInvalidHardwareHashText, fmt.Sprintf(
			"the hardware hash has %q at character %d, which is not base64 text; it was damaged by a "+
				"spreadsheet or an editor", r, utf8.RuneCount(hash[:i])+1))
	}
	for i := range n {
		if c := h.cols[i]; c != colHash && utf8.RuneCount(sp.field(i)) > MaxFieldLength {
			return Row{}, rowErr(lineNo, CodeFieldTooLong, fmt.Sprintf(
				"the %q value is longer than %d characters", columnNames[c], MaxFieldLength))
		}
	}
	groupTag := get(colGroupTag)
	if h.index[colOrderID] >= 0 {
		groupTag = get(colOrderID)
	}
	return Row{
		Line:         lineNo,
		SerialNumber: string(serial),
		ProductKey:   string(key),
		HardwareHash: string(hash),
		GroupTag:     string(groupTag),
		AssignedUser: string(get(colAssignedUser)),
		Manufacturer: string(get(colManufacturer)),
		Model:        string(get(colModel)),
	}, nil
}

// checkCount accepts extra fields only when empty, and missing trailing
// fields only for optional columns.
func (h *header) checkCount(sp *splitter, lineNo int) *RowError {
	n, want := sp.count(), len(h.cols)
	for i := want; i < n; i++ {
		if len(sp.field(i)) > 0 {
			return rowErr(lineNo, CodeWrongFieldCount, fmt.Sprintf(
				"the line has %d fields but the header has %d columns; field %d (%s) is under no column "+
					"(an unquoted comma inside a value, or an extra column?)", n, want, i+1, shorten(string(sp.field(i)))))
		}
	}
	for i := n; i < want; i++ {
		if c := h.cols[i]; c == colSerial || c == colHash {
			return rowErr(lineNo, CodeWrongFieldCount, fmt.Sprintf(
				"the line has %d fields but the header has %d columns; the %q column is missing",
				n, want, columnNames[c]))
		}
	}
	return nil
}

// isScientific reports whether b looks like a number a spreadsheet wrote in
// scientific notation: digits, optionally a decimal point or comma and more
// digits, then E or e, a sign, and digits ("1.23457E+11"). The sign is
// required, as serial numbers like "12E345" exist.
func isScientific(b []byte) bool {
	i := digits(b, 0)
	if i == 0 {
		return false
	}
	if i < len(b) && (b[i] == '.' || b[i] == ',') {
		j := digits(b, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i+2 >= len(b) || (b[i] != 'E' && b[i] != 'e') || (b[i+1] != '+' && b[i+1] != '-') {
		return false
	}
	return digits(b, i+2) == len(b)
}

func digits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// base64Chars marks the bytes of the standard base64 alphabet.
var base64Chars = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
		t[c] = true
	}
	return t
}()

// nonBase64 returns the byte offset of the first character of b that cannot
// be in standard base64 text, or -1. Up to two '=' are allowed at the end.
func nonBase64(b []byte) int {
	end := len(b)
	for k := 0; k < 2 && end > 0 && b[end-1] == '='; k++ {
		end--
	}
	for i := 0; i < end; i++ {
		if !base64Chars[b[i]] {
			return i
		}
	}
	return -1
}

// spreadsheetErrors are the error values spreadsheets write into cells.
var spreadsheetErrors = [][]byte{
	[]byte("#NAME?"), []byte("#VALUE!"), []byte("#REF!"), []byte("#DIV/0!"), []byte("#N/A"),
	[]byte("#NUM!"), []byte("#NULL!"), []byte("#SPILL!"), []byte("#CALC!"), []byte("#GETTING_DATA"),
	[]byte("#FIELD!"), []byte("#BLOCKED!"), []byte("#CONNECT!"), []byte("#BUSY!"), []byte("#UNKNOWN!"),
}

// isSpreadsheetError reports whether f is a spreadsheet error value, or
// "####" (a too narrow cell written as displayed).
func isSpreadsheetError(f []byte) bool {
	if len(f) < 2 || f[0] != '#' {
		return false
	}
	if len(bytes.Trim(f, "#")) == 0 {
		return true
	}
	for _, e := range spreadsheetErrors {
		if bytes.EqualFold(f, e) {
			return true
		}
	}
	return false
}

// apostrophe reports whether b starts with an apostrophe.
func apostrophe(b []byte) bool { return len(b) > 0 && b[0] == '\'' }
