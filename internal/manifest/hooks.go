package manifest

import (
	"context"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// marker is a transaction that can record dirty marks.
type marker interface {
	MarkManifestsDirty(ctx context.Context, keys []string) error
}

func mark(ctx context.Context, tx any, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	m, ok := tx.(marker)
	if !ok {
		return fmt.Errorf("manifest: the transaction %T cannot record dirty marks", tx)
	}
	return m.MarkManifestsDirty(ctx, keys)
}

// MembershipHook marks the devices and users whose groups changed; it runs
// inside the changing transaction (directory.Service.OnMembershipChange).
func (s *Service) MembershipHook(ctx context.Context, tx directory.Tx, changes []directory.MembershipChange) error {
	seen := map[string]bool{}
	var keys []string
	for _, c := range changes {
		k := KeyEntra + c.MemberID
		if c.MemberType == directory.MemberUser {
			k = KeyUser + c.MemberID
		}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if err := mark(ctx, tx, keys); err != nil {
		return err
	}
	s.Wake()
	return nil
}

// DeviceHook marks registered, re-assigned and deleted devices; it runs
// inside the changing transaction (autopilot.Service.OnDeviceChange).
func (s *Service) DeviceHook(ctx context.Context, tx autopilot.Tx, ids []string) error {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = KeyDevice + id
	}
	if err := mark(ctx, tx, keys); err != nil {
		return err
	}
	s.Wake()
	return nil
}
