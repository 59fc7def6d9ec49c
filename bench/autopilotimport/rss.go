package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/csvimport"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// childFlag re-runs this binary as the child that streams a CSV file, so
// that its peak RSS is its own.
const childFlag = "-csv-rss-child"

// Child modes.
const (
	modeGen   = "gen"   // generate the file and discard it: the floor
	modeParse = "parse" // csvimport.Reader and hwhash.Decode on every row
	modeFull  = "full"  // autopilot.Service.ImportCSV into a temporary SQLite tenant
)

// childResult is what a child reports.
type childResult struct {
	rows    int
	hwmKB   int // peak RSS at the end
	startKB int // peak RSS before streaming: the binary and runtime
	elapsed time.Duration
}

// runChild streams rows through mode in a child process.
func runChild(ctx context.Context, mode string, rows int) (childResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return childResult{}, err
	}
	cmd := exec.CommandContext(ctx, exe, childFlag, "-mode", mode, "-rows", strconv.Itoa(rows))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return childResult{}, fmt.Errorf("CSV child (%s, %d rows): %w", mode, rows, err)
	}
	var r childResult
	var secs float64
	if _, err := fmt.Sscanf(string(bytes.TrimSpace(out)), "rows=%d vmhwm_kb=%d start_kb=%d seconds=%g", &r.rows, &r.hwmKB, &r.startKB, &secs); err != nil {
		return r, fmt.Errorf("CSV child (%s) printed %q: %w", mode, out, err)
	}
	if r.rows != rows {
		return r, fmt.Errorf("CSV child (%s) handled %d rows, want %d", mode, r.rows, rows)
	}
	r.elapsed = time.Duration(secs * float64(time.Second))
	return r, nil
}

// childMain is the child: it streams the file, then prints one line with
// the rows handled, its peak RSS (VmHWM) and the time taken.
func childMain(args []string) error {
	fs := flag.NewFlagSet("child", flag.ContinueOnError)
	mode := fs.String("mode", modeParse, "gen, parse or full")
	rows := fs.Int("rows", 1_000_000, "rows")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	startKB, err := vmHWM()
	if err != nil {
		return err
	}
	start := time.Now()
	src := csvPipe("RSS", *rows)
	defer src.Close()
	var n int
	switch *mode {
	case modeGen:
		var lc lineCounter
		_, err = io.Copy(&lc, src)
		n = int(lc) - 1 // the header
	case modeParse:
		n, err = parseAll(src)
	case modeFull:
		n, err = importAll(ctx, src, *rows)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		return err
	}
	hwm, err := vmHWM()
	if err != nil {
		return err
	}
	fmt.Printf("rows=%d vmhwm_kb=%d start_kb=%d seconds=%.3f\n", n, hwm, startKB, time.Since(start).Seconds())
	return nil
}

// parseAll reads every row and decodes its hash, as ImportCSV does before
// registering; a row that fails is an error.
func parseAll(r io.Reader) (int, error) {
	cr, err := csvimport.NewReader(r)
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("row %d: %w", n+1, err)
		}
		h, err := hwhash.Decode(row.HardwareHash)
		if err != nil {
			return n, fmt.Errorf("line %d: decoding the hash: %w", row.Line, err)
		}
		if h.SerialNumber != row.SerialNumber || h.Fingerprint() == "" {
			return n, fmt.Errorf("line %d: hash of %q decodes to serial %q", row.Line, row.SerialNumber, h.SerialNumber)
		}
		n++
		if n%100_000 == 0 {
			fmt.Fprintf(os.Stderr, "  RSS child: %d rows parsed\n", n)
		}
	}
}

// importAll registers every row through ImportCSV into a fresh temporary
// SQLite tenant with the dynamic group and profile.
func importAll(ctx context.Context, r io.Reader, rows int) (int, error) {
	t, err := newTenant(ctx, "")
	if err != nil {
		return 0, err
	}
	defer t.cleanup(ctx, "")
	n := 0
	sum, err := t.srv.Autopilot().ImportCSV(ctx, r, func(res autopilot.RowResult) error {
		if res.Result != autopilot.ResultImported {
			return fmt.Errorf("line %d: %s %s", res.Line, res.Result, res.Message)
		}
		if n++; n%100_000 == 0 {
			fmt.Fprintf(os.Stderr, "  RSS child: %d rows imported\n", n)
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if sum.Imported != rows {
		return n, fmt.Errorf("ImportCSV summary %+v, want %d imported", sum, rows)
	}
	return n, t.verify(ctx, rows, "full CSV import")
}

// lineCounter counts line feeds written to it (the text is ASCII, so a 0x0A
// byte is a line feed in UTF-16LE too).
type lineCounter int

func (c *lineCounter) Write(p []byte) (int, error) {
	*c += lineCounter(bytes.Count(p, []byte{'\n'}))
	return len(p), nil
}
