package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/token"
)

// dummyHash is checked against when a client or user is unknown, so a
// failed sign-in takes the same time whether or not the name exists.
var dummyHash, _ = HashPassword("whiteglove-timing-equaliser")

// AuthenticateClient checks a registered app's client secret.
func (s *Service) AuthenticateClient(ctx context.Context, tenantID, clientID, secret string) (token.Principal, error) {
	t, err := s.store.Tenant(ctx)
	if err != nil {
		return token.Principal{}, fmt.Errorf("reading tenant: %w", err)
	}
	a, err := s.store.App(ctx, clientID)
	if errors.Is(err, ErrNotFound) {
		CheckPassword(dummyHash, secret)
		return token.Principal{}, token.ErrInvalidClient
	}
	if err != nil {
		return token.Principal{}, fmt.Errorf("reading app: %w", err)
	}
	if t.ID != tenantID || !CheckPassword(a.SecretHash, secret) {
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
	if errors.Is(err, ErrNotFound) {
		CheckPassword(dummyHash, password)
		return token.Principal{}, token.ErrInvalidGrant
	}
	if err != nil {
		return token.Principal{}, fmt.Errorf("reading user: %w", err)
	}
	if t.ID != tenantID || u.PasswordHash == "" || !CheckPassword(u.PasswordHash, password) || !u.AccountEnabled {
		return token.Principal{}, token.ErrInvalidGrant
	}
	return token.Principal{Kind: token.KindUser, ObjectID: u.ID, Name: u.UPN, TenantID: t.ID, Roles: authz.TokenRoles(u.Roles)}, nil
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
