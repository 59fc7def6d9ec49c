// Package hwhash decodes and encodes the Windows Autopilot hardware hash,
// the "4K hash" that Get-WindowsAutopilotInfo puts in the Hardware Hash
// column of its CSV, that Graph calls hardwareIdentifier and that OA3.xml
// carries as <HardwareHash>.
//
// # Format
//
// The text is base64 of a binary blob, normally 3000 bytes (4000 characters):
//
//	"OA" u16 TotalLength  field records …          bytes [0, TotalLength)
//	"CS" u16 36           SHA-256 of bytes [0, TotalLength)
//	00 00 …                zero padding up to 3000 bytes
//
// Each field record is u8 type, u8 zero, u16 length (including the 4-byte
// header), value. All integers are little-endian; strings are ANSI
// (decoded as Windows-1252) and NUL-terminated, except the few noted on the
// [Hash] fields, which also give each record's type and layout. The layouts
// come from public decoders (Michael Niehaus' AutopilotUtility and its
// ports, SyncMLViewer, an ImHex pattern) and the field names of Microsoft's
// oa3tool /DecodeHwHash, checked against the real hashes in
// testdata/samples (SOURCES.md there says where each comes from).
//
// # Validation
//
// [Decode] and [DecodeBytes] are strict about structure and lenient about
// content. A hash is rejected with an [*InvalidError] (which matches
// [ErrInvalid]) when it is not base64, is larger than [MaxInputSize] (text)
// or [MaxBlobSize] (bytes), has a bad magic, a TotalLength that does not fit, a missing or wrong checksum
// record, a SHA-256 mismatch, non-zero bytes after the checksum, a record
// that overruns or a walk that does not end exactly at TotalLength, a known
// field that is too short for its layout or appears twice where the format
// has one, or no serial number or manufacturer. A checksum mismatch is
// always fatal: every real device produces a valid checksum, so a mismatch
// means truncation, a transcription error or a hand edit. Unknown field
// types are kept verbatim in [Hash.Extra] and never cause a failure; known
// fields longer than their layout are accepted and the surplus ignored.
//
// # Encoding
//
// [Encode] writes the fields of a [Hash] back in the order Windows writes
// them, so Encode of a decoded real hash reproduces its bytes exactly, and
// whiteglove's own device client can produce hashes that this package reads.
//
// # Identity
//
// The raw bytes differ on every collection because they contain the
// collection time; [Hash.Fingerprint] identifies the device instead.
package hwhash
