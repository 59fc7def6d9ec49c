// Package storetest opens fresh, isolated databases for tests: embedded
// SQLite in a temporary directory, and PostgreSQL in a new schema that is
// dropped when the test ends. PostgreSQL tests run when WHITEGLOVE_TEST_POSTGRES
// holds a DSN (CI always sets it) and are skipped otherwise.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/whiteglove/whiteglove/internal/store"
)

// PostgresEnv names the environment variable holding the test PostgreSQL DSN.
const PostgresEnv = "WHITEGLOVE_TEST_POSTGRES"

// Backends lists the backends a behaviour test must pass.
var Backends = []store.Dialect{store.SQLite, store.Postgres}

// Each runs fn once per backend as a subtest, each with its own fresh,
// migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Backends {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh migrated database of dialect d, closed (and for
// PostgreSQL dropped) at the end of the test.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	cfg := Config(t, d)
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("opening %s test database: %v", d, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Config returns the store configuration of a fresh, empty database of
// dialect d without opening it; the PostgreSQL schema is dropped at cleanup.
func Config(t testing.TB, d store.Dialect) store.Config {
	t.Helper()
	switch d {
	case store.SQLite:
		return store.Config{DataDir: t.TempDir()}
	case store.Postgres:
		dsn := os.Getenv(PostgresEnv)
		if dsn == "" {
			t.Skipf("%s is not set: PostgreSQL tests need a server (CI sets it)", PostgresEnv)
		}
		schema := "wgtest_" + randomHex(6)
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatalf("opening PostgreSQL: %v", err)
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatalf("creating schema %s: %v", schema, err)
		}
		t.Cleanup(func() {
			a, err := sql.Open("pgx", dsn)
			if err != nil {
				return
			}
			defer a.Close()
			_, _ = a.Exec("DROP SCHEMA " + schema + " CASCADE")
		})
		return store.Config{DSN: WithSchema(t, dsn, schema)}
	}
	t.Fatalf("unknown dialect %q", d)
	return store.Config{}
}

// WithSchema sets the search_path of a PostgreSQL DSN.
func WithSchema(t testing.TB, dsn, schema string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parsing %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
