package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/store"
)

// AutopilotTx runs fn in a transaction that serves Autopilot and the
// directory together.
func (s *Store) AutopilotTx(ctx context.Context, fn func(autopilot.Tx) error) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		return fn(&dirTx{reader: reader{q: tx, dialect: tx.Dialect}})
	})
}

const apCols = `id, fingerprint, serial_number, manufacturer, model, product_key, sku_number, system_family, group_tag,
	purchase_order, user_principal_name, addressable_user_name, display_name, resource_name, device_account_upn,
	device_account_password, device_friendly_name, entra_object_id, entra_device_id, managed_device_id, enrollment_state,
	last_contacted_at, hardware_hash, import_id, direct_profile_id, profile_id, profile_status, profile_assigned_at,
	remediation_state, userless_enrollment_status, created_at, updated_at`

const apColCount = 32

func scanAP(s scanner) (autopilot.Device, error) {
	var d autopilot.Device
	var last, assigned, created, updated string
	err := s.Scan(&d.ID, &d.Fingerprint, &d.SerialNumber, &d.Manufacturer, &d.Model, &d.ProductKey, &d.SKUNumber, &d.SystemFamily,
		&d.GroupTag, &d.PurchaseOrder, &d.UserPrincipalName, &d.AddressableUserName, &d.DisplayName, &d.ResourceName,
		&d.DeviceAccountUPN, &d.DeviceAccountPassword, &d.DeviceFriendlyName, &d.EntraObjectID, &d.EntraDeviceID,
		&d.ManagedDeviceID, &d.EnrollmentState, &last, &d.HardwareHash, &d.ImportID, &d.DirectProfileID, &d.ProfileID,
		&d.ProfileStatus, &assigned, &d.RemediationState, &d.UserlessEnrollmentStatus, &created, &updated)
	d.LastContactedAt, d.ProfileAssignedAt, d.CreatedAt, d.UpdatedAt = parseTS(last), parseTS(assigned), parseTS(created), parseTS(updated)
	return d, err
}

func apArgs(d autopilot.Device) []any {
	return []any{strings.ToLower(d.ID), d.Fingerprint, d.SerialNumber, d.Manufacturer, d.Model, d.ProductKey, d.SKUNumber, d.SystemFamily,
		d.GroupTag, d.PurchaseOrder, d.UserPrincipalName, d.AddressableUserName, d.DisplayName, d.ResourceName,
		d.DeviceAccountUPN, d.DeviceAccountPassword, d.DeviceFriendlyName, d.EntraObjectID, d.EntraDeviceID,
		d.ManagedDeviceID, d.EnrollmentState, tsOrEmpty(d.LastContactedAt), d.HardwareHash, d.ImportID, d.DirectProfileID, d.ProfileID,
		d.ProfileStatus, tsOrEmpty(d.ProfileAssignedAt), d.RemediationState, d.UserlessEnrollmentStatus, ts(d.CreatedAt), ts(d.UpdatedAt)}
}

// AutopilotDevice returns a device identity by ZTDId.
func (r reader) AutopilotDevice(ctx context.Context, id string) (autopilot.Device, error) {
	d, err := scanAP(r.q.QueryRow(ctx, "SELECT "+apCols+" FROM autopilot_devices WHERE id = ?", strings.ToLower(id)))
	return d, notFound(err, "Autopilot device "+id)
}

// apListCols is apCols with the hardware hash (4 KB a device) left out.
var apListCols = strings.Replace(apCols, "hardware_hash", "'' AS hardware_hash", 1)

// AutopilotDevices lists every identity by serial number.
func (r reader) AutopilotDevices(ctx context.Context) ([]autopilot.Device, error) {
	var out []autopilot.Device
	err := r.eachAP(ctx, "SELECT "+apListCols+" FROM autopilot_devices ORDER BY serial_key, id", nil, func(d autopilot.Device) error {
		out = append(out, d)
		return nil
	})
	return out, err
}

// AutopilotDevicesBySerial lists identities whose serial contains part.
func (r reader) AutopilotDevicesBySerial(ctx context.Context, part string) ([]autopilot.Device, error) {
	esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(part))
	var out []autopilot.Device
	err := r.eachAP(ctx, "SELECT "+apListCols+` FROM autopilot_devices WHERE serial_key LIKE ? ESCAPE '\' ORDER BY serial_key, id`,
		[]any{"%" + esc + "%"}, func(d autopilot.Device) error {
			out = append(out, d)
			return nil
		})
	return out, err
}

