// Package importer is the client side of `whiteglove import`: it gets a
// token, streams a CSV file to the service's CSV import endpoint, shows
// progress, and writes one result per device line.
package importer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/whiteglove/whiteglove/internal/client"
)

// Options say where to import and as whom.
type Options struct {
	Server       string // base URL, e.g. http://127.0.0.1:8080
	Tenant       string // tenant id or domain; "organizations" when empty
	ClientID     string
	ClientSecret string
	Progress     io.Writer // progress bar (stderr); nil for none
	Results      io.Writer // one JSON line per device line
	HTTP         *http.Client
}

// Summary is what the service reports at the end.
type Summary struct {
	Encoding string `json:"encoding"`
	Variant  string `json:"variant"`
	Rows     int    `json:"rows"`
	Imported int    `json:"imported"`
	Failed   int    `json:"failed"`
}

// Import uploads path and returns the service's summary.
func Import(ctx context.Context, path string, o Options) (Summary, error) {
	if o.HTTP == nil {
		o.HTTP = &http.Client{}
	}
	if o.Tenant == "" {
		o.Tenant = "organizations"
	}
	tok, err := client.Token(ctx, o.HTTP, o.Server, o.Tenant, o.ClientID, o.ClientSecret)
	if err != nil {
		return Summary{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return Summary{}, fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Summary{}, err
	}
	body := &counter{r: f}
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimRight(o.Server, "/")+"/api/autopilot/csvImports", body)
	if err != nil {
		return Summary{}, err
	}
	req.ContentLength = st.Size()
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "text/csv")
	var rows atomic.Int64
	stop := startProgress(o.Progress, st.Size(), &body.n, &rows)
	defer stop()
	res, err := o.HTTP.Do(req)
	if err != nil {
		return Summary{}, fmt.Errorf("uploading %s: %w", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return Summary{}, fmt.Errorf("the service refused the file: %s", client.ErrorMessage(res))
	}
	return readResults(res.Body, o.Results, &rows)
}

func readResults(r io.Reader, results io.Writer, rows *atomic.Int64) (Summary, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var sum Summary
	got := false
	for sc.Scan() {
		line := sc.Bytes()
		var probe struct {
			Summary *Summary `json:"summary"`
			Error   *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(line, &probe); err != nil {
			return sum, fmt.Errorf("reading results: %w", err)
		}
		switch {
		case probe.Summary != nil:
			sum, got = *probe.Summary, true
		case probe.Error != nil:
			return sum, errors.New(probe.Error.Message)
		default:
			rows.Add(1)
			if results != nil {
				if _, err := results.Write(append(line, '\n')); err != nil {
					return sum, err
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return sum, fmt.Errorf("reading results: %w", err)
	}
	if !got {
		return sum, errors.New("the service stopped before reporting a summary")
	}
	return sum, nil
}

type counter struct {
	r io.Reader
	n atomic.Int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// startProgress draws a progress bar until stop is called.
func startProgress(w io.Writer, total int64, sent, rows *atomic.Int64) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	begin := time.Now()
	draw := func() {
		s, n := sent.Load(), rows.Load()
		frac := 1.0
		if total > 0 {
			frac = float64(s) / float64(total)
		}
		width := 30
		fill := int(frac * float64(width))
		rate := float64(n) / max(time.Since(begin).Seconds(), 0.001)
		fmt.Fprintf(w, "\r[%s%s] %3.0f%%  %s / %s  %d devices  %.0f/s ",
			strings.Repeat("#", fill), strings.Repeat("-", width-fill), frac*100, size(s), size(total), n, rate)
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				draw()
				fmt.Fprintln(w)
				return
			case <-t.C:
				draw()
			}
		}
	}()
	return func() { close(done); <-finished }
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
}
