package hwinfo

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/autopilot/csvimport"
)

// readCSV reads a file back with the importer.
func readCSV(t testing.TB, path string) (csvimport.Variant, []csvimport.Row) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := csvimport.NewReader(f)
	if err != nil {
		t.Fatalf("csvimport: %v", err)
	}
	var rows []csvimport.Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return r.Variant(), rows
		}
		if err != nil {
			t.Fatalf("csvimport: %v", err)
		}
		rows = append(rows, row)
	}
}

func row(t testing.TB, serial, groupTag, user string) CSVRow {
	t.Helper()
	r, err := Row(Synthetic(serial, ek()), groupTag, user)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAppendCSV(t *testing.T) {
	tests := []struct {
		name    string
		rows    []CSVRow
		variant csvimport.Variant
		header  string
	}{
		{"default", []CSVRow{row(t, "A1", "", ""), row(t, "A2", "", "")}, csvimport.Default,
			"Device Serial Number,Windows Product ID,Hardware Hash\r\n"},
		{"group tag", []CSVRow{row(t, "B1", "Kiosk", ""), row(t, "B2", "Kiosk, Lobby", "")}, csvimport.GroupTag,
			"Device Serial Number,Windows Product ID,Hardware Hash,Group Tag\r\n"},
		{"assigned user", []CSVRow{row(t, "C1", "", "ann@contoso.com"), row(t, "C2", "Sales", "bob@contoso.com")}, csvimport.AssignedUser,
			"Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "AutopilotHWID.csv")
			for _, r := range tt.rows {
				if err := AppendCSV(path, r); err != nil {
					t.Fatal(err)
				}
			}
			data, _ := os.ReadFile(path)
			if !strings.HasPrefix(string(data), tt.header) || strings.Count(string(data), "\r\n") != len(tt.rows)+1 {
				t.Errorf("file:\n%s", data)
			}
			variant, got := readCSV(t, path)
			if variant != tt.variant || len(got) != len(tt.rows) {
				t.Fatalf("variant %v, %d rows", variant, len(got))
			}
			for i, r := range tt.rows {
				g := got[i]
				if g.SerialNumber != r.Serial || g.HardwareHash != r.Hash || g.GroupTag != r.GroupTag || g.AssignedUser != r.AssignedUser {
					t.Errorf("row %d read back as %+v", i, g)
				}
			}
		})
	}
}

func TestAppendCSVExisting(t *testing.T) {
	r := row(t, "D1", "", "")
	utf16File := append([]byte{0xff, 0xfe}, utf16LE("Device Serial Number,Windows Product ID,Hardware Hash\r\nX1,,"+r.Hash+"\r\n")...)
	tests := []struct {
		name    string
		content []byte
		wantErr string
		rows    int
	}{
		{"empty file", nil, "", 1},
		{"utf-8 bom lf", []byte("\xef\xbb\xbfDevice Serial Number,Windows Product ID,Hardware Hash\n"), "", 1},
		{"no final newline", []byte("Device Serial Number,Windows Product ID,Hardware Hash\r\nX1,," + r.Hash), "", 2},
		{"utf-16le from powershell", utf16File, "", 2},
		{"other columns", []byte("Device Serial Number,Windows Product ID,Hardware Hash,Group Tag\r\n"), "Group Tag", 0},
		{"not a csv header", []byte("hello\r\n"), "hello", 0},
		{"utf-16be", []byte{0xfe, 0xff, 0, 'D'}, "UTF-16BE", 0},
		{"blank", []byte("\r\n\r\n"), "no header", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.csv")
			if err := os.WriteFile(path, tt.content, 0o644); err != nil {
				t.Fatal(err)
			}
			err := AppendCSV(path, r)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v, want one naming %q and the file", err, tt.wantErr)
				}
				if after, _ := os.ReadFile(path); string(after) != string(tt.content) {
					t.Error("the file was changed")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, rows := readCSV(t, path); len(rows) != tt.rows || rows[len(rows)-1].SerialNumber != "D1" {
				t.Errorf("rows %+v", rows)
			}
		})
	}
}

func TestRowErrors(t *testing.T) {
	h := Synthetic("E1", nil)
	if _, err := Row(h, "tag\nnext", ""); err == nil {
		t.Error("a line break in the group tag was accepted")
	}
	h.Manufacturer = ""
	if _, err := Row(h, "", ""); err == nil {
		t.Error("a hash without manufacturer was accepted")
	}
	if err := AppendCSV(filepath.Join(t.TempDir(), "x.csv"), CSVRow{Serial: "x"}); err == nil {
		t.Error("a row without hash was appended")
	}
}

// FuzzCSVRoundTrip writes a row with arbitrary group tag and user and
// reads it back with the importer.
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("SIM-1", "Kiosk", "")
	f.Add("SIM-2", `a "quoted", tag`, "ann@contoso.com")
	f.Add("SIM 3", "", " x ")
	f.Fuzz(func(t *testing.T, serial, tag, user string) {
		r, err := Row(Synthetic(serial, nil), tag, user)
		if err != nil {
			return
		}
		path := filepath.Join(t.TempDir(), "f.csv")
		if err := AppendCSV(path, r); err != nil {
			t.Fatal(err)
		}
		fh, _ := os.Open(path)
		defer fh.Close()
		rd, err := csvimport.NewReader(fh)
		if err != nil {
			t.Fatalf("csvimport: %v", err)
		}
		got, err := rd.Next()
		if err != nil {
			return // the importer refuses some values (spreadsheet errors, apostrophes …)
		}
		if got.SerialNumber != r.Serial || got.GroupTag != r.GroupTag || got.AssignedUser != r.AssignedUser || got.HardwareHash != r.Hash {
			t.Fatalf("wrote %+v, read %+v", r, got)
		}
	})
}
