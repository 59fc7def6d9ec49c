package esp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// Service is the ESP profiles' behaviour over a Store.
type Service struct {
	store     Store
	groups    Membership
	defaultID string
	log       *slog.Logger
}

// New returns the ESP service over st, reading group membership from
// groups. tenantID names the default profile as Intune does
// ("<tenantID>_DefaultWindows10EnrollmentCompletionPageConfiguration"); an
// empty tenantID uses the nil GUID. A nil logger discards logs.
func New(st Store, groups Membership, tenantID string, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if tenantID == "" {
		tenantID = "00000000-0000-0000-0000-000000000000"
	}
	return &Service{store: st, groups: groups, defaultID: strings.ToLower(tenantID) + DefaultIDSuffix, log: log}
}

// EnsureDefault creates the default profile unless it exists and returns
// it. It is safe to call from every replica at start-up: writers are
// serialized and the second finds the first one's profile.
func (s *Service) EnsureDefault(ctx context.Context) (Profile, error) {
	if p, err := s.store.DefaultProfile(ctx); err == nil {
		return p, nil
	} else if !errors.Is(err, apperr.ErrNotFound) {
		return Profile{}, fmt.Errorf("reading the default ESP profile: %w", err)
	}
	var out Profile
	err := s.store.InTx(ctx, func(tx Tx) error {
		if err := tx.Lock(ctx); err != nil {
			return err
		}
		p, err := tx.DefaultProfile(ctx)
		if err == nil {
			out = p
			return nil
		}
		if !errors.Is(err, apperr.ErrNotFound) {
			return err
		}
		out = defaultProfile(s.defaultID, now())
		if err := out.normalize(); err != nil {
			return err
		}
		return tx.InsertProfile(ctx, out)
	})
	if err != nil {
		return Profile{}, fmt.Errorf("creating the default ESP profile: %w", err)
	}
	return out, nil
}

// Profile returns one profile; apperr.ErrNotFound when there is none.
func (s *Service) Profile(ctx context.Context, id string) (Profile, error) {
	p, err := s.store.Profile(ctx, id)
	if err != nil {
		return Profile{}, fmt.Errorf("reading ESP profile %s: %w", id, err)
	}
	return p, nil
}

// Profiles returns every profile: the others by priority, then the default.
func (s *Service) Profiles(ctx context.Context) ([]Profile, error) {
	ps, err := s.store.Profiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing ESP profiles: %w", err)
	}
	return ps, nil
}

// Assignments returns a profile's assignments; apperr.ErrNotFound when the
// profile does not exist. The default profile has none: it applies to
// everyone without being assigned.
func (s *Service) Assignments(ctx context.Context, profileID string) ([]Assignment, error) {
	p, err := s.Profile(ctx, profileID)
	if err != nil {
		return nil, err
	}
	as, err := s.store.Assignments(ctx, p.ID)
	if err != nil {
		return nil, fmt.Errorf("listing assignments of ESP profile %s: %w", profileID, err)
	}
	return as, nil
}

// Assignment returns one assignment of a profile; apperr.ErrNotFound when
// the profile or the assignment does not exist.
func (s *Service) Assignment(ctx context.Context, profileID, id string) (Assignment, error) {
	as, err := s.Assignments(ctx, profileID)
	if err != nil {
		return Assignment{}, err
	}
	for _, a := range as {
		if strings.EqualFold(a.ID, id) {
			return a, nil
		}
	}
	return Assignment{}, fmt.Errorf("assignment %s of ESP profile %s: %w", id, profileID, apperr.ErrNotFound)
}
