package autopilot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// Change is a partial update of a device identity: nil fields are left
// alone, as updateDeviceProperties changes only the keys sent.
type Change struct {
	UserPrincipalName     *string
	AddressableUserName   *string
	GroupTag              *string
	DisplayName           *string
	DeviceAccountUPN      *string
	DeviceAccountPassword *string
	DeviceFriendlyName    *string
	PurchaseOrder         *string
}

// Update applies c to device id. A new group tag or purchase order updates
// the Entra device's physicalIds in the same transaction, so dynamic groups
// and the profile follow at once. An assigned user must exist.
func (s *Service) Update(ctx context.Context, id string, c Change) (Device, error) {
	var out Device
	err := s.store.AutopilotTx(ctx, func(tx Tx) error {
		d, err := tx.AutopilotDevice(ctx, id)
		if err != nil {
			return err
		}
		before := d
		if c.UserPrincipalName != nil {
			upn := strings.TrimSpace(*c.UserPrincipalName)
			if upn == "" {
				d.UserPrincipalName, d.AddressableUserName = "", ""
			} else {
				u, err := tx.UserByUPN(ctx, upn)
				if errors.Is(err, directory.ErrNotFound) {
					return apperr.Invalid("userPrincipalName %q: no such user in this tenant", upn)
				}
				if err != nil {
					return err
				}
				d.UserPrincipalName = u.UPN
				if d.AddressableUserName == "" || c.AddressableUserName == nil {
					d.AddressableUserName = u.DisplayName
				}
			}
		}
		set := func(dst *string, v *string, max int, name string) error {
			if v == nil {
				return nil
			}
			if len(*v) > max {
				return apperr.Invalid("%s is longer than %d characters", name, max)
			}
			*dst = strings.TrimSpace(*v)
			return nil
		}
		for _, f := range []struct {
			dst  *string
			v    *string
			max  int
			name string
		}{
			{&d.AddressableUserName, c.AddressableUserName, 256, "addressableUserName"},
			{&d.GroupTag, c.GroupTag, 256, "groupTag"},
			{&d.DisplayName, c.DisplayName, 256, "displayName"},
			{&d.DeviceAccountUPN, c.DeviceAccountUPN, 256, "deviceAccountUpn"},
			{&d.DeviceAccountPassword, c.DeviceAccountPassword, 256, "deviceAccountPassword"},
			{&d.DeviceFriendlyName, c.DeviceFriendlyName, 256, "deviceFriendlyName"},
			{&d.PurchaseOrder, c.PurchaseOrder, 256, "purchaseOrderIdentifier"},
		} {
			if err := set(f.dst, f.v, f.max, f.name); err != nil {
				return err
			}
		}
		if c.UserPrincipalName != nil && strings.TrimSpace(*c.UserPrincipalName) == "" {
			d.AddressableUserName = ""
		}
		if d.DisplayName != before.DisplayName && d.DisplayName != "" {
			if err := validateDeviceName(d.DisplayName); err != nil {
				return err
			}
		}
		d.UpdatedAt = s.now()
		if err := tx.UpdateAutopilotDevice(ctx, d); err != nil {
			return err
		}
		out = d
		if d.UserPrincipalName != before.UserPrincipalName {
			if err := s.devicesChanged(ctx, tx, []string{d.ID}); err != nil {
				return err
			}
		}
		if d.GroupTag == before.GroupTag && d.PurchaseOrder == before.PurchaseOrder {
			return nil
		}
		// The membership hook recomputes the profile if groups change.
		_, err = s.dir.UpdateDeviceTx(ctx, tx, d.EntraObjectID, func(e *directory.Device) error {
			e.PhysicalIDs = mergePhysicalIDs(e.PhysicalIDs, physicalIDs(d))
			return nil
		})
		if errors.Is(err, directory.ErrNotFound) {
			s.log.Warn("the Entra device object of an Autopilot device is gone; group targeting cannot follow it", "ztdid", d.ID, "entra_object", d.EntraObjectID)
			return nil
		}
		return err
	})
	if err != nil {
		return Device{}, fmt.Errorf("updating Autopilot device %s: %w", id, err)
	}
	return out, nil
}

