package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/directory"
)

const userCols = `id, upn, display_name, given_name, surname, mail, mail_nickname, department, job_title,
	usage_location, account_enabled, licensed, roles, password_hash, force_change_password, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

func scanUser(s scanner) (directory.User, error) {
	var u directory.User
	var roles, created, updated string
	err := s.Scan(&u.ID, &u.UPN, &u.DisplayName, &u.GivenName, &u.Surname, &u.Mail, &u.MailNickname, &u.Department,
		&u.JobTitle, &u.UsageLocation, &u.AccountEnabled, &u.Licensed, &roles, &u.PasswordHash, &u.ForceChangePassword, &created, &updated)
	if err != nil {
		return u, err
	}
	u.CreatedAt, u.UpdatedAt = parseTS(created), parseTS(updated)
	u.Roles, err = parseList(roles)
	return u, err
}

// User returns a user by object id.
func (r reader) User(ctx context.Context, id string) (directory.User, error) {
	u, err := scanUser(r.q.QueryRow(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", strings.ToLower(id)))
	return u, notFound(err, "user "+id)
}

// UserByUPN returns a user by UPN, case-insensitively.
func (r reader) UserByUPN(ctx context.Context, upn string) (directory.User, error) {
	u, err := scanUser(r.q.QueryRow(ctx, "SELECT "+userCols+" FROM users WHERE upn_key = ?", strings.ToLower(upn)))
	return u, notFound(err, "user "+upn)
}

// Users returns every user ordered by UPN.
func (r reader) Users(ctx context.Context) ([]directory.User, error) {
	var out []directory.User
	err := r.eachUser(ctx, "SELECT "+userCols+" FROM users ORDER BY upn_key", func(u directory.User) error {
		out = append(out, u)
		return nil
	})
	return out, err
}

func (r reader) eachUser(ctx context.Context, q string, fn func(directory.User) error) error {
	rows, err := r.q.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("listing users: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return fmt.Errorf("reading user row: %w", err)
		}
		if err := fn(u); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *dirTx) EachUser(ctx context.Context, fn func(directory.User) error) error {
	return t.eachUser(ctx, "SELECT "+userCols+" FROM users", fn)
}

func (t *dirTx) PutUser(ctx context.Context, u directory.User, create bool) error {
	args := []any{u.UPN, strings.ToLower(u.UPN), u.DisplayName, u.GivenName, u.Surname, u.Mail, u.MailNickname, u.Department,
		u.JobTitle, u.UsageLocation, u.AccountEnabled, u.Licensed, jsonList(u.Roles), u.PasswordHash, u.ForceChangePassword,
		ts(u.CreatedAt), ts(u.UpdatedAt), u.ID}
	var res sql.Result
	var err error
	if create {
		res, err = t.q.Exec(ctx, `INSERT INTO users (upn, upn_key, display_name, given_name, surname, mail, mail_nickname, department,
			job_title, usage_location, account_enabled, licensed, roles, password_hash, force_change_password, created_at, updated_at, id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	} else {
		res, err = t.q.Exec(ctx, `UPDATE users SET upn = ?, upn_key = ?, display_name = ?, given_name = ?, surname = ?, mail = ?,
			mail_nickname = ?, department = ?, job_title = ?, usage_location = ?, account_enabled = ?, licensed = ?, roles = ?,
			password_hash = ?, force_change_password = ?, created_at = ?, updated_at = ? WHERE id = ?`, args...)
	}
	return mustAffect(res, err, "user "+u.UPN)
}

func (t *dirTx) DeleteUser(ctx context.Context, id string) error {
	res, err := t.q.Exec(ctx, "DELETE FROM users WHERE id = ?", strings.ToLower(id))
	return mustAffect(res, err, "user "+id)
}
