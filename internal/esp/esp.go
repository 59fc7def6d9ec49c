// Package esp is the Enrollment Status Page: ESP profiles (Graph's
// windows10EnrollmentCompletionPageConfiguration), their priorities and
// assignments, and Resolve, which decides the profile a device (and its
// user) gets, and why.
//
// Priorities follow Intune: 1 is the highest; the profiles other than the
// default always hold exactly 1..n, so creating a profile appends it at n+1,
// deleting one closes the gap, and SetPriority moves one profile and shifts
// those in between by one. The default profile ("All users and all
// devices") has priority 0, applies when nothing else does, and can be
// changed but neither deleted, re-prioritised nor assigned.
package esp

import (
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/assign"
)

// Limits and defaults, as Graph documents them for
// windows10EnrollmentCompletionPageConfiguration.
const (
	DefaultErrorMessage   = "Setup could not be completed. Please try again or contact your support person for help."
	DefaultTimeoutMinutes = 60
	MinTimeoutMinutes     = 1
	MaxTimeoutMinutes     = 1440
	MaxErrorMessageLen    = 10000
	MaxBlockingApps       = 100 // selectedMobileAppIds, as the Intune portal allows
	MaxDisplayNameLen     = 256
	MaxDescriptionLen     = 1024
	MaxRoleScopeTags      = 100
	MaxAssignments        = 200
	DefaultRoleScopeTag   = "0" // Intune's built-in "Default" scope tag
)

// The default profile's fixed identity. Its id is "<tenant id>" followed by
// DefaultIDSuffix, as Intune names it.
const (
	DefaultIDSuffix    = "_DefaultWindows10EnrollmentCompletionPageConfiguration"
	DefaultDisplayName = "All users and all devices"
	DefaultDescription = "This is the default enrollment status screen configuration applied with the lowest priority to all users and all devices regardless of group membership."
)

// Settings are the ESP knobs of a profile, named after their Graph
// properties. Only AllowNonBlockingAppInstallation exists in Graph v1.0;
// the others are beta-only.
type Settings struct {
	ShowInstallationProgress                bool
	BlockDeviceSetupRetryByUser             bool
	AllowDeviceResetOnInstallFailure        bool
	AllowLogCollectionOnInstallFailure      bool
	CustomErrorMessage                      string // never empty after validation: blank means DefaultErrorMessage
	InstallProgressTimeoutInMinutes         int    // MinTimeoutMinutes..MaxTimeoutMinutes
	AllowDeviceUseOnInstallFailure          bool
	SelectedMobileAppIDs                    []string // blocking apps: lower-case GUIDs, no duplicates; empty = none selected
	AllowNonBlockingAppInstallation         bool
	InstallQualityUpdates                   bool
	TrackInstallProgressForAutopilotOnly    bool
	DisableUserStatusTrackingAfterFirstUser bool
}

// DefaultSettings are the settings of a new profile: every switch off, the
// documented error text and a 60-minute timeout.
func DefaultSettings() Settings {
	return Settings{CustomErrorMessage: DefaultErrorMessage, InstallProgressTimeoutInMinutes: DefaultTimeoutMinutes}
}

// Profile is one ESP profile.
type Profile struct {
	ID              string
	Default         bool // the "All users and all devices" profile
	DisplayName     string
	Description     string
	Priority        int      // 0 for the default; 1 (highest) .. n for the others
	Version         int      // starts at 1, bumped by every update
	RoleScopeTagIDs []string // never empty after validation: ["0"] by default
	Settings
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewProfile returns a profile with default settings, ready for a caller to
// fill in before Service.Create.
func NewProfile() Profile {
	return Profile{Settings: DefaultSettings(), RoleScopeTagIDs: []string{DefaultRoleScopeTag}}
}

// defaultProfile is the default profile as first created.
func defaultProfile(id string, at time.Time) Profile {
	p := NewProfile()
	p.ID, p.Default, p.DisplayName, p.Description = id, true, DefaultDisplayName, DefaultDescription
	p.Version, p.CreatedAt, p.UpdatedAt = 1, at, at
	return p
}

// Assignment is one target of a profile (Graph's
// enrollmentConfigurationAssignment).
type Assignment struct {
	ID     string
	Target assign.Target
}

// clone returns p with its slices copied, so a change function cannot alter
// the original.
func (p Profile) clone() Profile {
	p.RoleScopeTagIDs = append([]string(nil), p.RoleScopeTagIDs...)
	p.SelectedMobileAppIDs = append([]string(nil), p.SelectedMobileAppIDs...)
	return p
}

func newID() string { return uuid.NewString() }

// now is truncated to microseconds so values survive both databases intact.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
