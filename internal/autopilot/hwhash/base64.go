package hwhash

import (
	"encoding/base64"
	"strings"
)

// Size limits. Real hashes are 4000 characters (3000 bytes). Anything larger
// than these is rejected before any decoding, and Encode never produces a
// blob larger than MaxBlobSize, so Decode accepts everything EncodeString
// returns.
const (
	// MaxInputSize is the longest text Decode accepts (64 KiB).
	MaxInputSize = 64 << 10
	// MaxBlobSize is the largest blob DecodeBytes accepts and Encode writes:
	// what MaxInputSize characters of base64 hold (48 KiB).
	MaxBlobSize = MaxInputSize / 4 * 3
)

// Decode decodes a hardware hash from its base64 text, as found in a
// Get-WindowsAutopilotInfo CSV, Graph's hardwareIdentifier or OA3.xml.
// Surrounding whitespace, whitespace inside the text (line breaks), one pair
// of surrounding double quotes and the "=" padding are all optional; the
// base64 alphabet is the standard one. Then it works as DecodeBytes, and Raw
// holds the decoded bytes.
func Decode(text string) (*Hash, error) {
	if len(text) > MaxInputSize {
		return nil, invalidf("text is %d bytes, more than the %d allowed", len(text), MaxInputSize)
	}
	s := strings.TrimSpace(text)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if strings.ContainsAny(s, " \t\r\n\v\f") {
		s = strings.Map(func(r rune) rune {
			switch r {
			case ' ', '\t', '\r', '\n', '\v', '\f':
				return -1
			}
			return r
		}, s)
	}
	if s == "" {
		return nil, invalidf("empty")
	}
	// Padding is optional: drop up to two "=" and decode unpadded.
	for i := 0; i < 2 && strings.HasSuffix(s, "="); i++ {
		s = s[:len(s)-1]
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, invalidf("not base64: %v", err)
	}
	return decodeOwned(b)
}
