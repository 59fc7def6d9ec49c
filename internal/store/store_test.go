package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func TestMigrationsContiguous(t *testing.T) {
	ms, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("no embedded migrations")
	}
}

func TestMigrateIdempotentAndRefusesNewerSchema(t *testing.T) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.Config(t, d)
			db, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			ms, _ := store.Migrations()
			v, err := db.SchemaVersion(ctx)
			if err != nil || v != len(ms) {
				t.Fatalf("schema version = %d, %v; want %d", v, err, len(ms))
			}
			// A second start applies nothing and succeeds.
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("second migrate: %v", err)
			}
			// A newer whiteglove recorded a version this binary does not know.
			if _, err := db.Exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				len(ms)+1, "from_the_future", "2030-01-01T00:00:00Z"); err != nil {
				t.Fatal(err)
			}
			db.Close()
			_, err = store.Open(ctx, cfg)
			var tooNew *store.SchemaTooNewError
			if !errors.As(err, &tooNew) || tooNew.Database != len(ms)+1 || tooNew.Binary != len(ms) {
				t.Fatalf("open on newer schema: got %v, want SchemaTooNewError", err)
			}
		})
	}
}

func TestInTxRollsBackOnError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (?, ?, ?)", "k1", "pem", "t"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v, want boom", err)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM signing_keys").Scan(&n); err != nil || n != 0 {
			t.Fatalf("rows after rollback = %d, %v; want 0", n, err)
		}
	})
}

func TestUniqueViolationDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ins := "INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (?, ?, ?)"
		if _, err := db.Exec(ctx, ins, "k", "p", "t"); err != nil {
			t.Fatal(err)
		}
		_, err := db.Exec(ctx, ins, "k", "p", "t")
		if !store.IsUniqueViolation(err) {
			t.Fatalf("duplicate insert error %v not recognised as a unique violation", err)
		}
	})
}

func TestRebind(t *testing.T) {
	cases := []struct {
		d       store.Dialect
		in, out string
	}{
		{store.SQLite, "a = ? AND b = ?", "a = ? AND b = ?"},
		{store.Postgres, "a = ? AND b = ?", "a = $1 AND b = $2"},
		{store.Postgres, "no params", "no params"},
	}
	for _, c := range cases {
		if got := store.Rebind(c.d, c.in); got != c.out {
			t.Errorf("Rebind(%s, %q) = %q, want %q", c.d, c.in, got, c.out)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db":                     "postgres://u:xxxxx@h:5432/db",
		"postgres://u@h/db?password=secret&sslmode=disable": "postgres://u@h/db?password=xxxxx&sslmode=disable",
		"postgres://u@h/db?sslmode=disable":                 "postgres://u@h/db?sslmode=disable",
	} {
		if got := store.Redact(in); got != want || strings.Contains(got, "secret") {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
