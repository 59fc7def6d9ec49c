package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one forward-only schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// Migrations returns the embedded migrations in order. Versions must be
// contiguous from 1; a gap is a build error caught by the tests.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("reading embedded migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", e.Name(), err)
		}
		out = append(out, Migration{Version: v, Name: m[2], SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations are not contiguous: expected version %d, found %d (%s)", i+1, m.Version, m.Name)
		}
	}
	return out, nil
}

// SchemaTooNewError says the database was migrated by a newer whiteglove.
type SchemaTooNewError struct{ Database, Binary int }

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("the database schema is at version %d but this whiteglove only knows versions up to %d: "+
		"it was upgraded by a newer whiteglove; run that version (or newer) instead — downgrades are not supported", e.Database, e.Binary)
}

// Migrate applies every pending migration in one transaction. Concurrent
// starters (replicas) serialize on a lock, so each step runs exactly once.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := Migrations()
	if err != nil {
		return err
	}
	return db.migrate(ctx, ms)
}

func (db *DB) migrate(ctx context.Context, ms []Migration) error {
	return db.InTx(ctx, func(tx *Tx) error {
		if db.Dialect == Postgres {
			// One lock id for whiteglove's migrations; released at commit.
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(7142990001)"); err != nil {
				return fmt.Errorf("locking for migration: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("creating schema_migrations: %w", err)
		}
		var current int
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return fmt.Errorf("reading schema version: %w", err)
		}
		latest := 0
		if len(ms) > 0 {
			latest = ms[len(ms)-1].Version
		}
		if current > latest {
			return &SchemaTooNewError{Database: current, Binary: latest}
		}
		for _, m := range ms {
			if m.Version <= current {
				continue
			}
			for _, stmt := range splitStatements(m.SQL) {
				if _, err := tx.Exec(ctx, stmt); err != nil {
					return fmt.Errorf("applying migration %04d_%s: %w", m.Version, m.Name, err)
				}
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
				return fmt.Errorf("recording migration %04d: %w", m.Version, err)
			}
		}
		return nil
	})
}

// SchemaVersion returns the highest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("reading schema version: %w", err)
	}
	return v, nil
}

// splitStatements splits a migration on semicolons at line ends. Migrations
// hold no procedural code, so this is enough and works for both dialects.
func splitStatements(src string) []string {
	var out []string
	for _, part := range strings.Split(src, ";\n") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "--") {
				lines = append(lines, l)
			}
		}
		s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(strings.Join(lines, "\n")), ";"))
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
