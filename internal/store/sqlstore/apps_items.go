package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
)

const mobileAppCols = "id, kind, odata_type, display_name, content_sha256, size, body, created_at, updated_at"

// scanMobileApp reads one mobile_apps row; the body holds every property
// that has no column of its own.
func scanMobileApp(s scanner) (apps.App, error) {
	var a apps.App
	var kind, body, created, updated string
	if err := s.Scan(&a.ID, &kind, &a.ODataType, &a.DisplayName, &a.ContentSHA256, &a.Size, &body, &created, &updated); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		return a, fmt.Errorf("decoding stored app %s: %w", a.ID, err)
	}
	a.Kind, a.CreatedAt, a.UpdatedAt = apps.Kind(kind), parseTS(created), parseTS(updated)
	return a, nil
}

// App returns one app with its dependencies and assignments.
func (r catalogReader) App(ctx context.Context, id string) (apps.App, error) {
	a, err := scanMobileApp(r.q.QueryRow(ctx, "SELECT "+mobileAppCols+" FROM mobile_apps WHERE id = ?", strings.ToLower(id)))
	if err := notFound(err, "app "+id); err != nil {
		return apps.App{}, err
	}
	deps, err := r.dependencies(ctx, "WHERE app_id = ?", a.ID)
	if err != nil {
		return apps.App{}, err
	}
	as, err := r.appAssignments(ctx, a.ID)
	if err != nil {
		return apps.App{}, err
	}
	a.Dependencies, a.Assignments = deps[a.ID], as[a.ID]
	return a, nil
}

// Apps returns every app, oldest first, with dependencies and assignments.
func (r catalogReader) Apps(ctx context.Context) ([]apps.App, error) {
	rows, err := r.q.Query(ctx, "SELECT "+mobileAppCols+" FROM mobile_apps ORDER BY created_at, id")
	if err != nil {
		return nil, fmt.Errorf("listing apps: %w", err)
	}
	defer rows.Close()
	var out []apps.App
	for rows.Next() {
		a, err := scanMobileApp(rows)
		if err != nil {
			return nil, fmt.Errorf("reading app row: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing apps: %w", err)
	}
	deps, err := r.dependencies(ctx, "")
	if err != nil {
		return nil, err
	}
	as, err := r.appAssignments(ctx, "")
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Dependencies, out[i].Assignments = deps[out[i].ID], as[out[i].ID]
	}
	return out, nil
}

// Dependencies returns every app's dependencies keyed by app id.
func (r catalogReader) Dependencies(ctx context.Context) (map[string][]string, error) {
	return r.dependencies(ctx, "")
}

// dependencies runs the dependency query with an optional WHERE clause.
func (r catalogReader) dependencies(ctx context.Context, where string, args ...any) (map[string][]string, error) {
	rows, err := r.q.Query(ctx, "SELECT app_id, depends_on_id FROM mobile_app_dependencies "+where+" ORDER BY app_id, position", args...)
	if err != nil {
		return nil, fmt.Errorf("listing app dependencies: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, fmt.Errorf("reading app dependency row: %w", err)
		}
		out[from] = append(out[from], to)
	}
	return out, rows.Err()
}

// PutApp inserts or replaces an app row; dependencies and assignments are left alone.
func (t *catalogTx) PutApp(ctx context.Context, a apps.App, create bool) error {
	body, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encoding app %s: %w", a.ID, err)
	}
	var res sql.Result
	if create {
		res, err = t.q.Exec(ctx, "INSERT INTO mobile_apps ("+mobileAppCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			strings.ToLower(a.ID), string(a.Kind), a.ODataType, a.DisplayName, a.ContentSHA256, a.Size, string(body), ts(a.CreatedAt), ts(a.UpdatedAt))
	} else {
		res, err = t.q.Exec(ctx, `UPDATE mobile_apps SET kind = ?, odata_type = ?, display_name = ?, content_sha256 = ?, size = ?, body = ?, updated_at = ?
			WHERE id = ?`, string(a.Kind), a.ODataType, a.DisplayName, a.ContentSHA256, a.Size, string(body), ts(a.UpdatedAt), strings.ToLower(a.ID))
	}
	return mustAffect(res, err, "app "+a.DisplayName)
}

// DeleteApp removes an app with its dependencies and assignments.
func (t *catalogTx) DeleteApp(ctx context.Context, id string) error {
	id = strings.ToLower(id)
	if _, err := t.q.Exec(ctx, "DELETE FROM mobile_app_dependencies WHERE app_id = ?", id); err != nil {
		return fmt.Errorf("deleting dependencies of app %s: %w", id, err)
	}
	if err := t.ReplaceAppAssignments(ctx, id, nil); err != nil {
		return err
	}
	res, err := t.q.Exec(ctx, "DELETE FROM mobile_apps WHERE id = ?", id)
	return mustAffect(res, err, "app "+id)
}

// SetDependencies replaces an app's dependencies, kept in order.
func (t *catalogTx) SetDependencies(ctx context.Context, appID string, deps []string) error {
	appID = strings.ToLower(appID)
	if _, err := t.q.Exec(ctx, "DELETE FROM mobile_app_dependencies WHERE app_id = ?", appID); err != nil {
		return fmt.Errorf("clearing dependencies of app %s: %w", appID, err)
	}
	for i, d := range deps {
		_, err := t.q.Exec(ctx, "INSERT INTO mobile_app_dependencies (app_id, depends_on_id, position) VALUES (?, ?, ?)", appID, strings.ToLower(d), i)
		if err != nil {
			return conflict(err, "dependency of app "+appID+" on "+d)
		}
	}
	return nil
}
