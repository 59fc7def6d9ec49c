// Package csvimport reads Windows Autopilot device CSV files — the files
// Get-WindowsAutopilotInfo writes and admins upload to register devices — as
// a stream of rows, in bounded memory, and explains every line it cannot use.
//
// # Encodings
//
// NewReader detects the encoding from the first bytes: a UTF-8 BOM, a
// UTF-16LE BOM (what Windows PowerShell 5.1's Out-File writes, the common
// case), a UTF-16BE BOM, or BOM-less UTF-16 recognised by the NUL bytes of an
// ASCII header. Anything else is UTF-8 when it is valid UTF-8 and Windows-1252
// ("ANSI") otherwise. The decision is taken on the first 64 KiB and revised
// once, line by line, for BOM-less files: the first line that is not valid
// UTF-8 switches the reader to Windows-1252 for the rest of the file (the
// lines before it were ASCII or valid UTF-8, and read the same either way in
// practice). Under a UTF-8 BOM, invalid UTF-8 is an InvalidCharacters error.
//
// # Header
//
// The header is matched by column name, not position: "Device Serial
// Number", "Windows Product ID", "Hardware Hash", "Group Tag" (or the legacy
// "OrderID"), "Assigned User", "Manufacturer name" and "Device model". Names
// are compared ignoring case, surrounding spaces and quotes, and runs of
// inner spaces; the words must be exact. "Device Serial Number" and
// "Hardware Hash" are required. Empty trailing header cells (a trailing
// comma) are allowed; any other unknown or empty column, or a column given
// twice, is a FileError — data is never silently dropped. Blank lines, a
// PowerShell "#TYPE ..." line and an Excel "sep=," line before the header are
// skipped. A later line repeating the header exactly (files concatenated with
// copy or cat) is skipped; a different header later in the file is a
// FileError.
//
// # Lines and fields
//
// Lines end in LF or CRLF. Fields use standard CSV quoting, bounded to one
// physical line: a quote left open at the end of a line is an
// UnterminatedQuote error for that line alone. Values are trimmed of spaces.
// Blank lines and lines whose fields are all empty (Excel writes ",,," for
// empty rows) are skipped. A line may hold at most MaxLineBytes bytes of
// UTF-8 text: a longer data line is a LineTooLong RowError (the rest of the
// line is discarded without being buffered and reading continues); a longer
// header line is a FileError.
//
// A row may have more fields than the header only when the extra fields are
// empty (trailing commas), and fewer only when every missing trailing column
// is optional (Excel drops trailing empty cells on some rows); otherwise it
// is a WrongFieldCount error.
//
// # Damage
//
// Each bad line yields one *RowError with the first problem found, in this
// order: LineTooLong, InvalidCharacters (NUL, control characters, invalid
// encoding, zero-width characters), UnterminatedQuote / BadQuote,
// WrongFieldCount, SpreadsheetErrorValue (#NAME?, #VALUE!, ####…),
// MissingSerialNumber, LeadingApostrophe, SerialInScientificNotation,
// MissingHardwareHash, InvalidHardwareHashText, FieldTooLong. The reader
// checks text, not meaning: whether a hash decodes to a valid hardware hash
// is left to the caller.
package csvimport