func (r reader) eachAP(ctx context.Context, q string, args []any, fn func(autopilot.Device) error) error {
	rows, err := r.q.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("listing Autopilot devices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanAP(rows)
		if err != nil {
			return fmt.Errorf("reading Autopilot device: %w", err)
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t *dirTx) EachAutopilotDevice(ctx context.Context, fn func(autopilot.Device) error) error {
	return t.eachAP(ctx, "SELECT "+apListCols+" FROM autopilot_devices", nil, fn)
}

func (t *dirTx) PutAutopilotDevices(ctx context.Context, ds []autopilot.Device) error {
	for start := 0; start < len(ds); start += 200 {
		part := ds[start:min(start+200, len(ds))]
		var b strings.Builder
		b.WriteString("INSERT INTO autopilot_devices (" + apCols + ", serial_key) VALUES ")
		args := make([]any, 0, len(part)*(apColCount+1))
		row := "(" + strings.Repeat("?, ", apColCount) + "?)"
		for i, d := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
			args = append(args, apArgs(d)...)
			args = append(args, strings.ToLower(d.SerialNumber))
		}
		if _, err := t.q.Exec(ctx, b.String(), args...); err != nil {
			return conflict(err, "Autopilot devices")
		}
	}
	return nil
}

func (t *dirTx) UpdateAutopilotDevice(ctx context.Context, d autopilot.Device) error {
	cols := strings.Split(strings.ReplaceAll(apCols, "\n", ""), ",")
	var set []string
	for _, c := range cols[1:] {
		set = append(set, strings.TrimSpace(c)+" = ?")
	}
	args := append(apArgs(d)[1:], strings.ToLower(d.SerialNumber), strings.ToLower(d.ID))
	res, err := t.q.Exec(ctx, "UPDATE autopilot_devices SET "+strings.Join(set, ", ")+", serial_key = ? WHERE id = ?", args...)
	return mustAffect(res, err, "Autopilot device "+d.ID)
}

func (t *dirTx) DeleteAutopilotDevice(ctx context.Context, id string) error {
	res, err := t.q.Exec(ctx, "DELETE FROM autopilot_devices WHERE id = ?", strings.ToLower(id))
	return mustAffect(res, err, "Autopilot device "+id)
}

func (t *dirTx) AutopilotDevicesByEntra(ctx context.Context, ids []string) ([]autopilot.Device, error) {
	var out []autopilot.Device
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		q := "SELECT " + apCols + " FROM autopilot_devices WHERE entra_object_id IN " + inList(len(part))
		if err := t.eachAP(ctx, q, args(part, true), func(d autopilot.Device) error {
			out = append(out, d)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *dirTx) AutopilotDevicesByFingerprint(ctx context.Context, fps []string) (map[string]autopilot.Device, error) {
	out := map[string]autopilot.Device{}
	for start := 0; start < len(fps); start += batch {
		part := fps[start:min(start+batch, len(fps))]
		rows, err := t.q.Query(ctx, "SELECT fingerprint, id, import_id FROM autopilot_devices WHERE fingerprint IN "+inList(len(part)), args(part, false)...)
		if err != nil {
			return nil, fmt.Errorf("looking up fingerprints: %w", err)
		}
		for rows.Next() {
			var f string
			var d autopilot.Device
			if err := rows.Scan(&f, &d.ID, &d.ImportID); err != nil {
				rows.Close()
				return nil, err
			}
			out[f] = d
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *dirTx) AutopilotDevicesBySerials(ctx context.Context, serials []string) ([]autopilot.Device, error) {
	var out []autopilot.Device
	for start := 0; start < len(serials); start += batch {
		part := serials[start:min(start+batch, len(serials))]
		q := "SELECT " + apListCols + " FROM autopilot_devices WHERE serial_key IN " + inList(len(part))
		if err := t.eachAP(ctx, q, args(part, true), func(d autopilot.Device) error { out = append(out, d); return nil }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (t *dirTx) SetProfiles(ctx context.Context, us []autopilot.ProfileUpdate) error {
	for _, u := range us {
		if _, err := t.q.Exec(ctx, "UPDATE autopilot_devices SET profile_id = ?, profile_status = ?, profile_assigned_at = ? WHERE id = ?",
			u.ProfileID, u.Status, tsOrEmpty(u.AssignedAt), strings.ToLower(u.DeviceID)); err != nil {
			return fmt.Errorf("storing profile of %s: %w", u.DeviceID, err)
		}
	}
	return nil
}

func (t *dirTx) ClearDirectProfile(ctx context.Context, profileID string) error {
	_, err := t.q.Exec(ctx, "UPDATE autopilot_devices SET direct_profile_id = '' WHERE direct_profile_id = ?", profileID)
	if err != nil {
		return fmt.Errorf("clearing direct assignments of %s: %w", profileID, err)
	}
	return nil
}

func (t *dirTx) GroupsAmong(ctx context.Context, memberIDs, groupIDs []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(groupIDs) == 0 || len(memberIDs) == 0 {
		return out, nil
	}
	gargs := args(groupIDs, true)
	err := eachBatch(memberIDs, func(part []string) error {
		q := "SELECT member_id, group_id FROM group_members WHERE group_id IN " + inList(len(gargs)) + " AND member_id IN " + inList(len(part))
		return t.pairs(ctx, out, q, append(append([]any(nil), gargs...), args(part, true)...)...)
	})
	if err != nil {
		return nil, fmt.Errorf("reading memberships: %w", err)
	}
	return out, nil
}
