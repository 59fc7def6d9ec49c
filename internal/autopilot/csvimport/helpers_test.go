package csvimport

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"unicode/utf16"
)

// hash is the start of a real hardware hash: base64 text.
const hash = "T0GXBAEAHAAAAAoAGR70ZQAACgCgHvRl3otnMQQCCQkCABAACQABAAwADgABAAAAIgAPAAIBAgAEAAAKAAoABQAZABAAAAAAAAAA=="

const hdrDefault = "Device Serial Number,Windows Product ID,Hardware Hash"

// result is everything a Reader returned for one input.
type result struct {
	rows  []Row
	errs  []*RowError
	fatal error // a FileError or read error, from NewReader or Next
	r     *Reader
}

// readAll reads data to the end, collecting rows and row errors.
func readAll(t testing.TB, data []byte) result {
	t.Helper()
	return readFrom(t, bytes.NewReader(data))
}

func readFrom(t testing.TB, src io.Reader) result {
	t.Helper()
	var res result
	r, err := NewReader(src)
	if err != nil {
		res.fatal = err
		return res
	}
	res.r = r
	for i := 0; ; i++ {
		if i > 1<<20 {
			t.Fatal("Next never returned io.EOF")
		}
		row, err := r.Next()
		var re *RowError
		switch {
		case err == nil:
			res.rows = append(res.rows, row)
		case err == io.EOF:
			return res
		case errors.As(err, &re):
			res.errs = append(res.errs, re)
		default:
			res.fatal = err
			return res
		}
	}
}

// codes lists "line:code" for each row error.
func (res result) codes() []string {
	var out []string
	for _, e := range res.errs {
		out = append(out, itoa(e.Line)+":"+e.Code)
	}
	return out
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// encodeUTF16 encodes s as UTF-16 with a byte order mark.
func encodeUTF16(s string, bigEndian, bom bool) []byte {
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	out := make([]byte, 0, 2*len(units))
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func fileErrorOf(err error) *FileError {
	var fe *FileError
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}
