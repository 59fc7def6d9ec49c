package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/store"
)

// Tenant returns the one tenant.
func (r reader) Tenant(ctx context.Context) (directory.Tenant, error) {
	var t directory.Tenant
	var created string
	err := r.q.QueryRow(ctx, `SELECT id, display_name, domain, sku_part_number, sku_id, seats, created_at
		FROM tenants ORDER BY created_at LIMIT 1`).Scan(&t.ID, &t.DisplayName, &t.Domain, &t.SkuPartNumber, &t.SkuID, &t.Seats, &created)
	if err := notFound(err, "tenant"); err != nil {
		return directory.Tenant{}, err
	}
	t.CreatedAt = parseTS(created)
	return t, nil
}

func (t *dirTx) PutTenant(ctx context.Context, tn directory.Tenant) error {
	_, err := t.q.Exec(ctx, `INSERT INTO tenants (id, display_name, domain, sku_part_number, sku_id, seats, rules_version, created_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?)`, tn.ID, tn.DisplayName, strings.ToLower(tn.Domain), tn.SkuPartNumber, tn.SkuID, tn.Seats, ts(tn.CreatedAt))
	return conflict(err, "tenant")
}

func (t *dirTx) LockRules(ctx context.Context, exclusive bool) (int64, error) {
	q := "SELECT version FROM locks WHERE name = 'rules'"
	if t.dialect == store.Postgres {
		if exclusive {
			q += " FOR UPDATE"
		} else {
			q += " FOR SHARE"
		}
	}
	var v int64
	if err := t.q.QueryRow(ctx, q).Scan(&v); err != nil {
		return 0, notFound(err, "tenant rules lock")
	}
	return v, nil
}

func (t *dirTx) BumpRulesVersion(ctx context.Context) (int64, error) {
	if _, err := t.q.Exec(ctx, "UPDATE locks SET version = version + 1 WHERE name = 'rules'"); err != nil {
		return 0, fmt.Errorf("bumping rules version: %w", err)
	}
	var v int64
	if err := t.q.QueryRow(ctx, "SELECT version FROM locks WHERE name = 'rules'").Scan(&v); err != nil {
		return 0, fmt.Errorf("reading rules version: %w", err)
	}
	return v, nil
}

// App returns a registered app by client id.
func (r reader) App(ctx context.Context, clientID string) (directory.App, error) {
	var a directory.App
	var roles, created string
	err := r.q.QueryRow(ctx, `SELECT id, client_id, display_name, secret_hash, roles, created_at FROM apps WHERE client_id = ?`,
		strings.ToLower(clientID)).Scan(&a.ID, &a.ClientID, &a.DisplayName, &a.SecretHash, &roles, &created)
	if err := notFound(err, "app "+clientID); err != nil {
		return directory.App{}, err
	}
	var perr error
	a.Roles, perr = parseList(roles)
	a.CreatedAt = parseTS(created)
	return a, perr
}

func (t *dirTx) PutApp(ctx context.Context, a directory.App) error {
	_, err := t.q.Exec(ctx, "DELETE FROM apps WHERE client_id = ?", strings.ToLower(a.ClientID))
	if err != nil {
		return fmt.Errorf("replacing app: %w", err)
	}
	_, err = t.q.Exec(ctx, `INSERT INTO apps (id, client_id, display_name, secret_hash, roles, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		a.ID, strings.ToLower(a.ClientID), a.DisplayName, a.SecretHash, jsonList(a.Roles), ts(a.CreatedAt))
	return conflict(err, "app")
}

func (t *dirTx) LockSeats(ctx context.Context) error {
	q := "SELECT seats FROM tenants"
	if t.dialect == store.Postgres {
		q += " FOR UPDATE"
	}
	var n int
	if err := t.q.QueryRow(ctx, q).Scan(&n); err != nil {
		return notFound(err, "tenant seats lock")
	}
	return nil
}

func (t *dirTx) LockObject(ctx context.Context, id string) (string, error) {
	lock := ""
	if t.dialect == store.Postgres {
		lock = " FOR SHARE"
	}
	var one int
	err := t.q.QueryRow(ctx, "SELECT 1 FROM users WHERE id = ?"+lock, strings.ToLower(id)).Scan(&one)
	if err == nil {
		return directory.MemberUser, nil
	}
	if nf := notFound(err, "user"); !errors.Is(nf, directory.ErrNotFound) {
		return "", nf
	}
	err = t.q.QueryRow(ctx, "SELECT 1 FROM devices WHERE id = ?"+lock, strings.ToLower(id)).Scan(&one)
	if err == nil {
		return directory.MemberDevice, nil
	}
	if nf := notFound(err, "device"); !errors.Is(nf, directory.ErrNotFound) {
		return "", nf
	}
	return "", fmt.Errorf("%w: no user or device with object id %s", directory.ErrNotFound, id)
}

// LicensedUsers counts users holding a licence.
func (r reader) LicensedUsers(ctx context.Context) (int, error) {
	var n int
	if err := r.q.QueryRow(ctx, "SELECT COUNT(*) FROM users WHERE licensed = ?", true).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting licensed users: %w", err)
	}
	return n, nil
}
