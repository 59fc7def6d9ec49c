// Package sqlstore implements the domain stores over one SQL layer that
// serves both SQLite and PostgreSQL (see package store).
package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/manifest"
	"github.com/whiteglove/whiteglove/internal/store"
)

// querier is what both a pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, q string, args ...any) (sql.Result, error)
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// Store is every domain store over one database.
type Store struct {
	db *store.DB
	reader
}

// New returns the stores over db.
func New(db *store.DB) *Store {
	return &Store{db: db, reader: reader{q: db, dialect: db.Dialect}}
}

// DB returns the underlying database.
func (s *Store) DB() *store.DB { return s.db }

// InTx runs fn in a directory transaction.
func (s *Store) InTx(ctx context.Context, fn func(directory.Tx) error) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return fn(&dirTx{reader: reader{q: tx, dialect: tx.Dialect}})
	})
}

// reader implements the read side over a pool or a transaction.
type reader struct {
	q       querier
	dialect store.Dialect
}

type dirTx struct{ reader }

// tsLayout is fixed-width so stored times sort and compare as text.
const tsLayout = "2006-01-02T15:04:05.000000000Z"

func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

// tsOrEmpty stores the zero time as "".
func tsOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

func parseTS(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func jsonList(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func parseList(s string) ([]string, error) {
	var v []string
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("decoding stored list %q: %w", s, err)
	}
	return v, nil
}

// notFound maps sql.ErrNoRows to the directory's ErrNotFound.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, directory.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", what, err)
	}
	return nil
}

// conflict maps unique violations to the directory's ErrConflict.
func conflict(err error, what string) error {
	if store.IsUniqueViolation(err) {
		return fmt.Errorf("%s: %w", what, directory.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	return nil
}

// mustAffect turns "no row updated" into ErrNotFound.
func mustAffect(res sql.Result, err error, what string) error {
	if err != nil {
		return conflict(err, what)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("writing %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, directory.ErrNotFound)
	}
	return nil
}

// The stores this package must satisfy.
var (
	_ directory.Store = (*Store)(nil)
	_ autopilot.Store = (*Store)(nil)
	_ autopilot.Tx    = (*dirTx)(nil)
)

// timeNow is the clock for marks stored by the database layer.
func timeNow() time.Time { return time.Now().UTC() }

var _ manifest.Store = (*Store)(nil)
