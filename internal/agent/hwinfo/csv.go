package hwinfo

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// Column names, exactly as Get-WindowsAutopilotInfo writes them.
const (
	ColSerial       = "Device Serial Number"
	ColProductID    = "Windows Product ID"
	ColHash         = "Hardware Hash"
	ColGroupTag     = "Group Tag"
	ColAssignedUser = "Assigned User"
)

// CSVRow is one Get-WindowsAutopilotInfo row.
type CSVRow struct {
	Serial       string // Device Serial Number
	ProductID    string // Windows Product ID; usually ""
	Hash         string // Hardware Hash, base64
	GroupTag     string // Group Tag; "" = none
	AssignedUser string // Assigned User (a UPN); "" = none
}

// Columns returns the header columns Get-WindowsAutopilotInfo writes for
// r: the three base columns, plus "Group Tag" when a group tag is set, plus
// "Group Tag" and "Assigned User" when an assigned user is set.
func (r CSVRow) Columns() []string {
	cols := []string{ColSerial, ColProductID, ColHash}
	switch {
	case r.AssignedUser != "":
		cols = append(cols, ColGroupTag, ColAssignedUser)
	case r.GroupTag != "":
		cols = append(cols, ColGroupTag)
	}
	return cols
}

// fields returns r's values in the order of Columns.
func (r CSVRow) fields() []string {
	return []string{r.Serial, r.ProductID, r.Hash, r.GroupTag, r.AssignedUser}[:len(r.Columns())]
}

// Row makes the CSV row of a hash: its serial number, product key ID and
// base64 encoding, with the group tag and assigned user given (trimmed).
// It fails when the hash does not encode or a value contains a line break
// or control character.
func Row(h *hwhash.Hash, groupTag, assignedUser string) (CSVRow, error) {
	b64, err := encodeBase64(h)
	if err != nil {
		return CSVRow{}, fmt.Errorf("making the CSV row: %w", err)
	}
	r := CSVRow{
		Serial: strings.TrimSpace(h.SerialNumber), ProductID: strings.TrimSpace(h.ProductKeyID),
		Hash: b64, GroupTag: strings.TrimSpace(groupTag), AssignedUser: strings.TrimSpace(assignedUser),
	}
	if err := r.check(); err != nil {
		return CSVRow{}, fmt.Errorf("making the CSV row: %w", err)
	}
	return r, nil
}

// check refuses values that cannot be written on one CSV line.
func (r CSVRow) check() error {
	if r.Serial == "" || r.Hash == "" {
		return fmt.Errorf("the serial number and hardware hash are required")
	}
	names := []string{ColSerial, ColProductID, ColHash, ColGroupTag, ColAssignedUser}
	for i, v := range []string{r.Serial, r.ProductID, r.Hash, r.GroupTag, r.AssignedUser} {
		if strings.ContainsFunc(v, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			return fmt.Errorf("%s %q contains a line break or control character", names[i], v)
		}
		if !utf8.ValidString(v) {
			return fmt.Errorf("%s %q is not valid UTF-8", names[i], v)
		}
	}
	return nil
}

// csvField quotes a value when it holds a comma or a quote.
func csvField(v string) string {
	if strings.ContainsAny(v, `,"`) || strings.TrimSpace(v) != v {
		return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
	}
	return v
}

// csvLine joins fields into one line without its line ending.
func csvLine(fields []string) string {
	q := make([]string, len(fields))
	for i, f := range fields {
		q[i] = csvField(f)
	}
	return strings.Join(q, ",")
}

// encodeBase64 is hwhash.Encode as base64, keeping Encode's error.
func encodeBase64(h *hwhash.Hash) (string, error) {
	b, err := hwhash.Encode(h)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}
