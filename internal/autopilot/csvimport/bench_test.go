package csvimport

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkReader reads a 1,000-row file with real-sized (4,000 character)
// hashes, in UTF-8 and in UTF-16LE (Windows PowerShell's default).
func BenchmarkReader(b *testing.B) {
	const rows = 1000
	for _, utf16 := range []bool{false, true} {
		name := "UTF-8"
		if utf16 {
			name = "UTF-16LE"
		}
		b.Run(name, func(b *testing.B) {
			src := &rowSource{rows: rows, hash: fakeHash(4000), utf16: utf16}
			data, err := io.ReadAll(src)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for {
					_, err := r.Next()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != rows {
					b.Fatalf("%d rows", n)
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
