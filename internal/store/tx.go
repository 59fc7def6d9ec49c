package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Tx is one database transaction. Queries use '?' placeholders.
type Tx struct {
	tx      *sql.Tx
	Dialect Dialect
}

// Exec runs a statement in the transaction.
func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, Rebind(t.Dialect, q), args...)
}

// Query runs a query in the transaction.
func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, Rebind(t.Dialect, q), args...)
}

// QueryRow runs a query that returns at most one row.
func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, Rebind(t.Dialect, q), args...)
}

// Prepare prepares a statement for repeated use inside the transaction.
func (t *Tx) Prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, Rebind(t.Dialect, q))
}

// Exec runs a statement outside any explicit transaction.
func (db *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.SQL.ExecContext(ctx, db.Rebind(q), args...)
}

// Query runs a read outside any explicit transaction.
func (db *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.SQL.QueryContext(ctx, db.Rebind(q), args...)
}

// QueryRow runs a read that returns at most one row.
func (db *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.SQL.QueryRowContext(ctx, db.Rebind(q), args...)
}

// InTx runs fn in a transaction and commits it when fn returns nil. A
// transaction that loses a serialization race or a deadlock is retried a few
// times; any other error rolls back and is returned as is.
func (db *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = db.tryTx(ctx, fn)
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt+1) * 20 * time.Millisecond):
		}
	}
	return err
}

func (db *DB) tryTx(ctx context.Context, fn func(*Tx) error) error {
	stx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("beginning transaction: %w", err)
	}
	t := &Tx{tx: stx, Dialect: db.Dialect}
	if err := fn(t); err != nil {
		_ = stx.Rollback()
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("committing transaction: %w", err)
	}
	return nil
}

// retryable reports whether err is a transient conflict worth retrying:
// PostgreSQL serialization failures and deadlocks, SQLite busy errors.
func retryable(err error) bool {
	if err == nil {
		return false
	}
	var sqlState interface{ SQLState() string }
	if errors.As(err, &sqlState) {
		switch sqlState.SQLState() {
		case "40001", "40P01":
			return true
		}
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// IsUniqueViolation reports whether err is a unique-constraint violation in
// either dialect.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var sqlState interface{ SQLState() string }
	if errors.As(err, &sqlState) && sqlState.SQLState() == "23505" {
		return true
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
