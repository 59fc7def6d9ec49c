// Package manifest keeps every registered device's desired state — what its
// technician and user phases install, with the blocking set — computed by
// the targeting rules and versioned, so a device (and the device API) can
// learn at once that its manifest changed. It is recomputed when something
// that can move it changes, never on a device's request: membership,
// user-assignment and registration changes mark objects dirty inside the
// changing transaction, and a change to the app catalog or the ESP profiles
// recomputes every device once, on one replica.
package manifest

import (
	"context"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/targeting"
)

// Manifest is one device's desired state.
type Manifest struct {
	DeviceID   string            `json:"ztdId"`
	Version    int64             `json:"version"`
	Digest     string            `json:"digest"`
	Phases     []targeting.Phase `json:"phases"`
	Blocking   []string          `json:"blocking"`
	ComputedAt time.Time         `json:"computedAt"`
	// Body is the stored encoding of Phases and Blocking (set by compute).
	Body []byte `json:"-"`
}

// Stored is what decides whether a recomputed manifest moved.
type Stored struct {
	Version int64
	Digest  string
}

// Tx is the transaction the recomputer writes in.
type Tx interface {
	// LockState locks the full-recomputation state and returns its key.
	LockState(ctx context.Context) (string, error)
	SetState(ctx context.Context, key string) error
	StoredManifests(ctx context.Context, ids []string) (map[string]Stored, error)
	PutManifests(ctx context.Context, ms []Manifest) error
	DeleteManifests(ctx context.Context, ids []string) error
	// TakeDirty removes and returns up to limit dirty object keys.
	TakeDirty(ctx context.Context, limit int) ([]string, error)
}

// Store is the manifests' storage and the reads the recomputer needs.
type Store interface {
	Manifest(ctx context.Context, deviceID string) (Manifest, error)
	ManifestTx(ctx context.Context, fn func(Tx) error) error

	AutopilotDevices(ctx context.Context) ([]autopilot.Device, error)
	AutopilotDevice(ctx context.Context, id string) (autopilot.Device, error)
	AutopilotDevicesForEntra(ctx context.Context, entraObjectID string) ([]autopilot.Device, error)
	AutopilotDevicesForUser(ctx context.Context, upn string) ([]autopilot.Device, error)
	User(ctx context.Context, id string) (directory.User, error)
	Users(ctx context.Context) ([]directory.User, error)
	// AllMemberships maps every member object id to its group ids.
	AllMemberships(ctx context.Context) (map[string][]string, error)
	// MembershipsOf maps each of these objects to its groups.
	MembershipsOf(ctx context.Context, objectIDs []string) (map[string][]string, error)
}

// Catalog is the app and policy catalog as the rules see it.
type Catalog interface {
	Catalog(ctx context.Context) (*targeting.Catalog, error)
}

// Versioned says which catalog version a catalog read reflects.
type Versioned interface {
	Version(ctx context.Context) (int64, error)
}

// ESP gives the ESP profiles' rules.
type ESP interface {
	Rules(ctx context.Context) (*esp.Rules, error)
}

// Dirty keys: what changed, to be mapped to devices.
const (
	KeyDevice = "device:" // an Autopilot device (ZTDId)
	KeyEntra  = "entra:"  // an Entra device object
	KeyUser   = "user:"   // a person (their devices)
)
