package csvimport

import "strconv"

// Variant is which header layout a file uses.
type Variant int

const (
	// Default is "Device Serial Number,Windows Product ID,Hardware Hash".
	Default Variant = iota
	// GroupTag is Default plus "Group Tag".
	GroupTag
	// AssignedUser is Default plus "Group Tag,Assigned User" (or just
	// "Assigned User").
	AssignedUser
	// Partner is Default plus "Manufacturer name,Device model", the
	// Partner Center layout.
	Partner
	// LegacyOrderID is a layout with the legacy "OrderID" column in place
	// of "Group Tag" (its value is returned as Row.GroupTag).
	LegacyOrderID
)

// String returns the variant's name, for example "GroupTag".
func (v Variant) String() string {
	switch v {
	case Default:
		return "Default"
	case GroupTag:
		return "GroupTag"
	case AssignedUser:
		return "AssignedUser"
	case Partner:
		return "Partner"
	case LegacyOrderID:
		return "LegacyOrderID"
	}
	return "Variant(" + strconv.Itoa(int(v)) + ")"
}

// Encoding is the text encoding of a file.
type Encoding int

const (
	// UTF8 is UTF-8 without a byte order mark (PowerShell 7's default).
	UTF8 Encoding = iota
	// UTF8BOM is UTF-8 with a byte order mark.
	UTF8BOM
	// UTF16LE is little-endian UTF-16, normally with a byte order mark
	// (Windows PowerShell 5.1's Out-File default).
	UTF16LE
	// UTF16BE is big-endian UTF-16, normally with a byte order mark.
	UTF16BE
	// Windows1252 is the Western "ANSI" code page, assumed when the bytes
	// are not valid UTF-8.
	Windows1252
)

// String returns the encoding's name, for example "UTF-16LE".
func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case UTF8BOM:
		return "UTF-8 with BOM"
	case UTF16LE:
		return "UTF-16LE"
	case UTF16BE:
		return "UTF-16BE"
	case Windows1252:
		return "Windows-1252"
	}
	return "Encoding(" + strconv.Itoa(int(e)) + ")"
}

// Row is one device line. Values are trimmed of surrounding spaces and are
// "" when the column is absent or empty.
type Row struct {
	// Line is the 1-based physical line number in the file.
	Line int
	// SerialNumber is "Device Serial Number"; never empty.
	SerialNumber string
	// ProductKey is "Windows Product ID"; usually empty.
	ProductKey string
	// HardwareHash is "Hardware Hash": base64 text, never empty. It is
	// checked for base64 characters only, not decoded.
	HardwareHash string
	// GroupTag is "Group Tag" or the legacy "OrderID".
	GroupTag string
	// AssignedUser is "Assigned User", a UPN.
	AssignedUser string
	// Manufacturer is "Manufacturer name" (Partner layout).
	Manufacturer string
	// Model is "Device model" (Partner layout).
	Model string
}