// mergePhysicalIDs replaces the Autopilot markers and keeps any others.
func mergePhysicalIDs(old, markers []string) []string {
	out := append([]string(nil), markers...)
	for _, p := range old {
		l := strings.ToLower(p)
		if strings.HasPrefix(l, "[ztdid]:") || strings.HasPrefix(l, "[orderid]:") || strings.HasPrefix(l, "[purchaseorderid]:") {
			continue
		}
		out = append(out, p)
	}
	return out
}

// validateDeviceName checks a name given to one device.
func validateDeviceName(n string) error {
	if len(n) > MaxDeviceName {
		return apperr.Invalid("displayName %q is longer than %d characters, the most Windows accepts", n, MaxDeviceName)
	}
	if strings.Trim(n, "0123456789") == "" {
		return apperr.Invalid("displayName %q is digits only, which Windows refuses", n)
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return apperr.Invalid("displayName %q: only letters, digits and hyphens are allowed", n)
		}
	}
	return nil
}

// AllowNextEnrollment unblocks a device for another deployment (the
// portal's "Unblock device"): a pre-provisioned device may enroll once.
func (s *Service) AllowNextEnrollment(ctx context.Context, id string) error {
	return s.store.AutopilotTx(ctx, func(tx Tx) error {
		d, err := tx.AutopilotDevice(ctx, id)
		if err != nil {
			return err
		}
		d.EnrollmentState = EnrollmentNotContacted
		d.ManagedDeviceID = ""
		d.UpdatedAt = s.now()
		return tx.UpdateAutopilotDevice(ctx, d)
	})
}

// Delete removes a device identity. An enrolled device is refused, as
// Autopilot refuses it: delete the managed device first. The Entra device
// object stays (Autopilot's removal order deletes it last, by hand).
func (s *Service) Delete(ctx context.Context, id string) error {
	return s.store.AutopilotTx(ctx, func(tx Tx) error {
		d, err := tx.AutopilotDevice(ctx, id)
		if err != nil {
			return err
		}
		if d.EnrollmentState == EnrollmentEnrolled {
			return apperr.State("device %s (serial %s) is enrolled: delete its managed device first, then the Autopilot device", d.ID, d.SerialNumber)
		}
		if err := tx.DeleteAutopilotDevice(ctx, id); err != nil {
			return err
		}
		return s.devicesChanged(ctx, tx, []string{d.ID})
	})
}

// DeleteResult is one outcome of DeleteBySerial.
type DeleteResult struct {
	SerialNumber   string
	RegistrationID string
	Deleted        bool
	Message        string
}

// DeleteBySerial deletes the identities with these serial numbers (the
// deleteDevices action), one result per serial.
func (s *Service) DeleteBySerial(ctx context.Context, serials []string) ([]DeleteResult, error) {
	all, err := s.store.AutopilotDevices(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]DeleteResult, 0, len(serials))
	for _, serial := range serials {
		found := false
		for _, d := range all {
			if !strings.EqualFold(d.SerialNumber, strings.TrimSpace(serial)) {
				continue
			}
			found = true
			r := DeleteResult{SerialNumber: d.SerialNumber, RegistrationID: d.ID, Deleted: true}
			if err := s.Delete(ctx, d.ID); err != nil {
				var st *apperr.StateError
				if !errors.As(err, &st) && !errors.Is(err, apperr.ErrNotFound) {
					return nil, err
				}
				r.Deleted, r.Message = false, err.Error()
			}
			out = append(out, r)
		}
		if !found {
			out = append(out, DeleteResult{SerialNumber: serial, Message: "no Autopilot device with this serial number"})
		}
	}
	return out, nil
}
