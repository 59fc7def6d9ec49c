// Package token is whiteglove's OAuth 2.0 token service, modelled on the
// Microsoft Entra ID v2.0 endpoint, and the verifier the Graph-compatible API
// uses to check the bearer tokens it receives.
//
// The service mints ES256-signed JWT access tokens for the client-credentials
// and resource-owner-password grants, publishes OpenID discovery metadata and a
// JWKS, and verifies its own tokens. Persistence (apps, users, tenants, signing
// keys) is delegated to the Authenticator, TenantResolver and KeyStore
// interfaces.
package token

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// Kind says whether a token speaks for an application or for a person.
type Kind string

const (
	// KindApp is an application authenticated with its own credentials.
	KindApp Kind = "app"
	// KindUser is a person authenticated with a username and password.
	KindUser Kind = "user"
)

// Principal is who a token speaks for.
type Principal struct {
	// Kind is KindApp or KindUser.
	Kind Kind
	// ObjectID is the directory object id (oid and sub claims).
	ObjectID string
	// Name is the client id for apps and the UPN for users.
	Name string
	// TenantID is the tenant (tid claim) the principal belongs to.
	TenantID string
	// Roles are the app roles granted to the principal (roles claim).
	Roles []string
}

// Authenticator checks credentials presented at the token endpoint.
type Authenticator interface {
	// AuthenticateClient checks a registered app's secret; ErrInvalidClient if unknown or wrong.
	AuthenticateClient(ctx context.Context, tenantID, clientID, secret string) (Principal, error)
	// AuthenticateUser checks a person's password; ErrInvalidGrant if unknown, wrong, or disabled.
	AuthenticateUser(ctx context.Context, tenantID, username, password string) (Principal, error)
}

// TenantResolver maps the tenant segment of a URL to a tenant id.
type TenantResolver interface {
	// ResolveTenant maps a tenant id (GUID), a verified domain, or "organizations"/"common" to the tenant id; ErrUnknownTenant otherwise.
	ResolveTenant(ctx context.Context, name string) (string, error)
}

// KeyStore holds the token signing keys.
type KeyStore interface {
	// SigningKey returns the current ES256 private key and its key id.
	SigningKey(ctx context.Context) (*ecdsa.PrivateKey, string, error)
	// PublicKeys returns every key that tokens may still be signed with (current and recent), by key id.
	PublicKeys(ctx context.Context) (map[string]*ecdsa.PublicKey, error)
}

// DefaultIssuer is the issuer base URL callers conventionally pass in
// Config.Issuer for a local installation. Issue falls back to it when
// Config.Issuer is empty.
const DefaultIssuer = "http://127.0.0.1:8080"

// DefaultLifetime is the access-token lifetime used when Config.Lifetime is zero.
const DefaultLifetime = time.Hour

// DefaultKeyCacheTTL is how long Verify trusts its copy of KeyStore.PublicKeys
// when Config.KeyCacheTTL is zero.
const DefaultKeyCacheTTL = 5 * time.Minute

// DefaultDelegatedScopes is the scp granted to a user who asks for no scope
// or for "https://graph.microsoft.com/.default".
var DefaultDelegatedScopes = []string{
	"DeviceManagementServiceConfig.ReadWrite.All",
	"DeviceManagementManagedDevices.ReadWrite.All",
	"Directory.Read.All",
	"User.Read",
}

// Config configures a Service.
type Config struct {
	// Issuer is the base URL of the token service, e.g.
	// "https://login.example.com" (no trailing slash needed). Tokens carry
	// iss = Issuer + "/" + tenantID + "/v2.0". When empty, the HTTP handler
	// derives the base from each request (scheme + Host) and Verify accepts
	// any http(s) issuer of the form "{scheme}://{host}/{tid}/v2.0".
	Issuer string
	// TrustForwardedHeaders makes request-derived issuers honour
	// X-Forwarded-Proto and X-Forwarded-Host. Only set it behind a proxy.
	TrustForwardedHeaders bool
	// Lifetime is the access-token lifetime; DefaultLifetime when zero.
	Lifetime time.Duration
	// Clock returns the current time; time.Now when nil.
	Clock func() time.Time
	// DefaultScopes is the delegated scope set for users; DefaultDelegatedScopes when nil.
	DefaultScopes []string
	// KeyCacheTTL bounds how long Verify caches PublicKeys; DefaultKeyCacheTTL
	// when zero, no caching when negative. An unknown kid forces a refresh
	// (at most once a second).
	KeyCacheTTL time.Duration
	// Authn checks client secrets and user passwords. Required.
	Authn Authenticator
	// Tenants resolves tenant path segments. Required.
	Tenants TenantResolver
	// Keys supplies signing and verification keys. Required.
	Keys KeyStore
	// Logger receives audit events; slog.Default() when nil. Secrets and
	// passwords are never logged.
	Logger *slog.Logger
}

// Service issues and verifies access tokens. It is safe for concurrent use.
type Service struct {
	issuer   string // configured base URL without trailing slash, or ""
	proxied  bool
	lifetime time.Duration
	now      func() time.Time
	scopes   []string
	authn    Authenticator
	tenants  TenantResolver
	keys     KeyStore
	cache    *keyCache
	log      *slog.Logger
}

// New validates cfg and returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Authn == nil || cfg.Tenants == nil || cfg.Keys == nil {
		return nil, errors.New("token: Config.Authn, Config.Tenants and Config.Keys are required")
	}
	base, err := normalizeIssuer(cfg.Issuer)
	if err != nil {
		return nil, err
	}
	s := &Service{
		issuer:   base,
		proxied:  cfg.TrustForwardedHeaders,
		lifetime: cfg.Lifetime,
		now:      cfg.Clock,
		scopes:   cfg.DefaultScopes,
		authn:    cfg.Authn,
		tenants:  cfg.Tenants,
		keys:     cfg.Keys,
		log:      cfg.Logger,
	}
	if s.lifetime == 0 {
		s.lifetime = DefaultLifetime
	}
	if s.lifetime < 2*time.Second {
		return nil, fmt.Errorf("token: lifetime %v is too short", s.lifetime)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.scopes == nil {
		s.scopes = DefaultDelegatedScopes
	}
	s.scopes = append([]string(nil), s.scopes...)
	if s.log == nil {
		s.log = slog.Default()
	}
	ttl := cfg.KeyCacheTTL
	if ttl == 0 {
		ttl = DefaultKeyCacheTTL
	}
	s.cache = newKeyCache(cfg.Keys, ttl, s.now)
	return s, nil
}

// normalizeIssuer checks a configured issuer base URL and strips a trailing slash.
func normalizeIssuer(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("token: Config.Issuer %q must be an http(s) URL without query or fragment", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// issuerFor is the iss claim for tenant tid under base.
func issuerFor(base, tid string) string {
	return base + "/" + tid + "/v2.0"
}
