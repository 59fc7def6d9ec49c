package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
)

// Profile returns a deployment profile.
func (r reader) Profile(ctx context.Context, id string) (autopilot.Profile, error) {
	var body string
	err := r.q.QueryRow(ctx, "SELECT body FROM deployment_profiles WHERE id = ?", strings.ToLower(id)).Scan(&body)
	if err := notFound(err, "deployment profile "+id); err != nil {
		return autopilot.Profile{}, err
	}
	var p autopilot.Profile
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return p, fmt.Errorf("decoding stored profile %s: %w", id, err)
	}
	return p, nil
}

// Profiles lists every profile, oldest first.
func (r reader) Profiles(ctx context.Context) ([]autopilot.Profile, error) {
	rows, err := r.q.Query(ctx, "SELECT body FROM deployment_profiles ORDER BY created_at, id")
	if err != nil {
		return nil, fmt.Errorf("listing profiles: %w", err)
	}
	defer rows.Close()
	var out []autopilot.Profile
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var p autopilot.Profile
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			return nil, fmt.Errorf("decoding stored profile: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *dirTx) PutProfile(ctx context.Context, p autopilot.Profile, create bool) error {
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encoding profile: %w", err)
	}
	var res sql.Result
	if create {
		res, err = t.q.Exec(ctx, "INSERT INTO deployment_profiles (id, kind, display_name, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			strings.ToLower(p.ID), p.Kind, p.DisplayName, string(body), ts(p.CreatedAt), ts(p.UpdatedAt))
	} else {
		res, err = t.q.Exec(ctx, "UPDATE deployment_profiles SET kind = ?, display_name = ?, body = ?, updated_at = ? WHERE id = ?",
			p.Kind, p.DisplayName, string(body), ts(p.UpdatedAt), strings.ToLower(p.ID))
	}
	return mustAffect(res, err, "deployment profile "+p.DisplayName)
}

func (t *dirTx) DeleteProfile(ctx context.Context, id string) error {
	res, err := t.q.Exec(ctx, "DELETE FROM deployment_profiles WHERE id = ?", strings.ToLower(id))
	return mustAffect(res, err, "deployment profile "+id)
}

const paCols = "id, profile_id, target_kind, group_id, filter_id, filter_type, created_at"

func (r reader) assignments(ctx context.Context, q string, args ...any) ([]autopilot.ProfileAssignment, error) {
	rows, err := r.q.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing profile assignments: %w", err)
	}
	defer rows.Close()
	var out []autopilot.ProfileAssignment
	for rows.Next() {
		var a autopilot.ProfileAssignment
		var created string
		if err := rows.Scan(&a.ID, &a.ProfileID, &a.TargetKind, &a.GroupID, &a.FilterID, &a.FilterType, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = parseTS(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// ProfileAssignments lists one profile's assignments.
func (r reader) ProfileAssignments(ctx context.Context, profileID string) ([]autopilot.ProfileAssignment, error) {
	return r.assignments(ctx, "SELECT "+paCols+" FROM deployment_profile_assignments WHERE profile_id = ? ORDER BY created_at, id", strings.ToLower(profileID))
}

func (t *dirTx) AllProfileAssignments(ctx context.Context) ([]autopilot.ProfileAssignment, error) {
	return t.assignments(ctx, "SELECT "+paCols+" FROM deployment_profile_assignments ORDER BY created_at, id")
}

func (t *dirTx) PutProfileAssignment(ctx context.Context, a autopilot.ProfileAssignment) error {
	_, err := t.q.Exec(ctx, "INSERT INTO deployment_profile_assignments ("+paCols+") VALUES (?, ?, ?, ?, ?, ?, ?)",
		a.ID, strings.ToLower(a.ProfileID), a.TargetKind, strings.ToLower(a.GroupID), a.FilterID, a.FilterType, ts(a.CreatedAt))
	return conflict(err, "profile assignment "+a.ID)
}

func (t *dirTx) DeleteProfileAssignment(ctx context.Context, id string) error {
	res, err := t.q.Exec(ctx, "DELETE FROM deployment_profile_assignments WHERE id = ?", id)
	return mustAffect(res, err, "profile assignment "+id)
}

const settingsID = "windowsAutopilotSettings"

// AutopilotSettings returns the sync record; a fresh tenant has "unknown".
func (r reader) AutopilotSettings(ctx context.Context) (autopilot.Settings, error) {
	var s autopilot.Settings
	var last, manual string
	err := r.q.QueryRow(ctx, "SELECT last_sync_at, last_manual_sync_at, sync_status FROM autopilot_settings WHERE id = ?", settingsID).
		Scan(&last, &manual, &s.SyncStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return autopilot.Settings{SyncStatus: "unknown"}, nil
	}
	if err != nil {
		return s, fmt.Errorf("reading Autopilot settings: %w", err)
	}
	s.LastSyncAt, s.LastManualSyncAt = parseTS(last), parseTS(manual)
	return s, nil
}

func (t *dirTx) PutAutopilotSettings(ctx context.Context, s autopilot.Settings, leaseUntil time.Time) error {
	_, err := t.q.Exec(ctx, `INSERT INTO autopilot_settings (id, last_sync_at, last_manual_sync_at, sync_status, sync_lease_until)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_sync_at = excluded.last_sync_at,
		last_manual_sync_at = excluded.last_manual_sync_at, sync_status = excluded.sync_status, sync_lease_until = excluded.sync_lease_until`,
		settingsID, tsOrEmpty(s.LastSyncAt), tsOrEmpty(s.LastManualSyncAt), s.SyncStatus, tsOrEmpty(leaseUntil))
	if err != nil {
		return fmt.Errorf("writing Autopilot settings: %w", err)
	}
	return nil
}

func (t *dirTx) SyncLease(ctx context.Context) (time.Time, error) {
	// The row must exist to be locked: two first syncs must not both run.
	if _, err := t.q.Exec(ctx, "INSERT INTO autopilot_settings (id) VALUES (?) ON CONFLICT (id) DO NOTHING", settingsID); err != nil {
		return time.Time{}, fmt.Errorf("creating the Autopilot settings: %w", err)
	}
	var lease string
	q := "SELECT sync_lease_until FROM autopilot_settings WHERE id = ?"
	if t.dialect == "postgres" {
		q += " FOR UPDATE"
	}
	err := t.q.QueryRow(ctx, q, settingsID).Scan(&lease)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("reading sync lease: %w", err)
	}
	return parseTS(lease), nil
}
