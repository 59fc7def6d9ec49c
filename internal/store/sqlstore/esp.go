package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/store"
)

// ESPStore implements esp.Store over the database.
type ESPStore struct {
	db *store.DB
	espReader
}

// ESP returns the ESP profile store over the same database.
func (s *Store) ESP() *ESPStore {
	return &ESPStore{db: s.db, espReader: espReader{q: s.db}}
}

// InTx runs fn in an ESP transaction.
func (s *ESPStore) InTx(ctx context.Context, fn func(esp.Tx) error) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return fn(&espTx{espReader: espReader{q: tx}, dialect: tx.Dialect})
	})
}

type espReader struct{ q querier }

type espTx struct {
	espReader
	dialect store.Dialect
}

const espCols = `id, is_default, display_name, description, priority, version, role_scope_tag_ids,
	show_installation_progress, block_device_setup_retry_by_user, allow_device_reset_on_install_failure,
	allow_log_collection_on_install_failure, custom_error_message, install_progress_timeout_minutes,
	allow_device_use_on_install_failure, selected_mobile_app_ids, allow_non_blocking_app_installation,
	install_quality_updates, track_install_progress_for_autopilot_only, disable_user_status_tracking_after_first_user,
	created_at, updated_at`

func scanESP(s scanner) (esp.Profile, error) {
	var p esp.Profile
	var tags, apps, created, updated string
	err := s.Scan(&p.ID, &p.Default, &p.DisplayName, &p.Description, &p.Priority, &p.Version, &tags,
		&p.ShowInstallationProgress, &p.BlockDeviceSetupRetryByUser, &p.AllowDeviceResetOnInstallFailure,
		&p.AllowLogCollectionOnInstallFailure, &p.CustomErrorMessage, &p.InstallProgressTimeoutInMinutes,
		&p.AllowDeviceUseOnInstallFailure, &apps, &p.AllowNonBlockingAppInstallation,
		&p.InstallQualityUpdates, &p.TrackInstallProgressForAutopilotOnly, &p.DisableUserStatusTrackingAfterFirstUser,
		&created, &updated)
	if err != nil {
		return p, err
	}
	p.CreatedAt, p.UpdatedAt = parseTS(created), parseTS(updated)
	if p.RoleScopeTagIDs, err = parseList(tags); err != nil {
		return p, err
	}
	p.SelectedMobileAppIDs, err = parseList(apps)
	return p, err
}

// espArgs are the values of every column but id, is_default, priority and
// created_at, in the order of the UPDATE below.
func espArgs(p esp.Profile) []any {
	return []any{p.DisplayName, p.Description, p.Version, jsonList(p.RoleScopeTagIDs),
		p.ShowInstallationProgress, p.BlockDeviceSetupRetryByUser, p.AllowDeviceResetOnInstallFailure,
		p.AllowLogCollectionOnInstallFailure, p.CustomErrorMessage, p.InstallProgressTimeoutInMinutes,
		p.AllowDeviceUseOnInstallFailure, jsonList(p.SelectedMobileAppIDs), p.AllowNonBlockingAppInstallation,
		p.InstallQualityUpdates, p.TrackInstallProgressForAutopilotOnly, p.DisableUserStatusTrackingAfterFirstUser,
		ts(p.UpdatedAt)}
}

// Profile returns one ESP profile by id, ignoring case.
func (r espReader) Profile(ctx context.Context, id string) (esp.Profile, error) {
	p, err := scanESP(r.q.QueryRow(ctx, "SELECT "+espCols+" FROM esp_profiles WHERE LOWER(id) = ?", strings.ToLower(id)))
	return p, notFound(err, "ESP profile "+id)
}

// DefaultProfile returns the default ESP profile.
func (r espReader) DefaultProfile(ctx context.Context) (esp.Profile, error) {
	p, err := scanESP(r.q.QueryRow(ctx, "SELECT "+espCols+" FROM esp_profiles WHERE is_default = ?", true))
	return p, notFound(err, "default ESP profile")
}

