package csvimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzReader feeds arbitrary bytes to the reader: it must never panic or
// loop, return only rows, *RowError, *FileError or io.EOF, give increasing
// line numbers, return rows that pass its own checks, and behave the same
// whether its input arrives at once or a byte at a time.
func FuzzReader(f *testing.F) {
	f.Add([]byte(hdrDefault + "\r\nS1,," + hash + "\r\n"))
	f.Add([]byte(hdrDefault + ",Group Tag,Assigned User\n\"S,1\",,\"" + hash + "\",\"T\"\"x\",u@x\n1.2E+11,,AAAA,,\n,,\n"))
	f.Add(encodeUTF16(hdrDefault+",Group Tag\r\nS1,,"+hash+",Équipe 😀\r\n", false, true))
	f.Add(encodeUTF16(hdrDefault+"\r\nS1,,"+hash+"\r\n", true, true))
	f.Add([]byte(hdrDefault + ",OrderID\nS1,," + hash + ",Caf\xe9\n'S2,,\"AB\nS3\x00,,A\n"))
	f.Add([]byte("#TYPE x\nsep=,\n" + hdrDefault + ",Manufacturer name,Device model\n" + hdrDefault + ",Manufacturer name,Device model\nS1,,QQ==,M,D\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		whole := fuzzRead(t, bytes.NewReader(data), len(data))
		bytewise := fuzzRead(t, iotest.OneByteReader(bytes.NewReader(data)), len(data))
		if whole != bytewise {
			t.Fatalf("results differ:\nwhole:    %s\nbytewise: %s", whole, bytewise)
		}
	})
}

// fuzzRead reads src to the end, checking the invariants, and describes
// what it read.
func fuzzRead(t *testing.T, src io.Reader, size int) string {
	var out strings.Builder
	r, err := NewReader(src)
	if err != nil {
		if fileErrorOf(err) == nil {
			t.Fatalf("NewReader: %T %v", err, err)
		}
		return "file error: " + err.Error()
	}
	fmt.Fprintf(&out, "%v %v\n", r.Variant(), r.Encoding())
	prev := 0
	for calls := 0; ; calls++ {
		if calls > size+2 {
			t.Fatalf("%d calls to Next without io.EOF", calls)
		}
		row, err := r.Next()
		var re *RowError
		switch {
		case err == nil:
			checkRow(t, row)
			if row.Line <= prev {
				t.Fatalf("row line %d after line %d", row.Line, prev)
			}
			prev = row.Line
			fmt.Fprintf(&out, "%+v\n", row)
		case errors.As(err, &re):
			if re.Line <= prev || re.Code == "" || re.Msg == "" {
				t.Fatalf("row error %+v after line %d", re, prev)
			}
			prev = re.Line
			fmt.Fprintf(&out, "%+v\n", *re)
		case err == io.EOF || fileErrorOf(err) != nil:
			if _, again := r.Next(); again != err {
				t.Fatalf("Next after %v returned %v", err, again)
			}
			if r.BytesRead() > int64(size) {
				t.Fatalf("BytesRead %d of %d bytes", r.BytesRead(), size)
			}
			fmt.Fprintf(&out, "end: %v %v", err, r.Encoding())
			return out.String()
		default:
			t.Fatalf("Next: %T %v", err, err)
		}
	}
}

func checkRow(t *testing.T, row Row) {
	if row.SerialNumber == "" || row.HardwareHash == "" || nonBase64([]byte(row.HardwareHash)) >= 0 ||
		isScientific([]byte(row.SerialNumber)) {
		t.Fatalf("bad row %+v", row)
	}
	for _, v := range []string{row.SerialNumber, row.ProductKey, row.HardwareHash, row.GroupTag,
		row.AssignedUser, row.Manufacturer, row.Model} {
		if strings.TrimSpace(v) != v || strings.ContainsAny(v, "\x00\r\n\uFFFD") {
			t.Fatalf("bad value %q in %+v", v, row)
		}
	}
}
