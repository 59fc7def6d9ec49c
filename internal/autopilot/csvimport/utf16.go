package csvimport

import (
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Reader decodes a UTF-16 byte stream to UTF-8. Unpaired surrogates
// and a trailing odd byte become U+FFFD, which the line checks report as
// InvalidCharacters.
type utf16Reader struct {
	r         io.Reader
	bigEndian bool
	in        []byte // undecoded input: in[inPos:inEnd]
	inPos     int
	inEnd     int
	out       []byte // decoded output: out[outPos:]
	outPos    int
	err       error // error from r, returned once the buffers are drained
}

func newUTF16Reader(r io.Reader, bigEndian bool) *utf16Reader {
	return &utf16Reader{r: r, bigEndian: bigEndian, in: make([]byte, 16<<10),
		out: make([]byte, 0, 3*(8<<10)+utf8.UTFMax)}
}

func (d *utf16Reader) Read(p []byte) (int, error) {
	for d.outPos == len(d.out) {
		if d.err != nil {
			if d.inEnd > d.inPos { // an odd byte or a lone high surrogate
				d.inPos = d.inEnd
				d.out = utf8.AppendRune(d.out[:0], utf8.RuneError)
				d.outPos = 0
				break
			}
			return 0, d.err
		}
		d.fill()
		d.decode()
	}
	n := copy(p, d.out[d.outPos:])
	d.outPos += n
	return n, nil
}

// fill moves the undecoded tail to the front and reads more input.
func (d *utf16Reader) fill() {
	n := copy(d.in, d.in[d.inPos:d.inEnd])
	d.inPos, d.inEnd = 0, n
	for range 100 {
		m, err := d.r.Read(d.in[d.inEnd:])
		d.inEnd += m
		if err != nil {
			d.err = err
			return
		}
		if m > 0 {
			return
		}
	}
	d.err = io.ErrNoProgress
}

func (d *utf16Reader) unit(i int) rune {
	if d.bigEndian {
		return rune(d.in[i])<<8 | rune(d.in[i+1])
	}
	return rune(d.in[i+1])<<8 | rune(d.in[i])
}

// decode converts whole code units of input to output, keeping back an odd
// byte or a high surrogate whose pair has not been read yet.
func (d *utf16Reader) decode() {
	out := d.out[:0]
	i, end := d.inPos, d.inEnd
	for i+1 < end {
		u := d.unit(i)
		switch {
		case u < 0x80:
			out = append(out, byte(u))
			i += 2
		case utf16.IsSurrogate(u):
			if u >= 0xDC00 { // low surrogate without a high one
				out = utf8.AppendRune(out, utf8.RuneError)
				i += 2
				continue
			}
			if i+3 >= end {
				if d.err == nil {
					goto done // wait for the pair
				}
				out = utf8.AppendRune(out, utf8.RuneError)
				i += 2
				continue
			}
			r := utf16.DecodeRune(u, d.unit(i+2))
			if r == utf8.RuneError { // the next unit is not its pair
				out = utf8.AppendRune(out, r)
				i += 2
				continue
			}
			out = utf8.AppendRune(out, r)
			i += 4
		default:
			out = utf8.AppendRune(out, u)
			i += 2
		}
	}
done:
	d.inPos = i
	d.out, d.outPos = out, 0
}
