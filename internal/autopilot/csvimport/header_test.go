package csvimport

import (
	"strings"
	"testing"
)

func TestHeaderVariants(t *testing.T) {
	tests := []struct {
		name, header string
		variant      Variant
	}{
		{"default", hdrDefault, Default},
		{"group tag", hdrDefault + ",Group Tag", GroupTag},
		{"assigned user", hdrDefault + ",Group Tag,Assigned User", AssignedUser},
		{"assigned user alone", hdrDefault + ",Assigned User", AssignedUser},
		{"partner", hdrDefault + ",Manufacturer name,Device model", Partner},
		{"partner center casing", "Device serial number,Windows product ID,Hardware hash,Manufacturer name,Device model", Partner},
		{"legacy order id", hdrDefault + ",OrderID", LegacyOrderID},
		{"legacy order id and user", hdrDefault + ",OrderID,Assigned User", LegacyOrderID},
		{"no product id column", "Device Serial Number,Hardware Hash", Default},
		{"case", "DEVICE SERIAL NUMBER,windows product id,hardware HASH,group tag", GroupTag},
		{"spaces", "  Device Serial Number , Windows Product ID,\tHardware Hash  ", Default},
		{"inner spaces", "Device  Serial Number,Windows Product ID,Hardware   Hash", Default},
		{"quoted", `"Device Serial Number","Windows Product ID","Hardware Hash","Group Tag"`, GroupTag},
		{"quoted with spaces", ` " Device Serial Number" ,"Windows Product ID","Hardware Hash"`, Default},
		{"trailing comma", hdrDefault + ",", Default},
		{"trailing commas", hdrDefault + ",,, ", Default},
		{"reordered", "Hardware Hash,Group Tag,Device Serial Number,Windows Product ID", GroupTag},
		{"utf-8 bom char", "\uFEFF" + hdrDefault, Default},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, []byte(tt.header+"\r\n"))
			if res.fatal != nil {
				t.Fatalf("NewReader: %v", res.fatal)
			}
			if got := res.r.Variant(); got != tt.variant {
				t.Errorf("variant = %v, want %v", got, tt.variant)
			}
		})
	}
}

func TestHeaderMapsByName(t *testing.T) {
	in := "Assigned User,Hardware Hash,Group Tag,Device Serial Number,Windows Product ID\n" +
		"u@contoso.com," + hash + ",Sales,SER1,KEY1\n"
	res := readAll(t, []byte(in))
	if res.fatal != nil || len(res.errs) > 0 || len(res.rows) != 1 {
		t.Fatalf("got %+v", res)
	}
	want := Row{Line: 2, SerialNumber: "SER1", ProductKey: "KEY1", HardwareHash: hash, GroupTag: "Sales", AssignedUser: "u@contoso.com"}
	if res.rows[0] != want {
		t.Errorf("row = %+v\nwant %+v", res.rows[0], want)
	}
}

func TestHeaderSkipsPreamble(t *testing.T) {
	in := "\r\n  \r\n#TYPE Selected.System.Management.ManagementObject\r\nsep=,\r\n,,\r\n" + hdrDefault + "\r\nS1,," + hash + "\r\n"
	res := readAll(t, []byte(in))
	if res.fatal != nil || len(res.rows) != 1 || res.rows[0].Line != 7 {
		t.Fatalf("got %+v, fatal %v", res.rows, res.fatal)
	}
}

func TestHeaderFileErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // substring of the FileError
	}{
		{"empty", "", "empty"},
		{"blank", "\r\n \r\n\n", "no header"},
		{"extra column", hdrDefault + ",Notes,Owner", `extra columns aren't allowed: "Notes", "Owner"`},
		{"near miss words", "Device Serial No,Windows Product ID,Hardware Hash", `extra columns aren't allowed: "Device Serial No"`},
		{"duplicate", hdrDefault + ",Hardware Hash", `column "Hardware Hash" twice`},
		{"duplicate by case", hdrDefault + ",group tag,GROUP TAG", `column "Group Tag" twice`},
		{"missing hash", "Device Serial Number,Windows Product ID", `no "Hardware Hash" column`},
		{"missing serial", "Windows Product ID,Hardware Hash", `no "Device Serial Number" column`},
		{"group tag and order id", hdrDefault + ",Group Tag,OrderID", "both"},
		{"empty middle column", "Device Serial Number,,Hardware Hash", "column 2 (line 1) is empty"},
		{"data first", "PF5MT6SC,," + hash, "not an Autopilot CSV header"},
		{"semicolons", "Device Serial Number;Windows Product ID;Hardware Hash", `separated by ";"`},
		{"tabs", "Device Serial Number\tWindows Product ID\tHardware Hash", `separated by "\t"`},
		{"unterminated quote", `"Device Serial Number,Windows Product ID,Hardware Hash`, "not closed"},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", "Excel workbook (.xlsx)"},
		{"xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", ".xls"},
		{"binary", "Device\x00\x00\x01Serial", "binary content"},
		{"utf-32", "\xFF\xFE\x00\x00D\x00\x00\x00", "UTF-32"},
		{"control character", "Device Serial Number\x01,Hardware Hash", "control character U+0001"},
		{"too long", strings.Repeat("A", MaxLineBytes+1), "longer than 64 KiB"},
		{"cr only", hdrDefault + "\rS1,," + hash + "\r", "carriage return"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, []byte(tt.in))
			fe := fileErrorOf(res.fatal)
			if fe == nil {
				t.Fatalf("got %v (rows %v), want a FileError containing %q", res.fatal, res.rows, tt.want)
			}
			if !strings.Contains(fe.Msg, tt.want) {
				t.Errorf("FileError %q does not contain %q", fe.Msg, tt.want)
			}
		})
	}
}

func TestRepeatedHeader(t *testing.T) {
	same := hdrDefault + "\r\nS1,," + hash + "\r\n" + "\uFEFF" + strings.ToUpper(hdrDefault) + ",\r\nS2,," + hash + "\r\n"
	res := readAll(t, []byte(same))
	if res.fatal != nil || len(res.errs) != 0 || len(res.rows) != 2 || res.rows[1].Line != 4 {
		t.Fatalf("same header repeated: rows %+v errs %v fatal %v", res.rows, res.codes(), res.fatal)
	}
	diff := hdrDefault + "\r\nS1,," + hash + "\r\n" + hdrDefault + ",Group Tag\r\nS2,," + hash + ",T\r\n"
	res = readAll(t, []byte(diff))
	fe := fileErrorOf(res.fatal)
	if fe == nil || !strings.Contains(fe.Msg, "line 3 is a second header") || len(res.rows) != 1 {
		t.Fatalf("different header: rows %+v fatal %v", res.rows, res.fatal)
	}
	if _, err := res.r.Next(); err != res.fatal {
		t.Errorf("after a FileError Next returned %v", err)
	}
}

func TestVariantAndEncodingStrings(t *testing.T) {
	for v, want := range map[Variant]string{Default: "Default", GroupTag: "GroupTag", AssignedUser: "AssignedUser",
		Partner: "Partner", LegacyOrderID: "LegacyOrderID", Variant(9): "Variant(9)"} {
		if got := v.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(v), got, want)
		}
	}
	for e, want := range map[Encoding]string{UTF8: "UTF-8", UTF8BOM: "UTF-8 with BOM", UTF16LE: "UTF-16LE",
		UTF16BE: "UTF-16BE", Windows1252: "Windows-1252", Encoding(7): "Encoding(7)"} {
		if got := e.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(e), got, want)
		}
	}
}
