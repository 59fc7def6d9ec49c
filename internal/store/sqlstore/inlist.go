package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// inList is "(?, ?, …)" with n placeholders (n ≥ 1).
func inList(n int) string { return "(?" + strings.Repeat(", ?", n-1) + ")" }

// args turns strings into query arguments, lower-cased when lower is set.
func args(ss []string, lower bool) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		if lower {
			s = strings.ToLower(s)
		}
		out[i] = s
	}
	return out
}

// eachBatch calls fn with consecutive slices of at most batch values, so an
// IN list stays under both databases' parameter limits.
func eachBatch(ss []string, fn func(part []string) error) error {
	for start := 0; start < len(ss); start += batch {
		if err := fn(ss[start:min(start+batch, len(ss))]); err != nil {
			return err
		}
	}
	return nil
}

// pairs runs a two-column string query and appends the second column to
// into under the first.
func (r reader) pairs(ctx context.Context, into map[string][]string, q string, qargs ...any) error {
	rows, err := r.q.Query(ctx, q, qargs...)
	if err != nil {
		return fmt.Errorf("querying: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		into[a] = append(into[a], b)
	}
	return rows.Err()
}
