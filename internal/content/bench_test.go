package content

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPut measures Store.Put (hash, write, fsync, rename) against its
// ceiling measured in the same run: a plain io.Copy of the same bytes to a
// new file in the same directory, fsynced. It reports both in MB/s and
// their ratio.
func BenchmarkPut(b *testing.B) {
	for _, size := range []int{1 << 20, 16 << 20} {
		b.Run(fmt.Sprintf("size=%dMiB", size>>20), func(b *testing.B) {
			s, err := New(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			data := testData(size)
			var putTime, copyTime time.Duration
			var i uint64
			for b.Loop() {
				i++
				binary.LittleEndian.PutUint64(data, i) // a new blob every time
				start := time.Now()
				blob, err := s.Put(b.Context(), bytes.NewReader(data), 0)
				if err != nil {
					b.Fatal(err)
				}
				putTime += time.Since(start)

				start = time.Now()
				plainCopy(b, filepath.Join(s.Root(), "tmp"), data)
				copyTime += time.Since(start)

				b.StopTimer()
				s.Delete(blob.SHA256)
				b.StartTimer()
			}
			mb := float64(size) * float64(i) / 1e6
			b.ReportMetric(mb/putTime.Seconds(), "put-MB/s")
			b.ReportMetric(mb/copyTime.Seconds(), "copy-MB/s")
			b.ReportMetric(copyTime.Seconds()/putTime.Seconds(), "ratio")
		})
	}
}

// plainCopy is the ceiling: io.Copy to a new file, fsync, close, remove.
func plainCopy(b *testing.B, dir string, data []byte) {
	f, err := os.CreateTemp(dir, "ceiling-*")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(f, bytes.NewReader(data)); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.StopTimer()
	os.Remove(f.Name())
	b.StartTimer()
}

// discardWriter is a ResponseWriter that throws the body away.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) ReadFrom(r io.Reader) (int64, error) {
	return io.Copy(io.Discard, r)
}

// BenchmarkServeRange measures ServeBlob answering a Range request against
// its ceiling measured in the same run: reading the same range straight
// from the open blob file. It reports both and their ratio.
func BenchmarkServeRange(b *testing.B) {
	s, err := New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	data := testData(64 << 20)
	blob, err := s.Put(b.Context(), bytes.NewReader(data), 0)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{4 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("range=%dKiB", n>>10), func(b *testing.B) {
			req, _ := http.NewRequest("GET", "/content/"+blob.SHA256, nil)
			f, _, err := s.Open(blob.SHA256)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			var serveTime, readTime time.Duration
			var i int64
			for b.Loop() {
				off := (i * 7919 * int64(n)) % int64(len(data)-n)
				i++
				req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+int64(n)-1))
				w := &discardWriter{h: http.Header{}}
				start := time.Now()
				s.ServeBlob(w, req, blob.SHA256)
				serveTime += time.Since(start)
				if w.status != http.StatusPartialContent {
					b.Fatalf("status %d", w.status)
				}
				start = time.Now()
				if _, err := io.Copy(io.Discard, io.NewSectionReader(f, off, int64(n))); err != nil {
					b.Fatal(err)
				}
				readTime += time.Since(start)
			}
			mb := float64(n) * float64(i) / 1e6
			b.ReportMetric(mb/serveTime.Seconds(), "serve-MB/s")
			b.ReportMetric(mb/readTime.Seconds(), "read-MB/s")
			b.ReportMetric(readTime.Seconds()/serveTime.Seconds(), "ratio")
			b.ReportMetric(float64(serveTime.Nanoseconds())/float64(i), "serve-ns/req")
		})
	}
}
