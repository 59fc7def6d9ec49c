package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/store"
)

// CatalogStore implements apps.Store (apps, policies, scripts and their
// assignments) over the database.
type CatalogStore struct {
	db *store.DB
	catalogReader
}

// Catalog returns the app and policy catalog store over the same database.
func (s *Store) Catalog() *CatalogStore {
	return &CatalogStore{db: s.db, catalogReader: catalogReader{q: s.db, dialect: s.db.Dialect}}
}

// InTx runs fn in a catalog transaction.
func (s *CatalogStore) InTx(ctx context.Context, fn func(apps.Tx) error) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return fn(&catalogTx{catalogReader{q: tx, dialect: tx.Dialect}})
	})
}

// Snapshot reads the whole catalog in one read-only transaction that sees
// a single snapshot of the database: REPEATABLE READ on PostgreSQL, a
// deferred (WAL snapshot) transaction on SQLite. Writers are never blocked
// and the version always matches the rows read.
func (s *CatalogStore) Snapshot(ctx context.Context) (apps.Catalog, error) {
	// The SQLite driver ignores the isolation level (its transactions are
	// serializable) and begins read-only transactions deferred.
	tx, err := s.db.SQL.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return apps.Catalog{}, fmt.Errorf("reading a catalog snapshot: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // read-only: nothing to keep
	r := catalogReader{q: roTx{tx: tx, dialect: s.db.Dialect}, dialect: s.db.Dialect}
	var c apps.Catalog
	if c.Version, err = r.Version(ctx); err != nil {
		return apps.Catalog{}, fmt.Errorf("reading a catalog snapshot: %w", err)
	}
	if c.Apps, err = r.Apps(ctx); err != nil {
		return apps.Catalog{}, fmt.Errorf("reading a catalog snapshot: %w", err)
	}
	if c.Policies, err = r.Policies(ctx); err != nil {
		return apps.Catalog{}, fmt.Errorf("reading a catalog snapshot: %w", err)
	}
	if c.Scripts, err = r.Scripts(ctx); err != nil {
		return apps.Catalog{}, fmt.Errorf("reading a catalog snapshot: %w", err)
	}
	return c, nil
}

// roTx runs '?'-placeholder queries in a plain database/sql transaction.
type roTx struct {
	tx      *sql.Tx
	dialect store.Dialect
}

// Exec runs a statement in the transaction.
func (t roTx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, store.Rebind(t.dialect, q), args...)
}

// Query runs a query in the transaction.
func (t roTx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, store.Rebind(t.dialect, q), args...)
}

// QueryRow runs a query that returns at most one row.
func (t roTx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, store.Rebind(t.dialect, q), args...)
}

// catalogReader implements apps.Reader over a pool or a transaction.
type catalogReader struct {
	q       querier
	dialect store.Dialect
}

// catalogTx implements apps.Tx.
type catalogTx struct{ catalogReader }

// Version returns the catalog version.
func (r catalogReader) Version(ctx context.Context) (int64, error) {
	var v int64
	err := r.q.QueryRow(ctx, "SELECT version FROM locks WHERE name = 'catalog'").Scan(&v)
	return v, notFound(err, "catalog version")
}

// Bump increments the catalog version; the row lock it takes serializes
// catalog writers until the transaction ends.
func (t *catalogTx) Bump(ctx context.Context) (int64, error) {
	if _, err := t.q.Exec(ctx, "UPDATE locks SET version = version + 1 WHERE name = 'catalog'"); err != nil {
		return 0, fmt.Errorf("bumping the catalog version: %w", err)
	}
	v, err := t.Version(ctx)
	if err != nil {
		return 0, fmt.Errorf("bumping the catalog version: %w", err)
	}
	return v, nil
}

// The stores this file must satisfy.
var (
	_ apps.Store  = (*CatalogStore)(nil)
	_ apps.Tx     = (*catalogTx)(nil)
	_ apps.Groups = (*Store)(nil)
)
