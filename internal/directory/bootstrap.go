package directory

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/authz"
)

// TenantSettings describe the tenant created on first start.
type TenantSettings struct {
	DisplayName string
	Domain      string
	Seats       int
}

// EnsureTenant creates the tenant on first start and returns it; later
// starts return the stored one unchanged. Replicas starting together create
// it once: the second insert loses on the unique domain and reads the winner.
func (s *Service) EnsureTenant(ctx context.Context, ts TenantSettings) (Tenant, bool, error) {
	t, err := s.store.Tenant(ctx)
	if err == nil {
		return t, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Tenant{}, false, fmt.Errorf("reading tenant: %w", err)
	}
	if ts.Seats <= 0 {
		ts.Seats = 25
	}
	t = Tenant{
		ID: uuid.NewString(), DisplayName: ts.DisplayName, Domain: ts.Domain,
		SkuPartNumber: "WHITEGLOVE_E3", SkuID: uuid.NewString(), Seats: ts.Seats, CreatedAt: now(),
	}
	err = s.store.InTx(ctx, func(tx Tx) error {
		if _, err := tx.Tenant(ctx); err == nil {
			return ErrConflict
		}
		return tx.PutTenant(ctx, t)
	})
	if errors.Is(err, ErrConflict) {
		t, err = s.store.Tenant(ctx)
		return t, false, err
	}
	if err != nil {
		return Tenant{}, false, fmt.Errorf("creating tenant: %w", err)
	}
	s.log.Info("tenant created", "tenant", t.ID, "domain", t.Domain)
	return t, true, nil
}

// RegisterApp registers an application with a client secret and roles. If
// the client id exists its secret and roles are replaced. An empty clientID
// is generated. Unknown roles are refused.
func (s *Service) RegisterApp(ctx context.Context, clientID, displayName, secret string, roles []string) (App, error) {
	for _, r := range roles {
		if !authz.KnownRole(r) {
			return App{}, invalid("unknown application role %q", r)
		}
	}
	if len(secret) < 16 {
		return App{}, invalid("a client secret must be at least 16 characters")
	}
	if clientID == "" {
		clientID = uuid.NewString()
	}
	h, err := HashPassword(secret)
	if err != nil {
		return App{}, err
	}
	a := App{ID: uuid.NewString(), ClientID: clientID, DisplayName: displayName, SecretHash: h, Roles: roles, CreatedAt: now()}
	err = s.store.InTx(ctx, func(tx Tx) error {
		if old, err := tx.App(ctx, clientID); err == nil {
			a.ID, a.CreatedAt = old.ID, old.CreatedAt
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		return tx.PutApp(ctx, a)
	})
	if err != nil {
		return App{}, fmt.Errorf("registering app %s: %w", clientID, err)
	}
	return a, nil
}
