package csvimport

import (
	"strings"
	"testing"
)

// TestDamage checks each problem a data line can have: its code and line
// number, and that the good line after it still comes through.
func TestDamage(t *testing.T) {
	head := hdrDefault + ",Group Tag,Assigned User\r\n"
	long := strings.Repeat("x", MaxFieldLength+1)
	tests := []struct {
		name, line, code string
	}{
		{"missing serial", ",," + hash + ",,", CodeMissingSerialNumber},
		{"blank serial", "  ,," + hash + ",,", CodeMissingSerialNumber},
		{"missing hash", "S1,,,,", CodeMissingHardwareHash},
		{"quoted empty hash", `S1,,"",,`, CodeMissingHardwareHash},
		{"scientific", "1.23457E+11,," + hash + ",,", CodeSerialInScientificNotation},
		{"scientific short", "5.1E+14,," + hash + ",,", CodeSerialInScientificNotation},
		{"scientific no fraction", "5E+14,," + hash + ",,", CodeSerialInScientificNotation},
		{"scientific lower negative", "1.2e-05,," + hash + ",,", CodeSerialInScientificNotation},
		{"scientific decimal comma", `"1,23457E+11",,` + hash + ",,", CodeSerialInScientificNotation},
		{"extra field", "S1,," + hash + ",,,surplus", CodeWrongFieldCount},
		{"comma in serial", "S1,X,," + hash + ",T,u", CodeWrongFieldCount},
		{"missing hash column", "S1,", CodeWrongFieldCount},
		{"one field", "S1", CodeWrongFieldCount},
		{"unterminated quote", `S1,,"` + hash + ",,", CodeUnterminatedQuote},
		{"unterminated escaped quote", `"S1"",,` + hash + ",,", CodeUnterminatedQuote},
		{"bare quote", `S"1,,` + hash + ",,", CodeBadQuote},
		{"text after quote", `"S1"x,,` + hash + ",,", CodeBadQuote},
		{"non-base64 hash", "S1,,T0G#XBAE,,", CodeInvalidHardwareHashText},
		{"hash with space", "S1,,T0G XBAE,,", CodeInvalidHardwareHashText},
		{"hash with inner padding", "S1,,T0G=XBAE,,", CodeInvalidHardwareHashText},
		{"hash with three padding", "S1,,T0GXB===,,", CodeInvalidHardwareHashText},
		{"hash url alphabet", "S1,,T0G-XB_E,,", CodeInvalidHardwareHashText},
		{"hash ellipsis", "S1,,T0GXBAE…,,", CodeInvalidHardwareHashText},
		{"apostrophe serial", "'12345,," + hash + ",,", CodeLeadingApostrophe},
		{"apostrophe hash", "S1,,'" + hash + ",,", CodeLeadingApostrophe},
		{"apostrophe product id", "S1,'00330," + hash + ",,", CodeLeadingApostrophe},
		{"nul", "S1\x00,," + hash + ",,", CodeInvalidCharacters},
		{"only nul", "\x00", CodeInvalidCharacters},
		{"control", "S1,," + hash + ",\x1b[31m,", CodeInvalidCharacters},
		{"stray cr", "S1,," + hash + "\r,,", CodeInvalidCharacters},
		{"name error", "#NAME?,," + hash + ",,", CodeSpreadsheetErrorValue},
		{"value error in tag", "S1,," + hash + ",#VALUE!,", CodeSpreadsheetErrorValue},
		{"hash marks", "S1,,####,,", CodeSpreadsheetErrorValue},
		{"long serial", long + ",," + hash + ",,", CodeFieldTooLong},
		{"long user", "S1,," + hash + ",," + long, CodeFieldTooLong},
		{"long line", strings.Repeat("A", MaxLineBytes+1), CodeLineTooLong},
		{"very long line", strings.Repeat("A,", 3*MaxLineBytes), CodeLineTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := head + "\r\n" + tt.line + "\r\nS9,," + hash + ",T,u@x.com\r\n"
			res := readAll(t, []byte(in))
			if res.fatal != nil {
				t.Fatal(res.fatal)
			}
			if got, want := strings.Join(res.codes(), " "), "3:"+tt.code; got != want {
				t.Errorf("codes = %q, want %q", got, want)
			} else if strings.TrimSpace(res.errs[0].Msg) == "" || !strings.HasPrefix(res.errs[0].Error(), "line 3: ") {
				t.Errorf("error text %q", res.errs[0].Error())
			}
			if len(res.rows) != 1 || res.rows[0].Line != 4 || res.rows[0].SerialNumber != "S9" {
				t.Errorf("rows = %+v", res.rows)
			}
		})
	}
}

