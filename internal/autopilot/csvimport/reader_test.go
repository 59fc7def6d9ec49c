package csvimport

import (
	"io"
	"strings"
	"testing"
)

func TestVariantRows(t *testing.T) {
	tests := []struct {
		name, in string
		want     Row
	}{
		{"default", hdrDefault + "\nS1,KEY," + hash + "\n",
			Row{Line: 2, SerialNumber: "S1", ProductKey: "KEY", HardwareHash: hash}},
		{"group tag", hdrDefault + ",Group Tag\nS1,," + hash + ",Sales\n",
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash, GroupTag: "Sales"}},
		{"assigned user", hdrDefault + ",Group Tag,Assigned User\nS1,," + hash + ",Sales,a@contoso.com\n",
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash, GroupTag: "Sales", AssignedUser: "a@contoso.com"}},
		{"partner", hdrDefault + ",Manufacturer name,Device model\nS1,," + hash + ",Contoso,Laptop 7\n",
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash, Manufacturer: "Contoso", Model: "Laptop 7"}},
		{"legacy order id", hdrDefault + ",OrderID\nS1,," + hash + ",PO-42\n",
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash, GroupTag: "PO-42"}},
		{"no final newline", hdrDefault + "\nS1,," + hash,
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash}},
		{"doubled cr", hdrDefault + "\r\r\nS1,," + hash + "\r\r\n",
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash}},
		{"trailing comma everywhere", hdrDefault + ",\r\nS1,," + hash + ",\r\n",
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash}},
		{"excel dropped trailing empties", hdrDefault + ",Group Tag,Assigned User\r\nS1,," + hash + "\r\n",
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash}},
		{"blank lines", "\n\n" + hdrDefault + "\n\n \n\t\n\"\",\"\"\nS1,," + hash + "\n\n\n",
			Row{Line: 8, SerialNumber: "S1", HardwareHash: hash}},
		{"quoted everything", `"Device Serial Number","Windows Product ID","Hardware Hash"` + "\r\n" +
			`"S1","","` + hash + `"` + "\r\n",
			Row{Line: 2, SerialNumber: "S1", HardwareHash: hash}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, []byte(tt.in))
			if res.fatal != nil || len(res.errs) > 0 || len(res.rows) != 1 {
				t.Fatalf("fatal %v codes %v rows %+v", res.fatal, res.codes(), res.rows)
			}
			if res.rows[0] != tt.want {
				t.Errorf("row = %+v\nwant  %+v", res.rows[0], tt.want)
			}
		})
	}
}

func TestEOFIsSticky(t *testing.T) {
	r, err := NewReader(strings.NewReader(hdrDefault + "\nS1,," + hash + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("Next = %v, want io.EOF", err)
		}
	}
}

func TestHeaderOnly(t *testing.T) {
	res := readAll(t, []byte(hdrDefault+"\r\n"))
	if res.fatal != nil || len(res.rows)+len(res.errs) != 0 {
		t.Fatalf("%+v", res)
	}
}

// TestLongLineIsNotBuffered checks that a huge line is skipped without
// being held in memory and reading resumes after it.
func TestLongLineIsNotBuffered(t *testing.T) {
	huge := strings.Repeat("A", 50*MaxLineBytes)
	in := hdrDefault + "\n" + huge + "\nS1,," + hash + "\n" + huge
	// A line of exactly MaxLineBytes is accepted.
	exact := "S2,," + hash + "," + strings.Repeat(" ", MaxLineBytes-len(hash)-5)
	exactIn := hdrDefault + ",Group Tag\r\n" + exact + "\r\n"
	for _, utf16 := range []bool{false, true} {
		data, exactData := []byte(in), []byte(exactIn)
		if utf16 {
			data, exactData = encodeUTF16(in, false, true), encodeUTF16(exactIn, false, true)
		}
		res := readAll(t, data)
		if res.fatal != nil || strings.Join(res.codes(), " ") != "2:LineTooLong 4:LineTooLong" ||
			len(res.rows) != 1 || res.rows[0].Line != 3 {
			t.Fatalf("utf16 %v: fatal %v codes %v rows %+v", utf16, res.fatal, res.codes(), res.rows)
		}
		res = readAll(t, exactData)
		if len(exact) != MaxLineBytes || res.fatal != nil || len(res.errs) > 0 || len(res.rows) != 1 {
			t.Fatalf("utf16 %v: len %d fatal %v codes %v", utf16, len(exact), res.fatal, res.codes())
		}
	}
}

func TestBytesRead(t *testing.T) {
	in := hdrDefault + "\n" + strings.Repeat("S1,,"+hash+"\n", 5000)
	r, err := NewReader(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	last := r.BytesRead()
	if last <= 0 || last > int64(len(in)) {
		t.Fatalf("BytesRead after the header = %d", last)
	}
	for {
		_, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n := r.BytesRead()
		if n < last {
			t.Fatalf("BytesRead went back from %d to %d", last, n)
		}
		last = n
	}
	if last != int64(len(in)) {
		t.Errorf("BytesRead at the end = %d, want %d", last, len(in))
	}
}
