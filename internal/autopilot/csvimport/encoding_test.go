package csvimport

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// body is a GroupTag file with non-ASCII text in the group tags.
const body = hdrDefault + ",Group Tag\r\n" +
	"S1,," + hash + ",Équipe\r\n" +
	"S2,," + hash + ",Ventes €\r\n"

func TestEncodings(t *testing.T) {
	cp1252 := strings.NewReplacer("É", "\xC9", "€", "\x80").Replace(body)
	tests := []struct {
		name string
		data []byte
		enc  Encoding
	}{
		{"utf-8", []byte(body), UTF8},
		{"utf-8 bom", append([]byte("\xEF\xBB\xBF"), body...), UTF8BOM},
		{"utf-16le bom", encodeUTF16(body, false, true), UTF16LE},
		{"utf-16be bom", encodeUTF16(body, true, true), UTF16BE},
		{"utf-16le no bom", encodeUTF16(body, false, false), UTF16LE},
		{"utf-16be no bom", encodeUTF16(body, true, false), UTF16BE},
		{"windows-1252", []byte(cp1252), Windows1252},
	}
	for _, tt := range tests {
		for _, mode := range []string{"whole", "one byte", "half"} {
			t.Run(tt.name+"/"+mode, func(t *testing.T) {
				var src io.Reader = bytes.NewReader(tt.data)
				switch mode {
				case "one byte":
					src = iotest.OneByteReader(src)
				case "half":
					src = iotest.HalfReader(src)
				}
				res := readFrom(t, src)
				if res.fatal != nil || len(res.errs) > 0 {
					t.Fatalf("fatal %v, errors %v", res.fatal, res.codes())
				}
				if got := res.r.Encoding(); got != tt.enc {
					t.Errorf("encoding = %v, want %v", got, tt.enc)
				}
				if res.r.Variant() != GroupTag || len(res.rows) != 2 ||
					res.rows[0].GroupTag != "Équipe" || res.rows[1].GroupTag != "Ventes €" ||
					res.rows[1].HardwareHash != hash || res.rows[1].Line != 3 {
					t.Errorf("rows = %+v", res.rows)
				}
				if got := res.r.BytesRead(); got != int64(len(tt.data)) {
					t.Errorf("BytesRead = %d, want %d", got, len(tt.data))
				}
			})
		}
	}
}

// TestWindows1252Late switches to Windows-1252 at the first line that is
// not UTF-8, beyond the first 64 KiB.
func TestWindows1252Late(t *testing.T) {
	var b strings.Builder
	b.WriteString(hdrDefault + ",Group Tag\n")
	n := 0
	for b.Len() < 2*MaxLineBytes {
		n++
		b.WriteString("S" + itoa(n) + ",," + hash + ",Tag\n")
	}
	b.WriteString("LAST,," + hash + ",Caf\xE9\n")
	res := readAll(t, []byte(b.String()))
	if res.fatal != nil || len(res.errs) > 0 || len(res.rows) != n+1 {
		t.Fatalf("fatal %v, errors %v, %d rows", res.fatal, res.codes(), len(res.rows))
	}
	if got := res.rows[n].GroupTag; got != "Café" {
		t.Errorf("group tag = %q", got)
	}
	if res.r.Encoding() != Windows1252 {
		t.Errorf("encoding = %v", res.r.Encoding())
	}
}

func TestEncodingDamage(t *testing.T) {
	line2 := "S1,," + hash + ",Tag\r\n"
	good := "S2,," + hash + ",Tag\r\n"
	head := hdrDefault + ",Group Tag\r\n"
	utf16 := func(s string) []byte { return encodeUTF16(s, false, true)[2:] }
	tests := []struct {
		name string
		data []byte
	}{
		{"utf-8 bom with invalid bytes", []byte("\xEF\xBB\xBF" + head + strings.Replace(line2, "Tag", "T\xFFg", 1) + good)},
		{"utf-16 lone high surrogate", concat(encodeUTF16(head, false, true), utf16("S1,,"+hash+",T"), []byte{0x00, 0xD8}, utf16("g\r\n"), utf16(good))},
		{"utf-16 lone low surrogate", concat(encodeUTF16(head, false, true), utf16("S1,,"+hash+",T"), []byte{0x00, 0xDC}, utf16("\r\n"), utf16(good))},
		{"nul", []byte(head + strings.Replace(line2, "S1", "S\x001", 1) + good)},
		{"c1 control", []byte(head + strings.Replace(line2, "Tag", "T\u0085g", 1) + good)},
		{"zero-width space", []byte(head + strings.Replace(line2, "S1", "S1\u200B", 1) + good)},
		{"undefined cp1252 byte", []byte(head + strings.Replace(line2, "Tag", "T\x81\xE9", 1) + good)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, tt.data)
			if res.fatal != nil {
				t.Fatal(res.fatal)
			}
			if got := strings.Join(res.codes(), " "); got != "2:InvalidCharacters" {
				t.Errorf("codes = %q", got)
			}
			if len(res.rows) != 1 || res.rows[0].SerialNumber != "S2" || res.rows[0].Line != 3 {
				t.Errorf("rows = %+v", res.rows)
			}
		})
	}
}

