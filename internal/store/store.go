// Package store opens whiteglove's database — embedded SQLite or PostgreSQL —
// applies the embedded migrations, and runs transactions. The SQL that each
// domain needs lives in package sqlstore; this package only knows connections,
// dialects and schema versions.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	_ "modernc.org/sqlite"             // pure-Go SQLite driver "sqlite"
)

// ErrNotFound is returned when the requested object does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would violate a uniqueness rule.
var ErrConflict = errors.New("conflict")

// Dialect names the SQL flavour of a database.
type Dialect string

// The dialects whiteglove speaks.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database with its dialect.
type DB struct {
	SQL     *sql.DB
	Dialect Dialect
}

// Config says which database to open. When DSN is empty an embedded SQLite
// database is created in DataDir.
type Config struct {
	DSN     string // postgres://… or postgresql://…; empty for SQLite
	DataDir string // directory for whiteglove.db when DSN is empty
}

// Open connects to the database described by cfg and applies pending
// migrations. It refuses a schema newer than this binary knows.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	db, err := connect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func connect(ctx context.Context, cfg Config) (*DB, error) {
	var db *DB
	switch {
	case strings.HasPrefix(cfg.DSN, "postgres://"), strings.HasPrefix(cfg.DSN, "postgresql://"):
		s, err := sql.Open("pgx", withCustomPlans(cfg.DSN))
		if err != nil {
			return nil, fmt.Errorf("opening PostgreSQL: %w", err)
		}
		s.SetMaxOpenConns(20)
		s.SetMaxIdleConns(10)
		s.SetConnMaxIdleTime(5 * time.Minute)
		db = &DB{SQL: s, Dialect: Postgres}
	case cfg.DSN == "":
		if cfg.DataDir == "" {
			return nil, errors.New("opening SQLite: no data directory given")
		}
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("creating data directory %s: %w", cfg.DataDir, err)
		}
		path := filepath.Join(cfg.DataDir, "whiteglove.db")
		q := url.Values{}
		q.Add("_pragma", "page_size(8192)") // new databases only: fewer overflow pages for hash rows
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "cache_size(-65536)")        // 64 MiB page cache: random-UUID indexes touch many pages
		q.Add("_pragma", "wal_autocheckpoint(10000)") // checkpoint every ~40 MB: hot index pages are written back once
		q.Set("_txlock", "immediate")
		s, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, fmt.Errorf("opening SQLite at %s: %w", path, err)
		}
		s.SetMaxOpenConns(8)
		db = &DB{SQL: s, Dialect: SQLite}
	default:
		return nil, fmt.Errorf("unsupported database %q: use postgres://… or leave it empty for embedded SQLite", redact(cfg.DSN))
	}
	if err := db.SQL.PingContext(ctx); err != nil {
		db.SQL.Close()
		return nil, fmt.Errorf("connecting to %s database %s: %w", db.Dialect, redact(cfg.DSN), err)
	}
	return db, nil
}

// Close closes the connection pool.
func (db *DB) Close() error { return db.SQL.Close() }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.SQL.PingContext(ctx) }

// Rebind rewrites '?' placeholders into the dialect's form ($1, $2, … for
// PostgreSQL). Queries in whiteglove are written with '?' and never contain a
// literal question mark.
func (db *DB) Rebind(q string) string { return Rebind(db.Dialect, q) }

// Rebind rewrites '?' placeholders for dialect d.
func Rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// withCustomPlans asks PostgreSQL to plan every statement for its actual
// parameters: bulk imports fill tables fast, and a generic plan cached while
// a table was small scans it whole once it is large.
func withCustomPlans(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Get("plan_cache_mode") == "" {
		q.Set("plan_cache_mode", "force_custom_plan")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// redact hides a password in a connection string so it can be logged.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable connection string)"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	for k := range q {
		if strings.EqualFold(k, "password") || strings.EqualFold(k, "sslpassword") {
			q.Set(k, "xxxxx")
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Redact hides a password in a connection string so it can be logged.
func Redact(dsn string) string { return redact(dsn) }
