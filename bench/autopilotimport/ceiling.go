package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
	"github.com/whiteglove/whiteglove/internal/store"
)

// rawCols is the column count of autopilot_devices (its 32 columns and
// serial_key).
const rawCols = 33

// rawRow is one row shaped like an autopilot_devices row: the same column
// count and value sizes, with a real 4,000-character hash.
func rawRow(i int) []any {
	s := serial("RAW", i)
	fp := sha256.Sum256([]byte(s))
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000000000Z")
	return []any{uuid.NewString(), hex.EncodeToString(fp[:]), s, "Contoso", "Book 14", "", "", "", "Bench",
		"", "", "", "", "", "", "", "", uuid.NewString(), uuid.NewString(), "", "notContacted", "",
		aptest.Hash(s), uuid.NewString(), "", uuid.NewString(), "assignedInSync", now, "noRemediationRequired", "allowed", now, now,
		strings.ToLower(s)}
}

// ceiling inserts n such rows into a plain table (a text primary key, no
// other index) with multi-row INSERTs of 200 rows in transactions of 1,000,
// and returns rows/s. Building the rows is not timed. The table is dropped
// afterwards (and a SQLite file vacuumed), leaving the database as it was.
func ceiling(ctx context.Context, db *store.DB, n int) (float64, error) {
	cols := make([]string, rawCols)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d TEXT NOT NULL", i)
	}
	cols[0] += " PRIMARY KEY"
	if _, err := db.Exec(ctx, "DROP TABLE IF EXISTS bench_raw"); err != nil {
		return 0, err
	}
	if _, err := db.Exec(ctx, "CREATE TABLE bench_raw ("+strings.Join(cols, ", ")+")"); err != nil {
		return 0, fmt.Errorf("creating the ceiling table: %w", err)
	}
	defer func() {
		ctx := context.WithoutCancel(ctx)
		_, _ = db.Exec(ctx, "DROP TABLE IF EXISTS bench_raw")
		if db.Dialect == store.SQLite {
			_, _ = db.Exec(ctx, "VACUUM")
		}
	}()
	row := "(?" + strings.Repeat(", ?", rawCols-1) + ")"
	var timed time.Duration
	for first := 0; first < n; first += 1000 {
		var stmts []string
		var args [][]any
		for s := first; s < min(first+1000, n); s += 200 {
			count := min(200, n-s)
			a := make([]any, 0, count*rawCols)
			for i := range count {
				a = append(a, rawRow(s+i)...)
			}
			stmts = append(stmts, "INSERT INTO bench_raw VALUES "+row+strings.Repeat(", "+row, count-1))
			args = append(args, a)
		}
		start := time.Now()
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for i, q := range stmts {
				if _, err := tx.Exec(ctx, q, args[i]...); err != nil {
					return err
				}
			}
			return nil
		})
		timed += time.Since(start)
		if err != nil {
			return 0, fmt.Errorf("ceiling insert: %w", err)
		}
	}
	var got int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM bench_raw").Scan(&got); err != nil || got != n {
		return 0, fmt.Errorf("ceiling table holds %d rows, want %d (%v)", got, n, err)
	}
	return float64(n) / timed.Seconds(), nil
}
