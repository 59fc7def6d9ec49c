package apps

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// Service is the catalog's behaviour over a Store.
type Service struct {
	store  Store
	groups Groups
	log    *slog.Logger
}

// New returns the catalog service over st, checking assignment groups with
// groups. A nil logger discards logs.
func New(st Store, groups Groups, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, groups: groups, log: log}
}

// Version returns the catalog version: it changes with every write, so a
// cache keyed by it is fresh exactly when the version is unchanged.
func (s *Service) Version(ctx context.Context) (int64, error) {
	v, err := s.store.Version(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the catalog version: %w", err)
	}
	return v, nil
}

// Snapshot returns every app, policy and script with its assignments and
// the catalog version, read consistently.
func (s *Service) Snapshot(ctx context.Context) (Catalog, error) {
	c, err := s.store.Snapshot(ctx)
	if err != nil {
		return Catalog{}, fmt.Errorf("reading the app and policy catalog: %w", err)
	}
	return c, nil
}

// App returns one app with its assignments; apperr.ErrNotFound when there
// is none.
func (s *Service) App(ctx context.Context, id string) (App, error) {
	a, err := s.store.App(ctx, id)
	if err != nil {
		return App{}, fmt.Errorf("reading app %s: %w", id, err)
	}
	return a, nil
}

// Apps returns every app with its assignments, oldest first.
func (s *Service) Apps(ctx context.Context) ([]App, error) {
	as, err := s.store.Apps(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing apps: %w", err)
	}
	return as, nil
}

// Policy returns one policy with its assignments; apperr.ErrNotFound when
// there is none.
func (s *Service) Policy(ctx context.Context, id string) (Policy, error) {
	p, err := s.store.Policy(ctx, id)
	if err != nil {
		return Policy{}, fmt.Errorf("reading policy %s: %w", id, err)
	}
	return p, nil
}

// Policies returns every policy with its assignments, oldest first.
func (s *Service) Policies(ctx context.Context) ([]Policy, error) {
	ps, err := s.store.Policies(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing policies: %w", err)
	}
	return ps, nil
}

// Script returns one script with its assignments; apperr.ErrNotFound when
// there is none.
func (s *Service) Script(ctx context.Context, id string) (Script, error) {
	sc, err := s.store.Script(ctx, id)
	if err != nil {
		return Script{}, fmt.Errorf("reading script %s: %w", id, err)
	}
	return sc, nil
}

// Scripts returns every script with its assignments, oldest first.
func (s *Service) Scripts(ctx context.Context) ([]Script, error) {
	ss, err := s.store.Scripts(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing scripts: %w", err)
	}
	return ss, nil
}

// AppAssignment returns one assignment of an app; apperr.ErrNotFound when
// the app or the assignment does not exist.
func (s *Service) AppAssignment(ctx context.Context, appID, id string) (AppAssignment, error) {
	a, err := s.App(ctx, appID)
	if err != nil {
		return AppAssignment{}, err
	}
	for _, x := range a.Assignments {
		if strings.EqualFold(x.ID, id) {
			return x, nil
		}
	}
	return AppAssignment{}, fmt.Errorf("assignment %s of app %s: %w", id, appID, apperr.ErrNotFound)
}

// PolicyAssignment returns one assignment of a policy; apperr.ErrNotFound
// when the policy or the assignment does not exist.
func (s *Service) PolicyAssignment(ctx context.Context, policyID, id string) (Assignment, error) {
	p, err := s.Policy(ctx, policyID)
	if err != nil {
		return Assignment{}, err
	}
	return findAssignment(p.Assignments, id, "policy "+policyID)
}

// ScriptAssignment returns one assignment of a script; apperr.ErrNotFound
// when the script or the assignment does not exist.
func (s *Service) ScriptAssignment(ctx context.Context, scriptID, id string) (Assignment, error) {
	sc, err := s.Script(ctx, scriptID)
	if err != nil {
		return Assignment{}, err
	}
	return findAssignment(sc.Assignments, id, "script "+scriptID)
}

func findAssignment(as []Assignment, id, owner string) (Assignment, error) {
	for _, x := range as {
		if strings.EqualFold(x.ID, id) {
			return x, nil
		}
	}
	return Assignment{}, fmt.Errorf("assignment %s of %s: %w", id, owner, apperr.ErrNotFound)
}

// write runs fn in a transaction that first bumps the catalog version, so
// every catalog write is serialized and versioned.
func (s *Service) write(ctx context.Context, fn func(Tx) error) error {
	return s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Bump(ctx); err != nil {
			return err
		}
		return fn(tx)
	})
}
