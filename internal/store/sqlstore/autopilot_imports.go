package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/store"
)

const impCols = `id, import_id, seq, serial_number, product_key, group_tag, assigned_upn, hardware_hash, status,
	registration_id, error_code, error_name, created_at, completed_at`

func scanImport(s scanner) (autopilot.Import, error) {
	var im autopilot.Import
	var created, completed string
	err := s.Scan(&im.ID, &im.ImportID, &im.Seq, &im.SerialNumber, &im.ProductKey, &im.GroupTag, &im.AssignedUPN, &im.HardwareHash,
		&im.Status, &im.RegistrationID, &im.ErrorCode, &im.ErrorName, &created, &completed)
	im.CreatedAt, im.CompletedAt = parseTS(created), parseTS(completed)
	return im, err
}

// Import returns one import request.
func (r reader) Import(ctx context.Context, id string) (autopilot.Import, error) {
	im, err := scanImport(r.q.QueryRow(ctx, "SELECT "+impCols+" FROM autopilot_imports WHERE id = ?", strings.ToLower(id)))
	return im, notFound(err, "imported device "+id)
}

// Imports lists every import request in submission order.
func (r reader) Imports(ctx context.Context) ([]autopilot.Import, error) {
	rows, err := r.q.Query(ctx, "SELECT "+impCols+" FROM autopilot_imports ORDER BY created_at, import_id, seq")
	if err != nil {
		return nil, fmt.Errorf("listing imports: %w", err)
	}
	defer rows.Close()
	var out []autopilot.Import
	for rows.Next() {
		im, err := scanImport(rows)
		if err != nil {
			return nil, fmt.Errorf("reading import: %w", err)
		}
		out = append(out, im)
	}
	return out, rows.Err()
}

func (t *dirTx) PutImports(ctx context.Context, is []autopilot.Import, leaseOwner string, leaseUntil time.Time) error {
	for start := 0; start < len(is); start += 500 {
		part := is[start:min(start+500, len(is))]
		var b, h strings.Builder
		b.WriteString("INSERT INTO autopilot_imports (" + impCols + ", lease_owner, lease_until) VALUES ")
		h.WriteString("INSERT INTO autopilot_import_hashes (id, hardware_hash) VALUES ")
		args := make([]any, 0, len(part)*16)
		var hargs []any
		for i, im := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, im.ID, im.ImportID, im.Seq, im.SerialNumber, im.ProductKey, im.GroupTag, im.AssignedUPN, "",
				im.Status, im.RegistrationID, im.ErrorCode, im.ErrorName, ts(im.CreatedAt), tsOrEmpty(im.CompletedAt), leaseOwner, tsOrEmpty(leaseUntil))
			if im.HardwareHash != "" {
				if len(hargs) > 0 {
					h.WriteString(", ")
				}
				h.WriteString("(?, ?)")
				hargs = append(hargs, im.ID, im.HardwareHash)
			}
		}
		if _, err := t.q.Exec(ctx, b.String(), args...); err != nil {
			return conflict(err, "imports")
		}
		if len(hargs) > 0 {
			if _, err := t.q.Exec(ctx, h.String(), hargs...); err != nil {
				return conflict(err, "import hashes")
			}
		}
	}
	return nil
}