// Profiles returns every ESP profile by priority, the default last.
func (r espReader) Profiles(ctx context.Context) ([]esp.Profile, error) {
	rows, err := r.q.Query(ctx, "SELECT "+espCols+" FROM esp_profiles ORDER BY CASE WHEN is_default THEN 1 ELSE 0 END, priority")
	if err != nil {
		return nil, fmt.Errorf("listing ESP profiles: %w", err)
	}
	defer rows.Close()
	var out []esp.Profile
	for rows.Next() {
		p, err := scanESP(rows)
		if err != nil {
			return nil, fmt.Errorf("reading ESP profile row: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *espTx) Lock(ctx context.Context) error {
	if t.dialect != store.Postgres {
		return nil // SQLite write transactions begin IMMEDIATE: writers are serialized already
	}
	if _, err := t.q.Exec(ctx, "SELECT pg_advisory_xact_lock(7142990300)"); err != nil {
		return fmt.Errorf("locking ESP profiles: %w", err)
	}
	return nil
}

func (t *espTx) InsertProfile(ctx context.Context, p esp.Profile) error {
	args := append(espArgs(p), p.ID, p.Default, p.Priority, ts(p.CreatedAt))
	_, err := t.q.Exec(ctx, `INSERT INTO esp_profiles (display_name, description, version, role_scope_tag_ids,
		show_installation_progress, block_device_setup_retry_by_user, allow_device_reset_on_install_failure,
		allow_log_collection_on_install_failure, custom_error_message, install_progress_timeout_minutes,
		allow_device_use_on_install_failure, selected_mobile_app_ids, allow_non_blocking_app_installation,
		install_quality_updates, track_install_progress_for_autopilot_only, disable_user_status_tracking_after_first_user,
		updated_at, id, is_default, priority, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	return conflict(err, "ESP profile "+p.DisplayName)
}

func (t *espTx) UpdateProfile(ctx context.Context, p esp.Profile) error {
	res, err := t.q.Exec(ctx, `UPDATE esp_profiles SET display_name = ?, description = ?, version = ?, role_scope_tag_ids = ?,
		show_installation_progress = ?, block_device_setup_retry_by_user = ?, allow_device_reset_on_install_failure = ?,
		allow_log_collection_on_install_failure = ?, custom_error_message = ?, install_progress_timeout_minutes = ?,
		allow_device_use_on_install_failure = ?, selected_mobile_app_ids = ?, allow_non_blocking_app_installation = ?,
		install_quality_updates = ?, track_install_progress_for_autopilot_only = ?,
		disable_user_status_tracking_after_first_user = ?, updated_at = ?
		WHERE id = ?`, append(espArgs(p), p.ID)...)
	return mustAffect(res, err, "ESP profile "+p.ID)
}

func (t *espTx) DeleteProfile(ctx context.Context, id string) error {
	if _, err := t.q.Exec(ctx, "DELETE FROM esp_assignments WHERE profile_id = ?", id); err != nil {
		return fmt.Errorf("deleting assignments of ESP profile %s: %w", id, err)
	}
	res, err := t.q.Exec(ctx, "DELETE FROM esp_profiles WHERE id = ?", id)
	return mustAffect(res, err, "ESP profile "+id)
}

// SetPriorities writes the new priorities negated first, then flips them:
// unique indexes are checked row by row in both databases, so a direct
// rewrite of a permutation would trip over itself.
func (t *espTx) SetPriorities(ctx context.Context, prios map[string]int) error {
	if len(prios) == 0 {
		return nil
	}
	for id, n := range prios {
		res, err := t.q.Exec(ctx, "UPDATE esp_profiles SET priority = ? WHERE id = ? AND NOT is_default", -n, id)
		if err := mustAffect(res, err, "priority of ESP profile "+id); err != nil {
			return err
		}
	}
	if _, err := t.q.Exec(ctx, "UPDATE esp_profiles SET priority = -priority WHERE priority < 0"); err != nil {
		return conflict(err, "ESP profile priorities")
	}
	return nil
}

const espAssignmentCols = "profile_id, id, target_kind, group_id, collection_id, filter_id, filter_type"

// Assignments returns a profile's assignments in the order they were given;
// profileID is the stored id, matched exactly.
func (r espReader) Assignments(ctx context.Context, profileID string) ([]esp.Assignment, error) {
	all, err := r.assignments(ctx, "SELECT "+espAssignmentCols+" FROM esp_assignments WHERE profile_id = ? ORDER BY position", profileID)
	return all[profileID], err
}

// AllAssignments returns every ESP assignment keyed by profile id.
func (r espReader) AllAssignments(ctx context.Context) (map[string][]esp.Assignment, error) {
	return r.assignments(ctx, "SELECT "+espAssignmentCols+" FROM esp_assignments ORDER BY profile_id, position")
}

// assignments runs q and groups its rows by profile id.
func (r espReader) assignments(ctx context.Context, q string, args ...any) (map[string][]esp.Assignment, error) {
	rows, err := r.q.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing ESP assignments: %w", err)
	}
	defer rows.Close()
	out := map[string][]esp.Assignment{}
	for rows.Next() {
		var pid, kind string
		var a esp.Assignment
		if err := rows.Scan(&pid, &a.ID, &kind, &a.Target.GroupID, &a.Target.CollectionID, &a.Target.FilterID, &a.Target.FilterType); err != nil {
			return nil, fmt.Errorf("reading ESP assignment row: %w", err)
		}
		a.Target.Kind = assign.Kind(kind)
		out[pid] = append(out[pid], a)
	}
	return out, rows.Err()
}

func (t *espTx) ReplaceAssignments(ctx context.Context, profileID string, as []esp.Assignment) error {
	if _, err := t.q.Exec(ctx, "DELETE FROM esp_assignments WHERE profile_id = ?", profileID); err != nil {
		return fmt.Errorf("clearing assignments of ESP profile %s: %w", profileID, err)
	}
	for i, a := range as {
		tg := a.Target
		_, err := t.q.Exec(ctx, "INSERT INTO esp_assignments (position, "+espAssignmentCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			i, profileID, a.ID, string(tg.Kind), tg.GroupID, tg.CollectionID, tg.FilterID, tg.FilterType)
		if err != nil {
			return conflict(err, "assignment "+a.ID+" of ESP profile "+profileID)
		}
	}
	return nil
}
