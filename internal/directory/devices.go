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
	if d.ID == "" {
		d.ID = uuid.NewString()
	}
	if d.DeviceID == "" {
		d.DeviceID = uuid.NewString()
	}
	if err := validateDevice(d); err != nil {
		return Device{}, err
	}
	d.CreatedAt = now()
	d.UpdatedAt = d.CreatedAt
	err := s.store.InTx(ctx, func(tx Tx) error {
		v, err := tx.LockRules(ctx, false)
		if err != nil {
			return err
		}
		if err := tx.PutDevice(ctx, d, true); err != nil {
			return err
		}
		return s.reconcileObject(ctx, tx, v, d.ID, MemberDevice, deviceAttrs(d), rule.SubjectDevice)
	})
	if err != nil {
		return Device{}, fmt.Errorf("creating device %s: %w", d.DisplayName, err)
	}
	return d, nil
}

// CreateDevices adds many device objects in one transaction (all or none),
// each placed in the dynamic groups whose rules match. Used by bulk imports.
func (s *Service) CreateDevices(ctx context.Context, ds []Device) ([]Device, error) {
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
	err := s.store.InTx(ctx, func(tx Tx) error {
		v, err := tx.LockRules(ctx, false)
		if err != nil {
			return err
		}
		if err := tx.PutDevices(ctx, out); err != nil {
			return err
		}
		set, err := s.rules.get(ctx, tx, v)
		if err != nil {
			return fmt.Errorf("loading dynamic rules: %w", err)
		}
		// New objects have no memberships yet: only additions, batched per group.
		adds := map[string][]Member{}
		for _, d := range out {
			for _, g := range set.Match(deviceAttrs(d), rule.SubjectDevice) {
				adds[g] = append(adds[g], Member{ID: d.ID, Type: MemberDevice, Source: SourceDynamic})
			}
		}
		for g, ms := range adds {
			if err := tx.AddMembers(ctx, g, ms); err != nil {
				return fmt.Errorf("adding devices to group %s: %w", g, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("creating %d devices: %w", len(ds), err)
	}
	return out, nil
}

// UpdateDevice applies change to the stored device and re-evaluates its
// dynamic memberships.
func (s *Service) UpdateDevice(ctx context.Context, id string, change func(*Device) error) (Device, error) {
	var out Device
	err := s.store.InTx(ctx, func(tx Tx) error {
		v, err := tx.LockRules(ctx, false)
		if err != nil {
			return err
		}
		d, err := tx.Device(ctx, id)
		if err != nil {
			return err
		}
		if err := change(&d); err != nil {
			return err
		}
		d.ID = id
		if err := validateDevice(d); err != nil {
			return err
		}
		d.UpdatedAt = now()
		if err := tx.PutDevice(ctx, d, false); err != nil {
			return err
		}
		out = d
		return s.reconcileObject(ctx, tx, v, d.ID, MemberDevice, deviceAttrs(d), rule.SubjectDevice)
	})
	if err != nil {
		return Device{}, fmt.Errorf("updating device %s: %w", id, err)
	}
	return out, nil
}

// DeleteDevice removes a device object and its memberships.
func (s *Service) DeleteDevice(ctx context.Context, id string) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.LockRules(ctx, false); err != nil {
			return err
		}
		if err := tx.RemoveFromAllGroups(ctx, id); err != nil {
			return err
		}
		return tx.DeleteDevice(ctx, id)
	})
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
