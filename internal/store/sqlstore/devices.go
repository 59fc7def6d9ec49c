package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/directory"
)

const deviceCols = `id, device_id, display_name, account_enabled, operating_system, operating_system_version,
	manufacturer, model, trust_type, enrollment_profile_name, physical_ids, created_at, updated_at`

func scanDevice(s scanner) (directory.Device, error) {
	var d directory.Device
	var pids, created, updated string
	err := s.Scan(&d.ID, &d.DeviceID, &d.DisplayName, &d.AccountEnabled, &d.OperatingSystem, &d.OperatingSystemVersion,
		&d.Manufacturer, &d.Model, &d.TrustType, &d.EnrollmentProfileName, &pids, &created, &updated)
	if err != nil {
		return d, err
	}
	d.CreatedAt, d.UpdatedAt = parseTS(created), parseTS(updated)
	d.PhysicalIDs, err = parseList(pids)
	return d, err
}

// Device returns a device object by object id.
func (r reader) Device(ctx context.Context, id string) (directory.Device, error) {
	d, err := scanDevice(r.q.QueryRow(ctx, "SELECT "+deviceCols+" FROM devices WHERE id = ?", strings.ToLower(id)))
	return d, notFound(err, "device "+id)
}

// DeviceByDeviceID returns a device object by its deviceId.
func (r reader) DeviceByDeviceID(ctx context.Context, deviceID string) (directory.Device, error) {
	d, err := scanDevice(r.q.QueryRow(ctx, "SELECT "+deviceCols+" FROM devices WHERE device_id = ?", strings.ToLower(deviceID)))
	return d, notFound(err, "device with deviceId "+deviceID)
}

// Devices returns every device object ordered by display name.
func (r reader) Devices(ctx context.Context) ([]directory.Device, error) {
	var out []directory.Device
	err := r.eachDevice(ctx, "SELECT "+deviceCols+" FROM devices ORDER BY display_name, id", func(d directory.Device) error {
		out = append(out, d)
		return nil
	})
	return out, err
}

func (r reader) eachDevice(ctx context.Context, q string, fn func(directory.Device) error) error {
	rows, err := r.q.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("listing devices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return fmt.Errorf("reading device row: %w", err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *dirTx) EachDevice(ctx context.Context, fn func(directory.Device) error) error {
	return t.eachDevice(ctx, "SELECT "+deviceCols+" FROM devices", fn)
}

func (t *dirTx) PutDevice(ctx context.Context, d directory.Device, create bool) error {
	args := []any{strings.ToLower(d.DeviceID), d.DisplayName, d.AccountEnabled, d.OperatingSystem, d.OperatingSystemVersion,
		d.Manufacturer, d.Model, d.TrustType, d.EnrollmentProfileName, jsonList(d.PhysicalIDs), ts(d.CreatedAt), ts(d.UpdatedAt), strings.ToLower(d.ID)}
	var res sql.Result
	var err error
	if create {
		res, err = t.q.Exec(ctx, `INSERT INTO devices (device_id, display_name, account_enabled, operating_system, operating_system_version,
			manufacturer, model, trust_type, enrollment_profile_name, physical_ids, created_at, updated_at, id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	} else {
		res, err = t.q.Exec(ctx, `UPDATE devices SET device_id = ?, display_name = ?, account_enabled = ?, operating_system = ?,
			operating_system_version = ?, manufacturer = ?, model = ?, trust_type = ?, enrollment_profile_name = ?, physical_ids = ?,
			created_at = ?, updated_at = ? WHERE id = ?`, args...)
	}
	return mustAffect(res, err, "device "+d.DisplayName)
}

func (t *dirTx) PutDevices(ctx context.Context, ds []directory.Device) error {
	const cols = 13
	for start := 0; start < len(ds); start += batch {
		part := ds[start:min(start+batch, len(ds))]
		var b strings.Builder
		b.WriteString(`INSERT INTO devices (device_id, display_name, account_enabled, operating_system, operating_system_version,
			manufacturer, model, trust_type, enrollment_profile_name, physical_ids, created_at, updated_at, id) VALUES `)
		args := make([]any, 0, len(part)*cols)
		for i, d := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, strings.ToLower(d.DeviceID), d.DisplayName, d.AccountEnabled, d.OperatingSystem, d.OperatingSystemVersion,
				d.Manufacturer, d.Model, d.TrustType, d.EnrollmentProfileName, jsonList(d.PhysicalIDs), ts(d.CreatedAt), ts(d.UpdatedAt), strings.ToLower(d.ID))
		}
		if _, err := t.q.Exec(ctx, b.String(), args...); err != nil {
			return conflict(err, "devices")
		}
	}
	return nil
}

func (t *dirTx) DeleteDevice(ctx context.Context, id string) error {
	res, err := t.q.Exec(ctx, "DELETE FROM devices WHERE id = ?", strings.ToLower(id))
	return mustAffect(res, err, "device "+id)
}
