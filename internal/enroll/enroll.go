// Package enroll is the service side of a device's life after registration:
// the OOBE lookup by hardware hash, TPM attestation and enrollment (the
// managed device and its certificate), device access tokens, the device's
// manifests with everything needed to apply them, and provisioning sessions
// with their named timelines — technician phase, reseal, user phase.
package enroll

import (
	"context"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// Stages of a managed device.
const (
	StageTechnician = "technician" // enrolled by the technician flow, not finished
	StageSealed     = "sealed"     // technician flow done, resealed, waiting for its user
	StageUser       = "user"       // the user flow is running
	StageComplete   = "complete"   // the user reached the desktop
)

// Session states.
const (
	SessionRunning   = "running"
	SessionSucceeded = "succeeded"
	SessionFailed    = "failed"
)

// ManagedDevice is the enrolled device (Intune's managed device record).
type ManagedDevice struct {
	ID               string
	ZTDID            string
	DeviceName       string
	SerialNumber     string
	CertSerial       string // hex serial of the current device certificate
	CertThumbprint   string // hex SHA-256 of its DER
	EKFingerprint    string
	TPMKind          string
	TPMManufacturer  string
	OSEdition        string
	OSBuild          int
	Stage            string
	PrimaryUser      string // UPN
	EnrolledAt       time.Time
	TechnicianDoneAt time.Time
	SealedAt         time.Time
	UserDoneAt       time.Time
	LastContactAt    time.Time
}

// Challenge is a pending credential-activation challenge.
type Challenge struct {
	ID              string
	DeviceID        string // ZTDId
	SecretSHA256    string
	EKFingerprint   string
	TPMKind         string
	TPMManufacturer string
	OS              wire.OSInfo
	CreatedAt       time.Time
	ExpiresAt       time.Time
	UsedAt          time.Time
}

// Session is one provisioning session: one phase attempt of one device.
type Session struct {
	ID        string    `json:"id"`
	DeviceID  string    `json:"ztdId"`
	Phase     string    `json:"phase"`
	State     string    `json:"state"`
	StartedAt time.Time `json:"startedAt"`
	EndedAt   time.Time `json:"endedAt,omitzero"`
	Error     string    `json:"error,omitempty"`
	LastSeq   int64     `json:"lastSeq"`
}

// LogBundle is an uploaded diagnostics zip.
type LogBundle struct {
	ID         string    `json:"id"`
	DeviceID   string    `json:"ztdId"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	UploadedAt time.Time `json:"uploadedAt"`
}

// Tx is what enrollment writes in one transaction.
type Tx interface {
	// Reads inside a transaction go through it: on SQLite a read through
	// the pool while the transaction holds the write lock can wait for a
	// connection the waiting writers hold.
	AutopilotDevice(ctx context.Context, id string) (autopilot.Device, error)
	UpdateAutopilotDevice(ctx context.Context, d autopilot.Device) error
	Profile(ctx context.Context, id string) (autopilot.Profile, error)
	ManagedDevice(ctx context.Context, id string) (ManagedDevice, error)

	PutChallenge(ctx context.Context, c Challenge) error
	// LockChallenge reads a challenge and locks it for this transaction.
	LockChallenge(ctx context.Context, id string) (Challenge, error)
	MarkChallengeUsed(ctx context.Context, id string, at time.Time) error
	CountChallengesSince(ctx context.Context, deviceID string, since time.Time) (int, error)

	ManagedDeviceByZTD(ctx context.Context, ztdID string) (ManagedDevice, error)
	PutManagedDevice(ctx context.Context, md ManagedDevice) error // insert or replace by id
	DeleteManagedDevice(ctx context.Context, id string) error

	LockSession(ctx context.Context, id string) (Session, error)
	PutSession(ctx context.Context, s Session) error // insert or replace by id
	// InsertEvents stores events, skipping any (session, seq) already held.
	InsertEvents(ctx context.Context, sessionID string, evs []wire.Event) error
	// ContiguousSeq returns the highest seq n such that 1..n are all stored.
	ContiguousSeq(ctx context.Context, sessionID string, from int64) (int64, error)

	// PutSecretIfAbsent stores key material unless some is already there.
	PutSecretIfAbsent(ctx context.Context, id, public, private string, at time.Time) error
	PutLogBundle(ctx context.Context, b LogBundle) error
}

// Store is enrollment's storage and the reads it needs.
type Store interface {
	EnrollTx(ctx context.Context, fn func(Tx) error) error

	Secret(ctx context.Context, id string) (public, private string, err error)
	ManagedDevice(ctx context.Context, id string) (ManagedDevice, error)
	ManagedDeviceByZTD(ctx context.Context, ztdID string) (ManagedDevice, error)
	ManagedDevices(ctx context.Context) ([]ManagedDevice, error)
	TouchManagedDevice(ctx context.Context, id string, at time.Time) error
	Sessions(ctx context.Context, deviceID string) ([]Session, error)
	Session(ctx context.Context, id string) (Session, error)
	Events(ctx context.Context, sessionID string) ([]wire.Event, error)
	LogBundles(ctx context.Context, deviceID string) ([]LogBundle, error)

	AutopilotDevice(ctx context.Context, id string) (autopilot.Device, error)
	AutopilotDeviceByFingerprint(ctx context.Context, fp string) (autopilot.Device, error)
	Profile(ctx context.Context, id string) (autopilot.Profile, error)
	Tenant(ctx context.Context) (directory.Tenant, error)
	UserByUPN(ctx context.Context, upn string) (directory.User, error)
}