func TestUTF16OddTrailingByte(t *testing.T) {
	data := append(encodeUTF16(hdrDefault+"\r\nS1,,"+hash+"\r\nS2,,"+hash, false, true), 'x')
	res := readAll(t, data)
	if res.fatal != nil || strings.Join(res.codes(), " ") != "3:InvalidCharacters" || len(res.rows) != 1 {
		t.Fatalf("fatal %v, codes %v, rows %d", res.fatal, res.codes(), len(res.rows))
	}
}

func TestSurrogatePairs(t *testing.T) {
	in := hdrDefault + ",Group Tag\r\nS1,," + hash + ",Team 😀\r\n"
	for _, be := range []bool{false, true} {
		res := readFrom(t, iotest.OneByteReader(bytes.NewReader(encodeUTF16(in, be, true))))
		if res.fatal != nil || len(res.errs) > 0 || len(res.rows) != 1 || res.rows[0].GroupTag != "Team 😀" {
			t.Errorf("big endian %v: %+v %v %v", be, res.rows, res.codes(), res.fatal)
		}
	}
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("boom")
	if _, err := NewReader(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("NewReader error = %v", err)
	}
	for _, enc := range []string{"utf-8", "utf-16"} {
		// More than the first 64 KiB that NewReader peeks at.
		data := []byte(hdrDefault + "\r\n" + strings.Repeat("S1,,"+hash+"\r\n", 1000) + "S2")
		if enc == "utf-16" {
			data = encodeUTF16(string(data), false, true)
		}
		// The data is read in one piece, then the error comes.
		src := io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom))
		res := readFrom(t, src)
		if !errors.Is(res.fatal, boom) || len(res.rows) != 1000 {
			t.Errorf("%s: fatal %v, rows %d", enc, res.fatal, len(res.rows))
		}
		if _, err := res.r.Next(); !errors.Is(err, boom) {
			t.Errorf("%s: error is not sticky: %v", enc, err)
		}
	}
}

// TestRealSamples reads CSV files written by Get-WindowsAutopilotInfo on
// real machines (public samples; UTF-16LE with BOM, CRLF).
func TestRealSamples(t *testing.T) {
	tests := []struct {
		file    string
		variant Variant
		serial  string // "" when the line is a MissingSerialNumber error
		tag     string
	}{
		{"sample-default-utf16le.csv", Default, "PF5MT6SC", ""},
		{"sample-grouptag-utf16le.csv", GroupTag, "F98059756E444D56", "SP001_STD01"},
		{"sample-vmware-utf16le.csv", Default, "VMware-56 4d 8d 37 93 fe f5 0e-88 0c 3d 23 2b a1 5a 41", ""},
		{"sample-emptyserial-utf16le.csv", Default, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res := readAll(t, data)
			if res.fatal != nil {
				t.Fatal(res.fatal)
			}
			if res.r.Encoding() != UTF16LE || res.r.Variant() != tt.variant {
				t.Errorf("encoding %v variant %v", res.r.Encoding(), res.r.Variant())
			}
			if tt.serial == "" {
				if got := strings.Join(res.codes(), " "); got != "2:MissingSerialNumber" || len(res.rows) != 0 {
					t.Errorf("codes %q rows %d", got, len(res.rows))
				}
				return
			}
			if len(res.errs) > 0 || len(res.rows) != 1 {
				t.Fatalf("codes %v rows %d", res.codes(), len(res.rows))
			}
			row := res.rows[0]
			if row.Line != 2 || row.SerialNumber != tt.serial || row.GroupTag != tt.tag || row.ProductKey != "" ||
				len(row.HardwareHash) < 3000 || nonBase64([]byte(row.HardwareHash)) >= 0 {
				t.Errorf("row = %+v", row)
			}
		})
	}
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestUTF16HighSurrogateAtEnd(t *testing.T) {
	for _, be := range []bool{false, true} {
		data := encodeUTF16(hdrDefault+"\r\nS1,,"+hash+"\r\nS2,,"+hash, be, true)
		if be {
			data = append(data, 0xD8, 0x00)
		} else {
			data = append(data, 0x00, 0xD8)
		}
		res := readAll(t, data)
		if res.fatal != nil || strings.Join(res.codes(), " ") != "3:InvalidCharacters" || len(res.rows) != 1 {
			t.Errorf("big endian %v: fatal %v, codes %v, rows %d", be, res.fatal, res.codes(), len(res.rows))
		}
	}
}

func TestTrimPartialRune(t *testing.T) {
	tests := map[string]string{
		"abc":              "abc",
		"abc\xC3":          "abc",
		"abc\xE2\x82":      "abc",
		"abc\xE2\x82\xAC":  "abc\xE2\x82\xAC",
		"abc\xF0\x9F\x98":  "abc",
		"\x82\x82\x82\x82": "\x82\x82\x82\x82",
		"":                 "",
	}
	for in, want := range tests {
		if got := string(trimPartialRune([]byte(in))); got != want {
			t.Errorf("trimPartialRune(%q) = %q, want %q", in, got, want)
		}
	}
}
