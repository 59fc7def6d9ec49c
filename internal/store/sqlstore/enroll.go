package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/enroll"
	"github.com/whiteglove/whiteglove/internal/store"
)

// EnrollTx runs fn in a transaction for enrollment and sessions.
func (s *Store) EnrollTx(ctx context.Context, fn func(enroll.Tx) error) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return fn(&dirTx{reader: reader{q: tx, dialect: tx.Dialect}})
	})
}

// forUpdate locks the rows read on PostgreSQL (SQLite transactions hold
// the database's write lock from their start).
func (r reader) forUpdate() string {
	if r.dialect == store.Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// Secret returns stored key material.
func (r reader) Secret(ctx context.Context, id string) (string, string, error) {
	var pub, priv string
	err := r.q.QueryRow(ctx, "SELECT public_pem, private_pem FROM device_secrets WHERE id = ?", id).Scan(&pub, &priv)
	return pub, priv, notFound(err, "device secret "+id)
}

func (t *dirTx) PutSecretIfAbsent(ctx context.Context, id, public, private string, at time.Time) error {
	_, err := t.q.Exec(ctx, "INSERT INTO device_secrets (id, public_pem, private_pem, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
		id, public, private, ts(at))
	if err != nil {
		return fmt.Errorf("storing device secret %s: %w", id, err)
	}
	return nil
}

// AutopilotDeviceByFingerprint returns the device with this hardware fingerprint.
func (r reader) AutopilotDeviceByFingerprint(ctx context.Context, fp string) (autopilot.Device, error) {
	d, err := scanAP(r.q.QueryRow(ctx, "SELECT "+apCols+" FROM autopilot_devices WHERE fingerprint = ?", fp))
	return d, notFound(err, "Autopilot device by hardware hash")
}

func (t *dirTx) PutChallenge(ctx context.Context, c enroll.Challenge) error {
	os, _ := json.Marshal(c.OS)
	_, err := t.q.Exec(ctx, `INSERT INTO attest_challenges (id, device_id, secret_sha256, ek_fingerprint, tpm_kind, tpm_manufacturer, os_json, created_at, expires_at, used_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')`, c.ID, strings.ToLower(c.DeviceID), c.SecretSHA256, c.EKFingerprint, c.TPMKind, c.TPMManufacturer, string(os), ts(c.CreatedAt), ts(c.ExpiresAt))
	if err != nil {
		return fmt.Errorf("storing attestation challenge: %w", err)
	}
	return nil
}

func (t *dirTx) LockChallenge(ctx context.Context, id string) (enroll.Challenge, error) {
	var c enroll.Challenge
	var os, created, expires, used string
	err := t.q.QueryRow(ctx, `SELECT id, device_id, secret_sha256, ek_fingerprint, tpm_kind, tpm_manufacturer, os_json, created_at, expires_at, used_at
		FROM attest_challenges WHERE id = ?`+t.forUpdate(), id).Scan(&c.ID, &c.DeviceID, &c.SecretSHA256, &c.EKFingerprint, &c.TPMKind, &c.TPMManufacturer, &os, &created, &expires, &used)
	if err := notFound(err, "attestation challenge"); err != nil {
		return c, err
	}
	_ = json.Unmarshal([]byte(os), &c.OS)
	c.CreatedAt, c.ExpiresAt, c.UsedAt = parseTS(created), parseTS(expires), parseTS(used)
	return c, nil
}

func (t *dirTx) MarkChallengeUsed(ctx context.Context, id string, at time.Time) error {
	if _, err := t.q.Exec(ctx, "UPDATE attest_challenges SET used_at = ? WHERE id = ?", ts(at), id); err != nil {
		return fmt.Errorf("marking the challenge used: %w", err)
	}
	return nil
}

func (t *dirTx) CountChallengesSince(ctx context.Context, deviceID string, since time.Time) (int, error) {
	var n int
	err := t.q.QueryRow(ctx, "SELECT COUNT(*) FROM attest_challenges WHERE device_id = ? AND created_at >= ?", strings.ToLower(deviceID), ts(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting attestation challenges: %w", err)
	}
	return n, nil
}

const mdCols = `id, ztd_id, device_name, serial_number, cert_serial, cert_thumbprint, ek_fingerprint, tpm_kind, tpm_manufacturer,
	os_edition, os_build, stage, primary_user, enrolled_at, technician_done_at, sealed_at, user_done_at, last_contact_at`

func scanMD(row interface{ Scan(...any) error }) (enroll.ManagedDevice, error) {
	var m enroll.ManagedDevice
	var enrolled, tech, sealed, user, last string
	err := row.Scan(&m.ID, &m.ZTDID, &m.DeviceName, &m.SerialNumber, &m.CertSerial, &m.CertThumbprint, &m.EKFingerprint, &m.TPMKind, &m.TPMManufacturer,
		&m.OSEdition, &m.OSBuild, &m.Stage, &m.PrimaryUser, &enrolled, &tech, &sealed, &user, &last)
	m.EnrolledAt, m.TechnicianDoneAt, m.SealedAt, m.UserDoneAt, m.LastContactAt = parseTS(enrolled), parseTS(tech), parseTS(sealed), parseTS(user), parseTS(last)
	return m, err
}

// ManagedDevice returns a managed device by id.
func (r reader) ManagedDevice(ctx context.Context, id string) (enroll.ManagedDevice, error) {
	m, err := scanMD(r.q.QueryRow(ctx, "SELECT "+mdCols+" FROM managed_devices WHERE id = ?", strings.ToLower(id)))
	return m, notFound(err, "managed device "+id)
}

// ManagedDeviceByZTD returns the managed device of an Autopilot device.
func (r reader) ManagedDeviceByZTD(ctx context.Context, ztdID string) (enroll.ManagedDevice, error) {
	m, err := scanMD(r.q.QueryRow(ctx, "SELECT "+mdCols+" FROM managed_devices WHERE ztd_id = ?"+r.lockSuffix(), strings.ToLower(ztdID)))
	return m, notFound(err, "managed device of "+ztdID)
}

// lockSuffix is empty for reads outside transactions.
func (r reader) lockSuffix() string {
	if _, ok := r.q.(*store.Tx); ok {
		return r.forUpdate()
	}
	return ""
}

// ManagedDevices lists managed devices by name.
func (r reader) ManagedDevices(ctx context.Context) ([]enroll.ManagedDevice, error) {
	rows, err := r.q.Query(ctx, "SELECT "+mdCols+" FROM managed_devices ORDER BY device_name, id")
	if err != nil {
		return nil, fmt.Errorf("listing managed devices: %w", err)
	}
	defer rows.Close()
	out := []enroll.ManagedDevice{}
	for rows.Next() {
		m, err := scanMD(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// TouchManagedDevice records a device's contact on the managed device and
// its Autopilot identity.
func (s *Store) TouchManagedDevice(ctx context.Context, id string, at time.Time) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var ztd string
		if err := tx.QueryRow(ctx, "SELECT ztd_id FROM managed_devices WHERE id = ?", id).Scan(&ztd); err != nil {
			if err == sql.ErrNoRows {
				return nil
			}
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE managed_devices SET last_contact_at = ? WHERE id = ?", ts(at), id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE autopilot_devices SET last_contacted_at = ? WHERE id = ?", ts(at), ztd)
		return err
	})
}

func (t *dirTx) PutManagedDevice(ctx context.Context, m enroll.ManagedDevice) error {
	_, err := t.q.Exec(ctx, `INSERT INTO managed_devices (`+mdCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET device_name = excluded.device_name, stage = excluded.stage, primary_user = excluded.primary_user,
		technician_done_at = excluded.technician_done_at, sealed_at = excluded.sealed_at, user_done_at = excluded.user_done_at,
		last_contact_at = excluded.last_contact_at, cert_serial = excluded.cert_serial, cert_thumbprint = excluded.cert_thumbprint`,
		strings.ToLower(m.ID), strings.ToLower(m.ZTDID), m.DeviceName, m.SerialNumber, m.CertSerial, m.CertThumbprint, m.EKFingerprint, m.TPMKind, m.TPMManufacturer,
		m.OSEdition, m.OSBuild, m.Stage, m.PrimaryUser, ts(m.EnrolledAt), tsOrEmpty(m.TechnicianDoneAt), tsOrEmpty(m.SealedAt), tsOrEmpty(m.UserDoneAt), ts(m.LastContactAt))
	if err != nil {
		return fmt.Errorf("storing managed device %s: %w", m.ID, conflict(err, "managed device"))
	}
	return nil
}

func (t *dirTx) DeleteManagedDevice(ctx context.Context, id string) error {
	if _, err := t.q.Exec(ctx, "DELETE FROM managed_devices WHERE id = ?", strings.ToLower(id)); err != nil {
		return fmt.Errorf("deleting managed device %s: %w", id, err)
	}
	return nil
}

const sessionCols = "id, device_id, phase, state, started_at, ended_at, error, last_seq"

func scanSession(row interface{ Scan(...any) error }) (enroll.Session, error) {
	var s enroll.Session
	var started, ended string
	err := row.Scan(&s.ID, &s.DeviceID, &s.Phase, &s.State, &started, &ended, &s.Error, &s.LastSeq)
	s.StartedAt, s.EndedAt = parseTS(started), parseTS(ended)
	return s, err
}

// Session returns a provisioning session.
func (r reader) Session(ctx context.Context, id string) (enroll.Session, error) {
	s, err := scanSession(r.q.QueryRow(ctx, "SELECT "+sessionCols+" FROM provisioning_sessions WHERE id = ?", id))
	return s, notFound(err, "provisioning session "+id)
}

func (t *dirTx) LockSession(ctx context.Context, id string) (enroll.Session, error) {
	s, err := scanSession(t.q.QueryRow(ctx, "SELECT "+sessionCols+" FROM provisioning_sessions WHERE id = ?"+t.forUpdate(), id))
	return s, notFound(err, "provisioning session "+id)
}

func (t *dirTx) PutSession(ctx context.Context, s enroll.Session) error {
	_, err := t.q.Exec(ctx, `INSERT INTO provisioning_sessions (`+sessionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, ended_at = excluded.ended_at, error = excluded.error, last_seq = excluded.last_seq`,
		s.ID, strings.ToLower(s.DeviceID), s.Phase, s.State, ts(s.StartedAt), tsOrEmpty(s.EndedAt), s.Error, s.LastSeq)
	if err != nil {
		return fmt.Errorf("storing provisioning session %s: %w", s.ID, err)
	}
	return nil
}

// Sessions lists a device's sessions, oldest first.
func (r reader) Sessions(ctx context.Context, deviceID string) ([]enroll.Session, error) {
	rows, err := r.q.Query(ctx, "SELECT "+sessionCols+" FROM provisioning_sessions WHERE device_id = ? ORDER BY started_at, id", strings.ToLower(deviceID))
	if err != nil {
		return nil, fmt.Errorf("listing provisioning sessions: %w", err)
	}
	defer rows.Close()
	var out []enroll.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (t *dirTx) InsertEvents(ctx context.Context, sessionID string, evs []wire.Event) error {
	for start := 0; start < len(evs); start += 50 {
		part := evs[start:min(start+50, len(evs))]
		var b strings.Builder
		b.WriteString("INSERT INTO provisioning_events (session_id, seq, at, step, item_id, name, category, state, detail, error) VALUES ")
		a := make([]any, 0, len(part)*10)
		for i, e := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			a = append(a, sessionID, e.Seq, ts(e.Time), e.Step, e.ItemID, e.Name, e.Category, e.State, e.Detail, e.Error)
		}
		b.WriteString(" ON CONFLICT (session_id, seq) DO NOTHING")
		if _, err := t.q.Exec(ctx, b.String(), a...); err != nil {
			return fmt.Errorf("storing timeline events: %w", err)
		}
	}
	return nil
}

func (t *dirTx) ContiguousSeq(ctx context.Context, sessionID string, from int64) (int64, error) {
	rows, err := t.q.Query(ctx, "SELECT seq FROM provisioning_events WHERE session_id = ? AND seq > ? ORDER BY seq", sessionID, from)
	if err != nil {
		return 0, fmt.Errorf("reading timeline sequence: %w", err)
	}
	defer rows.Close()
	n := from
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			return 0, err
		}
		if s != n+1 {
			break
		}
		n = s
	}
	return n, rows.Err()
}

// Events returns a session's timeline in order.
func (r reader) Events(ctx context.Context, sessionID string) ([]wire.Event, error) {
	rows, err := r.q.Query(ctx, "SELECT seq, at, step, item_id, name, category, state, detail, error FROM provisioning_events WHERE session_id = ? ORDER BY seq", sessionID)
	if err != nil {
		return nil, fmt.Errorf("reading the timeline: %w", err)
	}
	defer rows.Close()
	out := []wire.Event{}
	for rows.Next() {
		var e wire.Event
		var at string
		if err := rows.Scan(&e.Seq, &at, &e.Step, &e.ItemID, &e.Name, &e.Category, &e.State, &e.Detail, &e.Error); err != nil {
			return nil, err
		}
		e.Time = parseTS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *dirTx) PutLogBundle(ctx context.Context, b enroll.LogBundle) error {
	_, err := t.q.Exec(ctx, "INSERT INTO device_logs (id, device_id, blob_sha256, size, uploaded_at) VALUES (?, ?, ?, ?, ?)",
		b.ID, strings.ToLower(b.DeviceID), b.SHA256, b.Size, ts(b.UploadedAt))
	if err != nil {
		return fmt.Errorf("storing the log bundle: %w", err)
	}
	return nil
}

// LogBundles lists a device's uploaded diagnostics, newest first.
func (r reader) LogBundles(ctx context.Context, deviceID string) ([]enroll.LogBundle, error) {
	rows, err := r.q.Query(ctx, "SELECT id, device_id, blob_sha256, size, uploaded_at FROM device_logs WHERE device_id = ? ORDER BY uploaded_at DESC", strings.ToLower(deviceID))
	if err != nil {
		return nil, fmt.Errorf("listing log bundles: %w", err)
	}
	defer rows.Close()
	out := []enroll.LogBundle{}
	for rows.Next() {
		var b enroll.LogBundle
		var at string
		if err := rows.Scan(&b.ID, &b.DeviceID, &b.SHA256, &b.Size, &at); err != nil {
			return nil, err
		}
		b.UploadedAt = parseTS(at)
		out = append(out, b)
	}
	return out, rows.Err()
}
