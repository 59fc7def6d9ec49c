package autopilot

import (
	"context"
	"time"

	"github.com/whiteglove/whiteglove/internal/directory"
)

// Reader reads Autopilot registration state.
type Reader interface {
	AutopilotDevice(ctx context.Context, id string) (Device, error)
	// AutopilotDevices lists every device identity ordered by serial number,
	// without the hardware hash (use AutopilotDevice for it).
	AutopilotDevices(ctx context.Context) ([]Device, error)
	// AutopilotDevicesBySerial lists identities whose serial number contains
	// part (ignoring case), without the hardware hash.
	AutopilotDevicesBySerial(ctx context.Context, part string) ([]Device, error)
	Import(ctx context.Context, id string) (Import, error)
	Imports(ctx context.Context) ([]Import, error)
	Profile(ctx context.Context, id string) (Profile, error)
	Profiles(ctx context.Context) ([]Profile, error)
	ProfileAssignments(ctx context.Context, profileID string) ([]ProfileAssignment, error)
	AutopilotSettings(ctx context.Context) (Settings, error)
}

// ProfileUpdate is a device's newly computed profile.
type ProfileUpdate struct {
	DeviceID   string
	ProfileID  string
	Status     string
	AssignedAt time.Time
}

// Tx is a write transaction spanning Autopilot and the directory, so a
// device identity and its Entra device object commit together.
type Tx interface {
	directory.Tx
	Reader

	PutAutopilotDevices(ctx context.Context, ds []Device) error
	UpdateAutopilotDevice(ctx context.Context, d Device) error
	DeleteAutopilotDevice(ctx context.Context, id string) error
	// AutopilotDevicesByEntra returns the identities anchored on these Entra objects.
	AutopilotDevicesByEntra(ctx context.Context, entraObjectIDs []string) ([]Device, error)
	// AutopilotDevicesByFingerprint maps known fingerprints to the
	// registered identity (only ID and ImportID are filled in).
	AutopilotDevicesByFingerprint(ctx context.Context, fps []string) (map[string]Device, error)
	// AutopilotDevicesBySerials returns the identities whose serial number
	// is one of serials (ignoring case), without the hardware hash.
	AutopilotDevicesBySerials(ctx context.Context, serials []string) ([]Device, error)
	// EachAutopilotDevice streams every identity, without the hardware hash.
	EachAutopilotDevice(ctx context.Context, fn func(Device) error) error
	SetProfiles(ctx context.Context, us []ProfileUpdate) error
	// ClearDirectProfile drops direct assignments to profileID.
	ClearDirectProfile(ctx context.Context, profileID string) error

	// PutImports records imports; a non-empty leaseOwner records them
	// already leased, so no other processor takes them.
	PutImports(ctx context.Context, is []Import, leaseOwner string, leaseUntil time.Time) error
	// ClaimImports leases up to limit unknown imports whose lease expired.
	ClaimImports(ctx context.Context, owner string, now, until time.Time, limit int) ([]Import, error)
	// FinishImports records outcomes of imports leased by owner.
	FinishImports(ctx context.Context, owner string, is []Import) error
	DeleteImport(ctx context.Context, id string) error

	PutProfile(ctx context.Context, p Profile, create bool) error
	DeleteProfile(ctx context.Context, id string) error
	AllProfileAssignments(ctx context.Context) ([]ProfileAssignment, error)
	PutProfileAssignment(ctx context.Context, a ProfileAssignment) error
	DeleteProfileAssignment(ctx context.Context, id string) error
	// GroupsAmong returns, for each member, which of groupIDs it belongs to.
	GroupsAmong(ctx context.Context, memberIDs, groupIDs []string) (map[string][]string, error)

	PutAutopilotSettings(ctx context.Context, s Settings, leaseUntil time.Time) error
	SyncLease(ctx context.Context) (time.Time, error)
}

// Store is Autopilot's storage.
type Store interface {
	Reader
	AutopilotTx(ctx context.Context, fn func(Tx) error) error
}
