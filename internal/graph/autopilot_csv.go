package graph

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/autopilot/csvimport"
)

// MaxCSV bounds one uploaded CSV file (a million devices is about 4 GB of
// hashes in UTF-16; split larger files).
const MaxCSV = 8 << 30

// RegisterCSV adds POST /api/autopilot/csvImports: the body is a
// Get-WindowsAutopilotInfo CSV file (any encoding it is written in, gzip
// allowed); the answer streams one JSON line per device line as it is
// registered, then {"summary": …}. A file-level problem is a 400 before any
// line.
func (a *Autopilot) RegisterCSV(rt *Router) {
	rt.HandleVersions(API, "POST", "/autopilot/csvImports", apWrite, a.importCSV)
}

func (a *Autopilot) importCSV(w http.ResponseWriter, r *http.Request, _ Params) {
	// Read the upload while streaming results back.
	_ = http.NewResponseController(w).EnableFullDuplex()
	var body io.Reader = http.MaxBytesReader(w, r.Body, MaxCSV)
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(body)
		if err != nil {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "The request body is not valid gzip.")
			return
		}
		defer zr.Close()
		body = zr
	}
	out := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(out)
	started := false
	last := time.Now()
	emit := func(res autopilot.RowResult) error {
		if !started {
			w.Header().Set("Content-Type", "application/x-ndjson")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
			started = true
		}
		if err := enc.Encode(res); err != nil {
			return err
		}
		if time.Since(last) > 200*time.Millisecond {
			last = time.Now()
			if err := out.Flush(); err != nil {
				return err
			}
			_ = http.NewResponseController(w).Flush()
		}
		return nil
	}
	sum, err := a.ap.ImportCSV(r.Context(), body, emit)
	var fileErr *csvimport.FileError
	if !started {
		switch {
		case errors.As(err, &fileErr):
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "CSV file refused, nothing imported: "+fileErr.Msg)
			return
		case err != nil:
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				WriteError(w, r, http.StatusRequestEntityTooLarge, CodeTooLarge, "The CSV file is larger than the limit; split it.")
				return
			}
			writeServiceError(w, r, a.log, err)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.WriteHeader(http.StatusOK)
	}
	if err != nil {
		a.log.Error("CSV import stopped", "err", err, "rows", sum.Rows)
		_ = enc.Encode(map[string]any{"error": map[string]any{"message": "import stopped after " + itoa(sum.Rows) + " rows: " + err.Error()}})
	}
	_ = enc.Encode(map[string]any{"summary": sum})
	_ = out.Flush()
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
