package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/token"
)

// ErrBusy is returned when too many sign-ins are being checked at once.
var ErrBusy = errors.New("too many sign-in attempts are being checked; retry shortly")

// checkSecret verifies a password or client secret within the service's
// bound on concurrent hashing. An empty hash (unknown name) is checked
// against a dummy so failures take the same time either way.
func (s *Service) checkSecret(ctx context.Context, hash, secret string) (bool, error) {
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	select {
	case s.hashSlots <- struct{}{}:
	case <-wait.Done():
		return false, ErrBusy
	}
	defer func() { <-s.hashSlots }()
	if hash == "" {
		s.dummyOnce.Do(func() { s.dummy, _ = HashPassword("whiteglove-timing-equaliser") })
		CheckPassword(s.dummy, secret)
		return false, nil
	}
	return CheckPassword(hash, secret), nil
}

// AuthenticateClient checks a registered app's client secret.
func (s *Service) AuthenticateClient(ctx context.Context, tenantID, clientID, secret string) (token.Principal, error) {
	t, err := s.store.Tenant(ctx)
	if err != nil {
		return token.Principal{}, fmt.Errorf("reading tenant: %w", err)
	}
	a, err := s.store.App(ctx, clientID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return token.Principal{}, fmt.Errorf("reading app: %w", err)
	}
	ok, herr := s.checkSecret(ctx, a.SecretHash, secret)
	if herr != nil {
		return token.Principal{}, herr
	}
	if !ok || t.ID != tenantID {
		return token.Principal{}, token.ErrInvalidClient
	}
	return token.Principal{Kind: token.KindApp, ObjectID: a.ID, Name: a.ClientID, TenantID: t.ID, Roles: a.Roles}, nil
}

// AuthenticateUser checks a person's password. Disabled accounts cannot sign in.
func (s *Service) AuthenticateUser(ctx context.Context, tenantID, username, password string) (token.Principal, error) {
	t, err := s.store.Tenant(ctx)
	if err != nil {
		return token.Principal{}, fmt.Errorf("reading tenant: %w", err)
	}
	u, err := s.store.UserByUPN(ctx, username)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return token.Principal{}, fmt.Errorf("reading user: %w", err)
	}
	ok, herr := s.checkSecret(ctx, u.PasswordHash, password)
	if herr != nil {
		return token.Principal{}, herr
	}
	if !ok || t.ID != tenantID || !u.AccountEnabled {
		return token.Principal{}, token.ErrInvalidGrant
	}
	return token.Principal{Kind: token.KindUser, ObjectID: u.ID, Name: u.UPN, TenantID: t.ID, Roles: authz.TokenRoles(u.Roles)}, nil
}

// CurrentPrincipal re-reads who a verified token speaks for, so a disabled
// or deleted person, a removed app, or changed roles take effect at once
// instead of when the token expires.
func (s *Service) CurrentPrincipal(ctx context.Context, p token.Principal) (token.Principal, error) {
	switch p.Kind {
	case token.KindUser:
		u, err := s.store.User(ctx, p.ObjectID)
		if errors.Is(err, ErrNotFound) || (err == nil && !u.AccountEnabled) {
			return token.Principal{}, token.ErrInvalid
		}
		if err != nil {
			return token.Principal{}, err
		}
		p.Roles = authz.TokenRoles(u.Roles)
	case token.KindApp:
		a, err := s.store.App(ctx, p.Name)
		if errors.Is(err, ErrNotFound) {
			return token.Principal{}, token.ErrInvalid
		}
		if err != nil {
			return token.Principal{}, err
		}
		p.Roles = a.Roles
	}
	return p, nil
}

// ResolveTenant maps a tenant id, the tenant's domain, or "organizations" /
// "common" to the tenant id.
func (s *Service) ResolveTenant(ctx context.Context, name string) (string, error) {
	t, err := s.store.Tenant(ctx)
	if err != nil {
		return "", fmt.Errorf("reading tenant: %w", err)
	}
	switch {
	case strings.EqualFold(name, t.ID), strings.EqualFold(name, t.Domain),
		strings.EqualFold(name, "organizations"), strings.EqualFold(name, "common"):
		return t.ID, nil
	}
	return "", token.ErrUnknownTenant
}
