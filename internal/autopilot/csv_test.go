package autopilot_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func utf16le(s string) []byte {
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xFE})
	for _, u := range utf16.Encode([]rune(s)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	return b.Bytes()
}

func collect(t *testing.T, f *fixture, data []byte) ([]autopilot.RowResult, autopilot.CSVSummary) {
	t.Helper()
	var got []autopilot.RowResult
	sum, err := f.ap.ImportCSV(context.Background(), bytes.NewReader(data), func(r autopilot.RowResult) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, sum
}

func TestCSVNamedErrorsWhileValidRowsImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		if _, err := f.dir.CreateUser(ctx, directory.NewUser{User: directory.User{UPN: "ann@contoso.example", DisplayName: "Ann", AccountEnabled: true}}); err != nil {
			t.Fatal(err)
		}
		csv := "Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\r\n" +
			"GOOD-1,," + aptest.Hash("GOOD-1") + ",Sales,ann@contoso.example\r\n" +
			"1.23457E+11,," + aptest.Hash("123456789012") + ",,\r\n" +
			"BADHASH,,VGhpcyBpcyBub3QgYSBoYXNo,,\r\n" +
			"GOOD-2,," + aptest.Hash("GOOD-2") + ",,\r\n" +
			"\r\n" +
			"GOOD-1,," + aptest.Hash("GOOD-1") + ",,\r\n" +
			"GHOST,," + aptest.Hash("GHOST") + ",,ghost@contoso.example\r\n" +
			"EXTRA,," + aptest.Hash("EXTRA") + ",,,surplus\r\n"
		got, sum := collect(t, f, utf16le(csv))
		want := []struct {
			line   int
			result string
		}{
			{2, autopilot.ResultImported}, {3, autopilot.ResultInvalidRow}, {4, autopilot.ResultInvalidHash}, {5, autopilot.ResultImported},
			{7, autopilot.ResultDuplicate}, {8, autopilot.ResultUnknownUser}, {9, autopilot.ResultInvalidRow},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d results: %+v", len(got), got)
		}
		for i, w := range want {
			if got[i].Line != w.line || got[i].Result != w.result {
				t.Errorf("result %d = line %d %s (%s: %s), want line %d %s", i, got[i].Line, got[i].Result, got[i].ErrorName, got[i].Message, w.line, w.result)
			}
		}
		if got[1].ErrorName != "SerialInScientificNotation" {
			t.Errorf("scientific notation reported as %q", got[1].ErrorName)
		}
		if sum.Imported != 2 || sum.Failed != 5 || sum.Encoding != "UTF-16LE" {
			t.Errorf("summary = %+v", sum)
		}
		d := f.device(got[0].ZTDID)
		if d.GroupTag != "Sales" || d.UserPrincipalName != "ann@contoso.example" {
			t.Errorf("imported row fields: %+v", d)
		}
	})
}

func TestCSVRealGetWindowsAutopilotInfoFile(t *testing.T) {
	f := newFixture(t, storetest.Open(t, store.SQLite))
	data, err := os.ReadFile("csvimport/testdata/sample-grouptag-utf16le.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, sum := collect(t, f, data)
	if sum.Imported != 1 || len(got) != 1 || got[0].Result != autopilot.ResultImported {
		t.Fatalf("real UTF-16LE CSV: %+v %+v", sum, got)
	}
	d := f.device(got[0].ZTDID)
	if d.SerialNumber == "" || d.Manufacturer == "" || !strings.EqualFold(d.SerialNumber, got[0].SerialNumber) {
		t.Fatalf("device from real hash: %+v", d)
	}
}

func TestCSVBadHeaderImportsNothing(t *testing.T) {
	f := newFixture(t, storetest.Open(t, store.SQLite))
	_, err := f.ap.ImportCSV(context.Background(), strings.NewReader("Serial,Hash,Colour\nA,B,C\n"), func(autopilot.RowResult) error { return nil })
	if err == nil {
		t.Fatal("a file without the Autopilot header was accepted")
	}
	ds, _ := f.st.AutopilotDevices(context.Background())
	if len(ds) != 0 {
		t.Fatalf("%d devices imported from a bad file", len(ds))
	}
}
