package server

import (
	"context"
	"fmt"
	"io"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/demo"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// bootstrap creates the tenant and signing key on first start, registers the
// bootstrap app, and seeds the demo tenant when asked.
func (s *Server) bootstrap(ctx context.Context, out io.Writer) error {
	name, domain := s.cfg.TenantName, s.cfg.TenantDomain
	if name == "" {
		name = "Contoso"
	}
	if domain == "" {
		domain = "contoso.example"
	}
	t, created, err := s.dir.EnsureTenant(ctx, directory.TenantSettings{DisplayName: name, Domain: domain, Seats: s.cfg.Seats})
	if err != nil {
		return err
	}
	s.Tenant = t
	if err := ensureSigningKey(ctx, s.st); err != nil {
		return err
	}
	switch {
	case s.cfg.BootstrapClientID != "" || s.cfg.BootstrapClientSecret != "":
		if s.cfg.BootstrapClientID == "" || s.cfg.BootstrapClientSecret == "" {
			return fmt.Errorf("WHITEGLOVE_BOOTSTRAP_CLIENT_ID and WHITEGLOVE_BOOTSTRAP_CLIENT_SECRET must be set together")
		}
		if _, err := s.dir.RegisterApp(ctx, s.cfg.BootstrapClientID, "bootstrap", s.cfg.BootstrapClientSecret, authz.AdminRoles); err != nil {
			return fmt.Errorf("registering the bootstrap app: %w", err)
		}
		s.log.Info("bootstrap app registered", "client_id", s.cfg.BootstrapClientID)
	case created:
		secret, err := directory.RandomSecret(32)
		if err != nil {
			return err
		}
		a, err := s.dir.RegisterApp(ctx, "", "admin", secret, authz.AdminRoles)
		if err != nil {
			return fmt.Errorf("registering the admin app: %w", err)
		}
		fmt.Fprintf(out, "\nAn admin credential was created for tenant %s (%s). It is shown only this once:\n"+
			"  tenant id:     %s\n  client id:     %s\n  client secret: %s\n"+
			"Get a token:  curl -s -d grant_type=client_credentials -d client_id=%s -d client_secret=%s -d scope=https://graph.microsoft.com/.default http://%s/%s/oauth2/v2.0/token\n\n",
			t.DisplayName, t.Domain, t.ID, a.ClientID, secret, a.ClientID, secret, s.cfg.Listen, t.ID)
	}
	if s.cfg.Demo {
		if err := demo.Seed(ctx, s.dir, s.st, out); err != nil {
			return fmt.Errorf("seeding the demo tenant: %w", err)
		}
	}
	return nil
}
