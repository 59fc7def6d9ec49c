package ui

import (
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// qrCache remembers the last QR code drawn: views are redrawn often, the
// payload rarely changes.
type qrCache struct {
	payload string
	lines   []string
	err     error
}

// lines returns the half-block drawing of payload, from the cache when it
// is the same payload.
func (c *qrCache) get(payload string) ([]string, error) {
	if c.lines == nil && c.err == nil || c.payload != payload {
		c.payload = payload
		c.lines, c.err = qrLines(payload)
	}
	return c.lines, c.err
}

// qrLines draws payload as a QR code (error correction level M, with the
// four-module quiet zone) in half blocks: each text line carries two module
// rows, the upper in the top half of the cell. A dark module is ink: "▀" is
// dark above, "▄" dark below, "█" both, " " neither.
func qrLines(payload string) ([]string, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return nil, err
	}
	return halfBlocks(q.Bitmap()), nil
}

// halfBlocks draws a module matrix (true = dark) two rows per line; an odd
// last row is drawn as the top half of a line whose bottom half is light.
func halfBlocks(bm [][]bool) []string {
	lines := make([]string, 0, (len(bm)+1)/2)
	for y := 0; y < len(bm); y += 2 {
		var b strings.Builder
		for x, top := range bm[y] {
			bottom := y+1 < len(bm) && x < len(bm[y+1]) && bm[y+1][x]
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteRune(' ')
			}
		}
		lines = append(lines, b.String())
	}
	return lines
}