func (t *dirTx) ClaimImports(ctx context.Context, owner string, now, until time.Time, limit int) ([]autopilot.Import, error) {
	lock := ""
	if t.dialect == store.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	q := `UPDATE autopilot_imports SET lease_owner = ?, lease_until = ? WHERE id IN (
		SELECT id FROM autopilot_imports WHERE status = ? AND lease_until < ? ORDER BY created_at, import_id, seq LIMIT ?` + lock + `)
		RETURNING ` + impCols
	rows, err := t.q.Query(ctx, q, owner, ts(until), autopilot.ImportUnknown, ts(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claiming imports: %w", err)
	}
	defer rows.Close()
	var out []autopilot.Import
	for rows.Next() {
		im, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, im)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := t.loadHashes(ctx, out); err != nil {
		return nil, err
	}
	// RETURNING gives no order; process in submission order.
	sortImports(out)
	return out, nil
}

// loadHashes fills in the pending hashes of claimed imports.
func (t *dirTx) loadHashes(ctx context.Context, is []autopilot.Import) error {
	idx := make(map[string]int, len(is))
	for i, im := range is {
		idx[im.ID] = i
	}
	for start := 0; start < len(is); start += batch {
		part := is[start:min(start+batch, len(is))]
		ids := make([]any, len(part))
		for i, im := range part {
			ids[i] = im.ID
		}
		rows, err := t.q.Query(ctx, "SELECT id, hardware_hash FROM autopilot_import_hashes WHERE id IN "+inList(len(part)), ids...)
		if err != nil {
			return fmt.Errorf("reading pending hashes: %w", err)
		}
		for rows.Next() {
			var id, h string
			if err := rows.Scan(&id, &h); err != nil {
				rows.Close()
				return err
			}
			is[idx[id]].HardwareHash = h
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func sortImports(is []autopilot.Import) {
	less := func(a, b autopilot.Import) bool {
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		if a.ImportID != b.ImportID {
			return a.ImportID < b.ImportID
		}
		return a.Seq < b.Seq
	}
	for i := 1; i < len(is); i++ {
		for j := i; j > 0 && less(is[j], is[j-1]); j-- {
			is[j], is[j-1] = is[j-1], is[j]
		}
	}
}

func (t *dirTx) FinishImports(ctx context.Context, owner string, is []autopilot.Import) error {
	// One statement per 200 rows: UPDATE … FROM (VALUES …) works in both
	// SQLite (3.33+) and PostgreSQL; VALUES columns are column1, column2, ….
	for start := 0; start < len(is); start += 200 {
		part := is[start:min(start+200, len(is))]
		var b strings.Builder
		b.WriteString(`UPDATE autopilot_imports SET status = v.column2, registration_id = v.column3, error_code = CAST(v.column4 AS INTEGER),
			error_name = v.column5, completed_at = v.column6, lease_owner = '', lease_until = ''
			FROM (VALUES `)
		args := make([]any, 0, len(part)*6+1)
		for i, im := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?)")
			args = append(args, im.ID, im.Status, im.RegistrationID, fmt.Sprint(im.ErrorCode), im.ErrorName, tsOrEmpty(im.CompletedAt))
		}
		b.WriteString(") AS v WHERE autopilot_imports.id = v.column1 AND autopilot_imports.lease_owner = ?")
		args = append(args, owner)
		res, err := t.q.Exec(ctx, b.String(), args...)
		if err != nil {
			return fmt.Errorf("recording outcomes of %d imports: %w", len(part), err)
		}
		// A lease that expired meanwhile belongs to another processor now:
		// fail, so this transaction (and the devices it registered) rolls back.
		if n, err := res.RowsAffected(); err != nil || n != int64(len(part)) {
			return fmt.Errorf("recording outcomes of %d imports: only %d are still leased to this processor: %w", len(part), n, autopilot.ErrLeaseLost)
		}
		ids := make([]any, len(part))
		for i, im := range part {
			ids[i] = im.ID
		}
		if _, err := t.q.Exec(ctx, "DELETE FROM autopilot_import_hashes WHERE id IN "+inList(len(part)), ids...); err != nil {
			return fmt.Errorf("dropping hashes of finished imports: %w", err)
		}
	}
	return nil
}

func (t *dirTx) DeleteImport(ctx context.Context, id string) error {
	if _, err := t.q.Exec(ctx, "DELETE FROM autopilot_import_hashes WHERE id = ?", strings.ToLower(id)); err != nil {
		return fmt.Errorf("deleting the hash of import %s: %w", id, err)
	}
	res, err := t.q.Exec(ctx, "DELETE FROM autopilot_imports WHERE id = ?", strings.ToLower(id))
	return mustAffect(res, err, "imported device "+id)
}
