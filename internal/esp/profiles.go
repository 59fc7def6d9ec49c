package esp

import (
	"context"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// Create adds p as a new profile at the lowest priority (n+1, after every
// other profile) and returns it as stored. Its id, priority, version and
// times are set here whatever p holds; start from NewProfile for defaults.
func (s *Service) Create(ctx context.Context, p Profile) (Profile, error) {
	p = p.clone()
	p.ID, p.Default, p.Version = newID(), false, 1
	p.CreatedAt = now()
	p.UpdatedAt = p.CreatedAt
	if err := p.normalize(); err != nil {
		return Profile{}, fmt.Errorf("creating ESP profile %q: %w", p.DisplayName, err)
	}
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx); err != nil {
			return err
		}
		ordered, err := s.ranked(ctx, tx)
		if err != nil {
			return err
		}
		p.Priority = len(ordered) + 1
		return tx.InsertProfile(ctx, p)
	})
	if err != nil {
		return Profile{}, fmt.Errorf("creating ESP profile %q: %w", p.DisplayName, err)
	}
	s.log.Info("ESP profile created", "profile", p.ID, "priority", p.Priority)
	return p, nil
}

// Update applies change to a stored profile in one transaction and returns
// the result. change may alter the settings, name, description and scope
// tags; it must leave the priority as it is (use SetPriority), and on the
// default profile also the name and description. The version is bumped.
// An error from change, or invalid settings, writes nothing.
func (s *Service) Update(ctx context.Context, id string, change func(*Profile) error) (Profile, error) {
	var out Profile
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx); err != nil {
			return err
		}
		old, err := tx.Profile(ctx, id)
		if err != nil {
			return err
		}
		p := old.clone()
		if err := change(&p); err != nil {
			return err
		}
		if p.Priority != old.Priority {
			return apperr.Invalid("priority cannot be changed by an update (it is %d): use the setPriority action", old.Priority)
		}
		if old.Default && (p.DisplayName != old.DisplayName || p.Description != old.Description) {
			return apperr.Invalid("the default ESP profile's displayName and description cannot be changed")
		}
		p.ID, p.Default, p.CreatedAt = old.ID, old.Default, old.CreatedAt
		p.Version, p.UpdatedAt = old.Version+1, now()
		if err := p.normalize(); err != nil {
			return err
		}
		out = p
		return tx.UpdateProfile(ctx, p)
	})
	if err != nil {
		return Profile{}, fmt.Errorf("updating ESP profile %s: %w", id, err)
	}
	return out, nil
}

// Delete removes a profile and its assignments; the profiles after it move
// up one priority. The default profile cannot be deleted.
func (s *Service) Delete(ctx context.Context, id string) error {
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx); err != nil {
			return err
		}
		p, err := tx.Profile(ctx, id)
		if err != nil {
			return err
		}
		if p.Default {
			return apperr.Invalid("the default ESP profile applies to all users and all devices and cannot be deleted; change its settings instead")
		}
		if err := tx.DeleteProfile(ctx, p.ID); err != nil {
			return err
		}
		ordered, err := s.ranked(ctx, tx)
		if err != nil {
			return err
		}
		return tx.SetPriorities(ctx, renumber(ordered))
	})
	if err != nil {
		return fmt.Errorf("deleting ESP profile %s: %w", id, err)
	}
	s.log.Info("ESP profile deleted", "profile", id)
	return nil
}

// Assign replaces a profile's assignments with as (an empty set unassigns
// it) and returns them as stored, with generated ids where none was given.
// The default profile cannot be assigned.
func (s *Service) Assign(ctx context.Context, id string, as []Assignment) ([]Assignment, error) {
	as, err := normalizeAssignments(as)
	if err != nil {
		return nil, fmt.Errorf("assigning ESP profile %s: %w", id, err)
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx); err != nil {
			return err
		}
		p, err := tx.Profile(ctx, id)
		if err != nil {
			return err
		}
		if p.Default {
			return apperr.Invalid("the default ESP profile applies to all users and all devices and cannot be assigned; create a profile and assign that")
		}
		return tx.ReplaceAssignments(ctx, p.ID, as)
	})
	if err != nil {
		return nil, fmt.Errorf("assigning ESP profile %s: %w", id, err)
	}
	s.log.Info("ESP profile assigned", "profile", id, "assignments", len(as))
	return as, nil
}
