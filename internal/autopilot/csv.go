package autopilot

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/autopilot/csvimport"
)

// CSV row results.
const (
	ResultImported          = "imported"
	ResultDuplicate         = "duplicate"
	ResultAlreadyRegistered = "alreadyRegistered"
	ResultInvalidHash       = "invalidHash"
	ResultUnknownUser       = "unknownUser"
	ResultInvalidRow        = "invalidRow"
	ResultFailed            = "failed"
)

// RowResult is the outcome of one line of a CSV file.
type RowResult struct {
	Line         int    `json:"line"`
	SerialNumber string `json:"serialNumber,omitempty"`
	Result       string `json:"result"`
	ErrorName    string `json:"errorName,omitempty"` // deviceErrorName, or the CSV problem's code
	Message      string `json:"message,omitempty"`
	ZTDID        string `json:"ztdId,omitempty"`
}

// CSVSummary totals a CSV import.
type CSVSummary struct {
	Encoding string `json:"encoding"`
	Variant  string `json:"variant"`
	Rows     int    `json:"rows"`
	Imported int    `json:"imported"`
	Failed   int    `json:"failed"`
}

// csvBatch is how many rows are registered per transaction.
const csvBatch = 1000

// ImportCSV streams a Get-WindowsAutopilotInfo-style CSV file, registering
// its devices in batches, and calls emit with one result per device line,
// in file order. Memory stays bounded whatever the file's size. A file-level
// problem (no or unknown header) is returned as an error before any row.
func (s *Service) ImportCSV(ctx context.Context, r io.Reader, emit func(RowResult) error) (CSVSummary, error) {
	cr, err := csvimport.NewReader(r)
	if err != nil {
		return CSVSummary{}, fmt.Errorf("reading CSV: %w", err)
	}
	sum := CSVSummary{Encoding: cr.Encoding().String(), Variant: cr.Variant().String()}
	importID := uuid.NewString() // one import for the whole file: repeats are duplicates
	type pending struct {
		res RowResult
		idx int // index into reqs; -1 for a row error
	}
	var rows []pending
	var reqs []Import
	flush := func() error {
		done, err := s.ImportNow(ctx, importID, reqs)
		if err != nil {
			return err
		}
		for _, p := range rows {
			res := p.res
			if p.idx >= 0 {
				im := done[p.idx]
				res.Result, res.ErrorName, res.Message, res.ZTDID = resultOf(im), im.ErrorName, im.Message, im.RegistrationID
			}
			sum.Rows++
			if res.Result == ResultImported {
				sum.Imported++
			} else {
				sum.Failed++
			}
			if err := emit(res); err != nil {
				return err
			}
		}
		rows, reqs = rows[:0], reqs[:0]
		return nil
	}
	for {
		row, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var rowErr *csvimport.RowError
		switch {
		case errors.As(err, &rowErr):
			rows = append(rows, pending{res: RowResult{Line: rowErr.Line, Result: ResultInvalidRow, ErrorName: rowErr.Code, Message: rowErr.Msg}, idx: -1})
		case err != nil:
			return sum, fmt.Errorf("reading CSV: %w", err)
		default:
			rows = append(rows, pending{res: RowResult{Line: row.Line, SerialNumber: row.SerialNumber}, idx: len(reqs)})
			reqs = append(reqs, Import{SerialNumber: row.SerialNumber, ProductKey: row.ProductKey, HardwareHash: row.HardwareHash,
				GroupTag: row.GroupTag, AssignedUPN: row.AssignedUser})
		}
		if len(reqs) >= csvBatch || len(rows) >= 4*csvBatch {
			if err := flush(); err != nil {
				return sum, err
			}
		}
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
	}
	return sum, flush()
}

func resultOf(im Import) string {
	switch {
	case im.Status == ImportComplete:
		return ResultImported
	case im.ErrorName == ErrNameDuplicated:
		return ResultDuplicate
	case im.ErrorName == ErrNameAlreadyAssigned:
		return ResultAlreadyRegistered
	case im.ErrorName == ErrNameInvalidHash:
		return ResultInvalidHash
	case im.ErrorName == ErrNameUserNotFound:
		return ResultUnknownUser
	}
	return ResultFailed
}
