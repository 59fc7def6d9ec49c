package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
)

const csvHeader = "Device Serial Number,Windows Product ID,Hardware Hash,Group Tag"

// csvPipe streams n device lines as Windows PowerShell 5.1 writes them
// (UTF-16LE with a byte order mark, CRLF, no quotes), generated on the fly.
func csvPipe(prefix string, n int) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeCSV(pw, prefix, n)) }()
	return pr
}

func writeCSV(w io.Writer, prefix string, n int) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var line, enc []byte
	put := func(text []byte) error {
		enc = enc[:0]
		for _, c := range text { // the text is ASCII
			enc = append(enc, c, 0)
		}
		_, err := bw.Write(enc)
		return err
	}
	if _, err := bw.Write([]byte{0xFF, 0xFE}); err != nil {
		return err
	}
	if err := put([]byte(csvHeader + "\r\n")); err != nil {
		return err
	}
	for i := range n {
		s := serial(prefix, i)
		line = append(line[:0], s...)
		line = append(line, ",,"...)
		line = append(line, aptest.Hash(s)...)
		line = append(line, ",Bench\r\n"...)
		if err := put(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// csvImport uploads n new devices as one CSV file to POST
// /api/autopilot/csvImports and reads the results as they stream back; it
// returns the time until the summary arrived. The upload goes over
// HTTP/1.1, as Invoke-RestMethod sends it, or with h2 over HTTP/2 (TLS), where
// reading the upload while answering needs nothing from the handler.
func csvImport(ctx context.Context, t *tenant, n int, h2 bool) (time.Duration, error) {
	base, client, tok := t.hs.URL, t.client, t.tok
	if h2 {
		hs := httptest.NewUnstartedServer(t.srv.Handler())
		hs.EnableHTTP2 = true
		hs.StartTLS()
		defer hs.Close()
		h := &tenant{hs: hs, client: hs.Client()}
		var err error
		if tok, err = h.token(); err != nil {
			return 0, err
		}
		base, client = hs.URL, h.client
	}
	body := csvPipe("CSV", n)
	defer body.Close()
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/autopilot/csvImports", body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "text/csv")
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("CSV upload: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		raw, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
		return 0, fmt.Errorf("CSV upload: HTTP %d %s", res.StatusCode, raw)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	imported := 0
	var sum *autopilot.CSVSummary
	lastPrint := time.Now()
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.Contains(line, []byte(`"result":"imported"`)):
			imported++
		case bytes.HasPrefix(line, []byte(`{"summary"`)):
			var s struct{ Summary autopilot.CSVSummary }
			if err := json.Unmarshal(line, &s); err != nil {
				return 0, fmt.Errorf("CSV summary %q: %w", line, err)
			}
			sum = &s.Summary
		default:
			// Stop at the first line that is not a success: the rest of
			// the file would be read for nothing.
			return 0, fmt.Errorf("CSV: after %d imported lines: %s", imported, line)
		}
		if time.Since(lastPrint) > 2*time.Second {
			lastPrint = time.Now()
			fmt.Fprintf(os.Stderr, "  CSV: %d/%d imported, %.0f devices/s so far\n", imported, n, float64(imported)/time.Since(start).Seconds())
		}
	}
	elapsed := time.Since(start)
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading CSV results: %w", err)
	}
	switch {
	case sum == nil:
		return 0, fmt.Errorf("CSV: no summary after %d imported lines", imported)
	case imported != n || sum.Imported != n || sum.Rows != n || sum.Failed != 0:
		return 0, fmt.Errorf("CSV: %d imported lines, summary %+v, want %d", imported, *sum, n)
	case sum.Encoding != "UTF-16LE" || sum.Variant != "GroupTag":
		return 0, fmt.Errorf("CSV read as %s / %s, want UTF-16LE / GroupTag", sum.Encoding, sum.Variant)
	}
	return elapsed, nil
}

// csvResult is what the CSV step measured.
type csvResult struct {
	elapsed  time.Duration
	proto    string
	http1Err error // why the upload over HTTP/1.1 failed, if it did
}

// csvStep measures the CSV upload into a fresh tenant over HTTP/1.1. If
// that fails, it says why (http1Err) and measures over HTTP/2 instead, in
// another fresh tenant, so the run still gives the figure.
func csvStep(ctx context.Context, dsn string, n int) (csvResult, error) {
	var r csvResult
	for _, h2 := range []bool{false, true} {
		r.proto = "HTTP/1.1"
		if h2 {
			r.proto = "HTTP/2"
		}
		fmt.Fprintf(os.Stderr, "CSV over %s: starting a fresh tenant\n", r.proto)
		t, err := newTenant(ctx, dsn)
		if err != nil {
			return r, err
		}
		r.elapsed, err = csvImport(ctx, t, n, h2)
		if err == nil {
			err = t.verify(ctx, n, "CSV")
		}
		t.cleanup(ctx, dsn)
		if err == nil || h2 {
			return r, err
		}
		r.http1Err = err
		fmt.Fprintf(os.Stderr, "CSV over HTTP/1.1 FAILED: %v\n", err)
	}
	panic("unreachable")
}
