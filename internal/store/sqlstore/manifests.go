package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/manifest"
	"github.com/whiteglove/whiteglove/internal/store"
)

// ManifestTx runs fn in a transaction for the manifest recomputer.
func (s *Store) ManifestTx(ctx context.Context, fn func(manifest.Tx) error) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return fn(&dirTx{reader: reader{q: tx, dialect: tx.Dialect}})
	})
}

// Manifest returns a device's stored manifest.
func (r reader) Manifest(ctx context.Context, deviceID string) (manifest.Manifest, error) {
	var body, computed string
	var m manifest.Manifest
	err := r.q.QueryRow(ctx, "SELECT device_id, version, digest, body, computed_at FROM device_manifests WHERE device_id = ?",
		strings.ToLower(deviceID)).Scan(&m.DeviceID, &m.Version, &m.Digest, &body, &computed)
	if err := notFound(err, "manifest of "+deviceID); err != nil {
		return manifest.Manifest{}, err
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		return manifest.Manifest{}, fmt.Errorf("decoding the manifest of %s: %w", deviceID, err)
	}
	m.ComputedAt = parseTS(computed)
	return m, nil
}

func (t *dirTx) LockState(ctx context.Context) (string, error) {
	q := "SELECT state_key FROM manifest_state WHERE id = 'all'"
	if t.dialect == store.Postgres {
		q += " FOR UPDATE"
	}
	var k string
	if err := t.q.QueryRow(ctx, q).Scan(&k); err != nil {
		return "", notFound(err, "manifest state")
	}
	return k, nil
}

func (t *dirTx) SetState(ctx context.Context, key string) error {
	if _, err := t.q.Exec(ctx, "UPDATE manifest_state SET state_key = ? WHERE id = 'all'", key); err != nil {
		return fmt.Errorf("recording the manifest state: %w", err)
	}
	return nil
}

func (t *dirTx) StoredManifests(ctx context.Context, ids []string) (map[string]manifest.Stored, error) {
	out := make(map[string]manifest.Stored, len(ids))
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		rows, err := t.q.Query(ctx, "SELECT device_id, version, digest FROM device_manifests WHERE device_id IN "+inList(len(part)), args(part, true)...)
		if err != nil {
			return nil, fmt.Errorf("reading stored manifests: %w", err)
		}
		for rows.Next() {
			var id string
			var s manifest.Stored
			if err := rows.Scan(&id, &s.Version, &s.Digest); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *dirTx) PutManifests(ctx context.Context, ms []manifest.Manifest) error {
	for start := 0; start < len(ms); start += 200 {
		part := ms[start:min(start+200, len(ms))]
		var b strings.Builder
		b.WriteString("INSERT INTO device_manifests (device_id, version, digest, body, computed_at) VALUES ")
		args := make([]any, 0, len(part)*5)
		for i, m := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			body := m.Body
			if body == nil {
				var err error
				if body, err = json.Marshal(struct {
					Phases   any `json:"phases"`
					Blocking any `json:"blocking"`
				}{m.Phases, m.Blocking}); err != nil {
					return fmt.Errorf("encoding a manifest: %w", err)
				}
			}
			b.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, strings.ToLower(m.DeviceID), m.Version, m.Digest, string(body), ts(m.ComputedAt))
		}
		b.WriteString(` ON CONFLICT (device_id) DO UPDATE SET version = excluded.version, digest = excluded.digest,
			body = excluded.body, computed_at = excluded.computed_at`)
		if _, err := t.q.Exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("storing %d manifests: %w", len(part), err)
		}
	}
	return nil
}

func (t *dirTx) DeleteManifests(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if _, err := t.q.Exec(ctx, "DELETE FROM device_manifests WHERE device_id = ?", strings.ToLower(id)); err != nil {
			return fmt.Errorf("deleting the manifest of %s: %w", id, err)
		}
	}
	return nil
}

func (t *dirTx) TakeDirty(ctx context.Context, limit int) ([]string, error) {
	lock := ""
	if t.dialect == store.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	keys, err := t.strings(ctx, "SELECT object_key FROM manifest_dirty ORDER BY marked_at, object_key LIMIT ?"+lock, limit)
	if err != nil {
		return nil, fmt.Errorf("reading dirty marks: %w", err)
	}
	for start := 0; start < len(keys); start += batch {
		part := keys[start:min(start+batch, len(keys))]
		if _, err := t.q.Exec(ctx, "DELETE FROM manifest_dirty WHERE object_key IN "+inList(len(part)), args(part, false)...); err != nil {
			return nil, fmt.Errorf("clearing dirty marks: %w", err)
		}
	}
	return keys, nil
}

// MarkManifestsDirty records objects whose change may move manifests, in
// the changing transaction.
func (t *dirTx) MarkManifestsDirty(ctx context.Context, keys []string) error {
	now := ts(timeNow())
	for start := 0; start < len(keys); start += batch {
		part := keys[start:min(start+batch, len(keys))]
		var b strings.Builder
		b.WriteString("INSERT INTO manifest_dirty (object_key, marked_at) VALUES ")
		args := make([]any, 0, len(part)*2)
		for i, k := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?)")
			args = append(args, strings.ToLower(k), now)
		}
		b.WriteString(" ON CONFLICT (object_key) DO NOTHING")
		if _, err := t.q.Exec(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("marking manifests dirty: %w", err)
		}
	}
	return nil
}

// AllMemberships maps every member to its groups.
func (r reader) AllMemberships(ctx context.Context) (map[string][]string, error) {
	rows, err := r.q.Query(ctx, "SELECT member_id, group_id FROM group_members")
	if err != nil {
		return nil, fmt.Errorf("reading memberships: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var m, g string
		if err := rows.Scan(&m, &g); err != nil {
			return nil, err
		}
		out[m] = append(out[m], g)
	}
	return out, rows.Err()
}

// MembershipsOf maps each of these objects to its groups, in batched queries.
func (r reader) MembershipsOf(ctx context.Context, ids []string) (map[string][]string, error) {
	out := make(map[string][]string, len(ids))
	err := eachBatch(ids, func(part []string) error {
		return r.pairs(ctx, out, "SELECT member_id, group_id FROM group_members WHERE member_id IN "+inList(len(part)), args(part, true)...)
	})
	if err != nil {
		return nil, fmt.Errorf("reading memberships: %w", err)
	}
	return out, nil
}

// AutopilotDevicesForEntra returns the identities anchored on one Entra object.
func (r reader) AutopilotDevicesForEntra(ctx context.Context, entraObjectID string) ([]autopilot.Device, error) {
	var out []autopilot.Device
	err := r.eachAP(ctx, "SELECT "+apListCols+" FROM autopilot_devices WHERE entra_object_id = ?", []any{strings.ToLower(entraObjectID)},
		func(d autopilot.Device) error { out = append(out, d); return nil })
	return out, err
}

// AutopilotDevicesForUser returns the identities assigned to a user.
func (r reader) AutopilotDevicesForUser(ctx context.Context, upn string) ([]autopilot.Device, error) {
	var out []autopilot.Device
	err := r.eachAP(ctx, "SELECT "+apListCols+" FROM autopilot_devices WHERE LOWER(user_principal_name) = ?", []any{strings.ToLower(upn)},
		func(d autopilot.Device) error { out = append(out, d); return nil })
	return out, err
}
