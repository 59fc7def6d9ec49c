package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/whiteglove/whiteglove/internal/store"
)

// SigningKey is a stored token-signing key.
type SigningKey struct {
	KID        string
	PrivatePEM string
	CreatedAt  time.Time
}

// SigningKeys returns every stored signing key, newest first.
func (s *Store) SigningKeys(ctx context.Context) ([]SigningKey, error) {
	rows, err := s.db.Query(ctx, "SELECT kid, private_pem, created_at FROM signing_keys ORDER BY created_at DESC, kid")
	if err != nil {
		return nil, fmt.Errorf("listing signing keys: %w", err)
	}
	defer rows.Close()
	var out []SigningKey
	for rows.Next() {
		var k SigningKey
		var created string
		if err := rows.Scan(&k.KID, &k.PrivatePEM, &created); err != nil {
			return nil, fmt.Errorf("reading signing key: %w", err)
		}
		k.CreatedAt = parseTS(created)
		out = append(out, k)
	}
	return out, rows.Err()
}

// AddSigningKeyIfNone stores k unless a key exists already, and returns the
// keys now stored; replicas starting together end up with one key.
func (s *Store) AddSigningKeyIfNone(ctx context.Context, k SigningKey) ([]SigningKey, error) {
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if s.db.Dialect == store.Postgres {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(7142990002)"); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM signing_keys").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		_, err := tx.Exec(ctx, "INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (?, ?, ?)", k.KID, k.PrivatePEM, ts(k.CreatedAt))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storing signing key: %w", err)
	}
	return s.SigningKeys(ctx)
}

// ClaimOnce records that the one-time job name has been claimed; it
// returns true for exactly one caller across all replicas, ever.
func (s *Store) ClaimOnce(ctx context.Context, name string) (bool, error) {
	_, err := s.db.Exec(ctx, "INSERT INTO locks (name, version) VALUES (?, 0)", "once:"+name)
	if store.IsUniqueViolation(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claiming %s: %w", name, err)
	}
	return true, nil
}
