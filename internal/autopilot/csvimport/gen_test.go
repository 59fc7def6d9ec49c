package csvimport

import (
	"encoding/base64"
	"io"
	"math/rand/v2"
	"strconv"
)

// fakeHash returns n bytes of deterministic base64 text.
func fakeHash(n int) string {
	raw := make([]byte, n*3/4+3)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range raw {
		raw[i] = byte(rng.Uint32())
	}
	return base64.StdEncoding.EncodeToString(raw)[:n]
}

// rowSource is an io.Reader that generates a GroupTag CSV of rows lines on
// the fly, in UTF-8 or UTF-16LE with BOM, without holding the file.
type rowSource struct {
	rows  int
	hash  string
	utf16 bool
	next  int    // next line to generate: 0 is the header
	text  []byte // the current line as UTF-8
	enc   []byte // the current line as UTF-16LE
	line  []byte // text or enc
	pos   int
}

func (g *rowSource) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if g.pos == len(g.line) {
			if g.next > g.rows {
				break
			}
			g.generate()
		}
		k := copy(p[n:], g.line[g.pos:])
		g.pos += k
		n += k
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

func (g *rowSource) generate() {
	s := g.text[:0]
	if g.next == 0 {
		s = append(s, hdrDefault+",Group Tag\r\n"...)
	} else {
		s = append(s, "SN"...)
		s = strconv.AppendInt(s, int64(g.next), 10)
		s = append(s, ",,"...)
		s = append(s, g.hash...)
		s = append(s, ",Tag-"...)
		s = strconv.AppendInt(s, int64(g.next%100), 10)
		s = append(s, "\r\n"...)
	}
	g.text, g.line, g.pos = s, s, 0
	if g.utf16 {
		e := g.enc[:0]
		if g.next == 0 {
			e = append(e, 0xFF, 0xFE)
		}
		for _, c := range s { // the text is ASCII
			e = append(e, c, 0)
		}
		g.enc, g.line = e, e
	}
	g.next++
}