// TestNotDamage lists values that look odd but are real.
func TestNotDamage(t *testing.T) {
	head := hdrDefault + ",Group Tag\r\n"
	tests := []struct{ name, line, serial, tag string }{
		{"serial with E and no sign", "12E345,," + hash + ",", "12E345", ""},
		{"serial with spaces", "VMware-56 4d 8d,," + hash + ",", "VMware-56 4d 8d", ""},
		{"serial digits", "123456789012,," + hash + ",", "123456789012", ""},
		{"apostrophe inside", "O'Brien-1,," + hash + ",", "O'Brien-1", ""},
		{"tag with hash sign", "S1,," + hash + ",#1", "S1", "#1"},
		{"tag with apostrophe", "S1,," + hash + ",'quoted'", "S1", "'quoted'"},
		{"quoted comma in tag", `S1,,` + hash + `,"Sales, EMEA"`, "S1", "Sales, EMEA"},
		{"doubled quotes", `"S""1",,` + hash + `,"say ""hi"""`, `S"1`, `say "hi"`},
		{"spaces around quoted", `  "S1"  , ,` + hash + ` , " Tag " `, "S1", "Tag"},
		{"unpadded hash", "S1,,QUJD,", "S1", ""},
		{"nbsp trimmed", "\u00a0S1\u00a0,," + hash + ",", "S1", ""},
		{"missing optional tag", "S1,," + hash, "S1", ""},
		{"extra empty fields", "S1,," + hash + ",T,, ,", "S1", "T"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, []byte(head+tt.line+"\r\n"))
			if res.fatal != nil || len(res.errs) > 0 || len(res.rows) != 1 {
				t.Fatalf("fatal %v codes %v rows %+v", res.fatal, res.codes(), res.rows)
			}
			if r := res.rows[0]; r.SerialNumber != tt.serial || r.GroupTag != tt.tag {
				t.Errorf("row = %+v", r)
			}
		})
	}
}

// TestMixed checks that good rows come through in order, with their line
// numbers, between bad lines and blank lines.
func TestMixed(t *testing.T) {
	lines := []string{
		hdrDefault + ",Group Tag",     // 1
		"A1,," + hash + ",T1",         // 2
		"",                            // 3
		"1.23457E+11,," + hash + ",T", // 4
		"A2,," + hash + ",T2",         // 5
		",,,",                         // 6 blank: all fields empty
		"A3,,",                        // 7
		"A4,," + hash + `,"T4`,        // 8
		"A5,," + hash + ",T5",         // 9
		"   ",                         // 10
		"A6,,bad hash!,T6",            // 11
		"A7,KEY," + hash + ",T7",      // 12
	}
	for _, eol := range []string{"\r\n", "\n"} {
		res := readAll(t, []byte(strings.Join(lines, eol)))
		if res.fatal != nil {
			t.Fatal(res.fatal)
		}
		var got []string
		for _, r := range res.rows {
			got = append(got, itoa(r.Line)+":"+r.SerialNumber+"/"+r.GroupTag+"/"+r.ProductKey)
		}
		if g, w := strings.Join(got, " "), "2:A1/T1/ 5:A2/T2/ 9:A5/T5/ 12:A7/T7/KEY"; g != w {
			t.Errorf("%q rows = %s, want %s", eol, g, w)
		}
		if g, w := strings.Join(res.codes(), " "),
			"4:SerialInScientificNotation 7:MissingHardwareHash 8:UnterminatedQuote 11:InvalidHardwareHashText"; g != w {
			t.Errorf("%q codes = %s, want %s", eol, g, w)
		}
	}
}
