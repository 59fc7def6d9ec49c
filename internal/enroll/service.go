package enroll

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/manifest"
)

// Lifetimes.
const (
	ChallengeLifetime = 5 * time.Minute
	NonceLifetime     = 2 * time.Minute
	TokenLifetime     = 15 * time.Minute
	DeviceCertLife    = 365 * 24 * time.Hour
	// MaxChallenges is how many attestation attempts a device may start in
	// ChallengeWindow before it must wait.
	MaxChallenges   = 20
	ChallengeWindow = 10 * time.Minute
)

// Secret ids.
const (
	secretCA    = "device-ca"
	secretToken = "device-token"
)

// ESPResolver resolves a device's ESP profile.
type ESPResolver interface {
	Resolve(ctx context.Context, in esp.ResolveInput) (esp.Resolution, error)
}

// Manifests gives stored manifests and announces their changes.
type Manifests interface {
	Get(ctx context.Context, deviceID string) (manifest.Manifest, error)
	Changed(deviceID string) (<-chan int64, func())
}

// Catalog reads catalog items.
type Catalog interface {
	// Version changes with every catalog write (caches are keyed by it).
	Version(ctx context.Context) (int64, error)
	App(ctx context.Context, id string) (apps.App, error)
	Policy(ctx context.Context, id string) (apps.Policy, error)
	Script(ctx context.Context, id string) (apps.Script, error)
}

// EntraDevices updates Entra device objects (joined at enrollment).
type EntraDevices interface {
	UpdateDeviceTx(ctx context.Context, tx directory.Tx, id string, change func(*directory.Device) error) (directory.Device, error)
}

// Config wires the service.
type Config struct {
	Store     Store
	Verifier  *attest.Verifier
	ESP       ESPResolver
	Manifests Manifests
	Catalog   Catalog
	Users     Users
	Planner   Planner
	Devices   EntraDevices
	Log       *slog.Logger
	Now       func() time.Time
}

// Service is enrollment and the device side of provisioning.
type Service struct {
	st       Store
	verifier *attest.Verifier
	esp      ESPResolver
	mf       Manifests
	cat      Catalog
	users    Users
	planner  Planner
	devices  EntraDevices
	log      *slog.Logger
	now      func() time.Time
	ca       *attest.CA
	tokenKey []byte
	items    itemCache
}

// New loads (creating once, replica-safe) the device CA and the token key.
func New(ctx context.Context, cfg Config) (*Service, error) {
	s := &Service{st: cfg.Store, verifier: cfg.Verifier, esp: cfg.ESP, mf: cfg.Manifests, cat: cfg.Catalog, users: cfg.Users, planner: cfg.Planner, devices: cfg.Devices, log: cfg.Log, now: cfg.Now}
	if s.now == nil {
		s.now = func() time.Time { return time.Now().UTC() }
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	t, err := s.st.Tenant(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the tenant for the device CA: %w", err)
	}
	certPEM, keyPEM, err := s.secret(ctx, secretCA, func() (string, string, error) {
		ca, err := attest.NewCA(t.DisplayName)
		if err != nil {
			return "", "", err
		}
		c, k, err := ca.MarshalPEM()
		return string(c), string(k), err
	})
	if err != nil {
		return nil, fmt.Errorf("loading the device CA: %w", err)
	}
	if s.ca, err = attest.ParseCA([]byte(certPEM), []byte(keyPEM)); err != nil {
		return nil, fmt.Errorf("parsing the device CA: %w", err)
	}
	_, key, err := s.secret(ctx, secretToken, func() (string, string, error) {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", "", err
		}
		return "hmac-sha256", base64.StdEncoding.EncodeToString(b), nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading the device token key: %w", err)
	}
	if s.tokenKey, err = base64.StdEncoding.DecodeString(key); err != nil || len(s.tokenKey) < 32 {
		return nil, fmt.Errorf("the stored device token key is damaged")
	}
	return s, nil
}

// CA returns the device CA.
func (s *Service) CA() *attest.CA { return s.ca }

// secret reads key material, making and storing it first when there is
// none; two replicas starting at once end up with the same.
func (s *Service) secret(ctx context.Context, id string, make func() (string, string, error)) (string, string, error) {
	pub, priv, err := s.st.Secret(ctx, id)
	if err == nil {
		return pub, priv, nil
	}
	if !errors.Is(err, apperr.ErrNotFound) {
		return "", "", err
	}
	pub, priv, err = make()
	if err != nil {
		return "", "", err
	}
	if err := s.st.EnrollTx(ctx, func(tx Tx) error { return tx.PutSecretIfAbsent(ctx, id, pub, priv, s.now()) }); err != nil {
		return "", "", err
	}
	return s.st.Secret(ctx, id)
}
