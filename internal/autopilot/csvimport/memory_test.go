package csvimport

import (
	"io"
	"runtime"
	"testing"
	"time"
)

// TestMillionRowsBoundedMemory streams 1,000,000 generated rows (UTF-16LE,
// the common case) through the reader and checks that the heap stays small:
// nothing is accumulated per row or per file. Under the race detector it
// streams 100,000 rows to stay within seconds.
func TestMillionRowsBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams a million rows")
	}
	const rows = millionRows
	const limit = 32 << 20
	start := time.Now()
	runtime.GC()
	src := &rowSource{rows: rows, hash: fakeHash(120), utf16: true}
	r, err := NewReader(src)
	if err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	var peak uint64
	n, prev := 0, 0
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d rows: %v", n, err)
		}
		n++
		if row.Line <= prev {
			t.Fatalf("line %d after line %d", row.Line, prev)
		}
		prev = row.Line
		if n%100_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapAlloc)
	if n != rows || prev != rows+1 {
		t.Errorf("read %d rows, last line %d", n, prev)
	}
	if peak > limit {
		t.Errorf("peak heap %d MiB, want under %d MiB", peak>>20, limit>>20)
	}
	t.Logf("%d rows, %d MiB in %v, peak heap %.1f MiB", n, r.BytesRead()>>20,
		time.Since(start).Round(time.Millisecond), float64(peak)/(1<<20))
}
