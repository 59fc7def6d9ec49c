package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/directory/rule"
)

// CreateDevice adds a device object and places it in the dynamic groups whose
// rules match. Empty ID and DeviceID are generated.
func (s *Service) CreateDevice(ctx context.Context, d Device) (Device, error) {
	ds, err := s.CreateDevices(ctx, []Device{d})
	if err != nil {
		return Device{}, err
	}
	return ds[0], nil
}

// CreateDevices adds many device objects in one transaction (all or none),
// each placed in the dynamic groups whose rules match. Used by bulk imports.
func (s *Service) CreateDevices(ctx context.Context, ds []Device) ([]Device, error) {
	var out []Device
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		out, err = s.CreateDevicesTx(ctx, tx, ds)
		return err
	})
	return out, err
}

// CreateDevicesTx is CreateDevices inside the caller's transaction, for
// domains (Autopilot registration) whose writes must commit together with
// the device objects.
func (s *Service) CreateDevicesTx(ctx context.Context, tx Tx, ds []Device) ([]Device, error) {
	out := make([]Device, len(ds))
	t := now()
	for i, d := range ds {
		if d.ID == "" {
			d.ID = uuid.NewString()
		}
		if d.DeviceID == "" {
			d.DeviceID = uuid.NewString()
		}
		if err := validateDevice(d); err != nil {
			return nil, fmt.Errorf("device %d (%s): %w", i+1, d.DisplayName, err)
		}
		d.CreatedAt, d.UpdatedAt = t, t
		out[i] = d
	}
	v, err := tx.LockRules(ctx, false)
	if err != nil {
		return nil, err
	}
	if err := tx.PutDevices(ctx, out); err != nil {
		return nil, fmt.Errorf("creating %d devices: %w", len(ds), err)
	}
	set, err := s.rules.get(ctx, tx, v)
	if err != nil {
		return nil, fmt.Errorf("loading dynamic rules: %w", err)
	}
	// New objects have no memberships yet: only additions, batched per group.
	adds := map[string][]Member{}
	var changes []MembershipChange
	for _, d := range out {
		for _, g := range set.Match(deviceAttrs(d), rule.SubjectDevice) {
			adds[g] = append(adds[g], Member{ID: d.ID, Type: MemberDevice, Source: SourceDynamic})
			changes = append(changes, MembershipChange{GroupID: g, MemberID: d.ID, MemberType: MemberDevice, Added: true})
		}
	}
	for g, ms := range adds {
		if err := tx.AddMembers(ctx, g, ms); err != nil {
			return nil, fmt.Errorf("adding devices to group %s: %w", g, err)
		}
	}
	return out, s.notify(ctx, tx, changes)
}

// UpdateDevice applies change to the stored device and re-evaluates its
// dynamic memberships.
func (s *Service) UpdateDevice(ctx context.Context, id string, change func(*Device) error) (Device, error) {
	var out Device
	err := s.store.InTx(ctx, func(tx Tx) error {
		var err error
		out, err = s.UpdateDeviceTx(ctx, tx, id, change)
		return err
	})
	if err != nil {
		return Device{}, fmt.Errorf("updating device %s: %w", id, err)
	}
	return out, nil
}

// UpdateDeviceTx is UpdateDevice inside the caller's transaction.
func (s *Service) UpdateDeviceTx(ctx context.Context, tx Tx, id string, change func(*Device) error) (Device, error) {
	v, err := tx.LockRules(ctx, false)
	if err != nil {
		return Device{}, err
	}
	d, err := tx.Device(ctx, id)
	if err != nil {
		return Device{}, err
	}
	if err := change(&d); err != nil {
		return Device{}, err
	}
	d.ID = id
	if err := validateDevice(d); err != nil {
		return Device{}, err
	}
	d.UpdatedAt = now()
	if err := tx.PutDevice(ctx, d, false); err != nil {
		return Device{}, err
	}
	return d, s.reconcileObject(ctx, tx, v, d.ID, MemberDevice, deviceAttrs(d), rule.SubjectDevice)
}

// DeleteDevice removes a device object and its memberships.
func (s *Service) DeleteDevice(ctx context.Context, id string) error {
	return s.deleteObject(ctx, id, MemberDevice, Tx.DeleteDevice)
}

// deleteObject deletes a user or device and every membership it had, and
// reports them. The row goes first: that waits for anyone share-locking it
// to add a membership (AddMember), and the membership delete then sees it.
func (s *Service) deleteObject(ctx context.Context, id, kind string, del func(Tx, context.Context, string) error) error {
	err := s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, false); err != nil {
			return err
		}
		groups, err := tx.MemberOf(ctx, id)
		if err != nil {
			return err
		}
		if err := del(tx, ctx, id); err != nil {
			return err
		}
		return s.leaveAllGroups(ctx, tx, id, kind, groups)
	})
	if err != nil {
		return fmt.Errorf("deleting %s %s: %w", kind, id, err)
	}
	return nil
}

// leaveAllGroups drops every membership of an object and reports those in
// groups (read before the object was deleted).
func (s *Service) leaveAllGroups(ctx context.Context, tx Tx, id, kind string, groups []string) error {
	if err := tx.RemoveFromAllGroups(ctx, id); err != nil {
		return err
	}
	changes := make([]MembershipChange, len(groups))
	for i, g := range groups {
		changes[i] = MembershipChange{GroupID: g, MemberID: id, MemberType: kind}
	}
	return s.notify(ctx, tx, changes)
}

func validateDevice(d Device) error {
	if strings.TrimSpace(d.DisplayName) == "" {
		return invalid("displayName is required")
	}
	if len(d.DisplayName) > 256 {
		return invalid("displayName is longer than 256 characters")
	}
	if _, err := uuid.Parse(d.DeviceID); err != nil {
		return invalid("deviceId %q is not a GUID", d.DeviceID)
	}
	if len(d.PhysicalIDs) > 100 {
		return invalid("a device has at most 100 physicalIds")
	}
	for _, p := range d.PhysicalIDs {
		if p == "" || len(p) > 512 {
			return invalid("physicalIds entries must be 1 to 512 characters")
		}
	}
	return nil
}
