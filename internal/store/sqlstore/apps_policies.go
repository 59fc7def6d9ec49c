package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
)

const policyCols = "id, kind, display_name, version, body, created_at, updated_at"

func scanPolicy(s scanner) (apps.Policy, error) {
	var p apps.Policy
	var kind, body, created, updated string
	if err := s.Scan(&p.ID, &kind, &p.DisplayName, &p.Version, &body, &created, &updated); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return p, fmt.Errorf("decoding stored policy %s: %w", p.ID, err)
	}
	p.Kind, p.CreatedAt, p.UpdatedAt = apps.PolicyKind(kind), parseTS(created), parseTS(updated)
	return p, nil
}

// Policy returns one policy with its assignments.
func (r catalogReader) Policy(ctx context.Context, id string) (apps.Policy, error) {
	p, err := scanPolicy(r.q.QueryRow(ctx, "SELECT "+policyCols+" FROM device_configurations WHERE id = ?", strings.ToLower(id)))
	if err := notFound(err, "policy "+id); err != nil {
		return apps.Policy{}, err
	}
	as, err := r.assignmentsOf(ctx, apps.ItemPolicy, p.ID)
	p.Assignments = as[p.ID]
	return p, err
}

// Policies returns every policy, oldest first, with assignments.
func (r catalogReader) Policies(ctx context.Context) ([]apps.Policy, error) {
	rows, err := r.q.Query(ctx, "SELECT "+policyCols+" FROM device_configurations ORDER BY created_at, id")
	if err != nil {
		return nil, fmt.Errorf("listing policies: %w", err)
	}
	defer rows.Close()
	var out []apps.Policy
	for rows.Next() {
		p, err := scanPolicy(rows)
		if err != nil {
			return nil, fmt.Errorf("reading policy row: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing policies: %w", err)
	}
	as, err := r.assignmentsOf(ctx, apps.ItemPolicy, "")
	for i := range out {
		out[i].Assignments = as[out[i].ID]
	}
	return out, err
}

// PutPolicy inserts or replaces a policy row.
func (t *catalogTx) PutPolicy(ctx context.Context, p apps.Policy, create bool) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encoding policy %s: %w", p.ID, err)
	}
	var res sql.Result
	if create {
		res, err = t.q.Exec(ctx, "INSERT INTO device_configurations ("+policyCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
			strings.ToLower(p.ID), string(p.Kind), p.DisplayName, p.Version, string(body), ts(p.CreatedAt), ts(p.UpdatedAt))
	} else {
		res, err = t.q.Exec(ctx, "UPDATE device_configurations SET kind = ?, display_name = ?, version = ?, body = ?, updated_at = ? WHERE id = ?",
			string(p.Kind), p.DisplayName, p.Version, string(body), ts(p.UpdatedAt), strings.ToLower(p.ID))
	}
	return mustAffect(res, err, "policy "+p.DisplayName)
}

// DeletePolicy removes a policy and its assignments.
func (t *catalogTx) DeletePolicy(ctx context.Context, id string) error {
	id = strings.ToLower(id)
	if err := t.ReplaceAssignments(ctx, apps.ItemPolicy, id, nil); err != nil {
		return err
	}
	res, err := t.q.Exec(ctx, "DELETE FROM device_configurations WHERE id = ?", id)
	return mustAffect(res, err, "policy "+id)
}

const scriptCols = `id, display_name, description, file_name, content, run_as_account, enforce_signature_check,
	run_as_32_bit, role_scope_tag_ids, created_at, updated_at`

func scanScript(s scanner) (apps.Script, error) {
	var sc apps.Script
	var content, tags, created, updated string
	err := s.Scan(&sc.ID, &sc.DisplayName, &sc.Description, &sc.FileName, &content, &sc.RunAsAccount,
		&sc.EnforceSignatureCheck, &sc.RunAs32Bit, &tags, &created, &updated)
	if err != nil {
		return sc, err
	}
	if sc.Content, err = base64.StdEncoding.DecodeString(content); err != nil {
		return sc, fmt.Errorf("decoding stored script %s: %w", sc.ID, err)
	}
	sc.CreatedAt, sc.UpdatedAt = parseTS(created), parseTS(updated)
	sc.RoleScopeTagIDs, err = parseList(tags)
	return sc, err
}

// Script returns one script with its assignments.
func (r catalogReader) Script(ctx context.Context, id string) (apps.Script, error) {
	sc, err := scanScript(r.q.QueryRow(ctx, "SELECT "+scriptCols+" FROM device_scripts WHERE id = ?", strings.ToLower(id)))
	if err := notFound(err, "script "+id); err != nil {
		return apps.Script{}, err
	}
	as, err := r.assignmentsOf(ctx, apps.ItemScript, sc.ID)
	sc.Assignments = as[sc.ID]
	return sc, err
}

// Scripts returns every script, oldest first, with assignments.
func (r catalogReader) Scripts(ctx context.Context) ([]apps.Script, error) {
	rows, err := r.q.Query(ctx, "SELECT "+scriptCols+" FROM device_scripts ORDER BY created_at, id")
	if err != nil {
		return nil, fmt.Errorf("listing scripts: %w", err)
	}
	defer rows.Close()
	var out []apps.Script
	for rows.Next() {
		sc, err := scanScript(rows)
		if err != nil {
			return nil, fmt.Errorf("reading script row: %w", err)
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing scripts: %w", err)
	}
	as, err := r.assignmentsOf(ctx, apps.ItemScript, "")
	for i := range out {
		out[i].Assignments = as[out[i].ID]
	}
	return out, err
}

// PutScript inserts or replaces a script row.
func (t *catalogTx) PutScript(ctx context.Context, sc apps.Script, create bool) error {
	args := []any{sc.DisplayName, sc.Description, sc.FileName, base64.StdEncoding.EncodeToString(sc.Content), sc.RunAsAccount,
		sc.EnforceSignatureCheck, sc.RunAs32Bit, jsonList(sc.RoleScopeTagIDs), ts(sc.UpdatedAt), strings.ToLower(sc.ID)}
	var res sql.Result
	var err error
	if create {
		res, err = t.q.Exec(ctx, `INSERT INTO device_scripts (display_name, description, file_name, content, run_as_account,
			enforce_signature_check, run_as_32_bit, role_scope_tag_ids, updated_at, id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, ts(sc.CreatedAt))...)
	} else {
		res, err = t.q.Exec(ctx, `UPDATE device_scripts SET display_name = ?, description = ?, file_name = ?, content = ?,
			run_as_account = ?, enforce_signature_check = ?, run_as_32_bit = ?, role_scope_tag_ids = ?, updated_at = ?
			WHERE id = ?`, args...)
	}
	return mustAffect(res, err, "script "+sc.DisplayName)
}

// DeleteScript removes a script and its assignments.
func (t *catalogTx) DeleteScript(ctx context.Context, id string) error {
	id = strings.ToLower(id)
	if err := t.ReplaceAssignments(ctx, apps.ItemScript, id, nil); err != nil {
		return err
	}
	res, err := t.q.Exec(ctx, "DELETE FROM device_scripts WHERE id = ?", id)
	return mustAffect(res, err, "script "+id)
}
