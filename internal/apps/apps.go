// Package apps is the catalog of what a device receives: apps (Graph's
// mobileApps: win32LobApp, windowsMobileMSI, and other types listed but not
// installed), policies (Graph's deviceConfigurations: custom OMA-URI
// settings, certificate, Wi-Fi and VPN profiles, and the setting that
// disables the Microsoft Account sign-in assistant) and PowerShell scripts
// (deviceManagementScripts), each with its assignments.
//
// Every write — an item or its assignments — bumps one catalog Version in
// the same transaction, and Snapshot reads everything with that version
// consistently, so the targeting engine can cache the catalog by version.
// Invalid input (rules, commands, dependency cycles, assignments to missing
// groups) is refused with an apperr.InvalidError naming the Graph property,
// and nothing is written.
package apps

import (
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/assign"
)

// Kind is an app's type.
type Kind string

// App kinds. Any other Graph mobileApp type is stored as Unsupported (its
// Graph type kept in App.ODataType): listed, assignable, never installed.
const (
	Win32       Kind = "win32LobApp"
	MSI         Kind = "windowsMobileMSI"
	Unsupported Kind = "unsupported"
)

// Install contexts (Graph runAsAccountType).
const (
	RunAsSystem = "system" // device context: installs in the technician phase
	RunAsUser   = "user"
)

// Restart behaviours (Graph win32LobAppRestartBehavior).
const (
	RestartBasedOnReturnCode = "basedOnReturnCode"
	RestartAllow             = "allow"
	RestartSuppress          = "suppress"
	RestartForce             = "force"
)

// Limits, as Intune documents or enforces them.
const (
	MaxDisplayNameLen  = 256
	MaxDescriptionLen  = 10000
	MaxNameLen         = 256 // publisher, developer, owner
	MaxURLLen          = 2048
	MaxCommandLen      = 1024 // install and uninstall command lines
	MaxFileNameLen     = 260
	MaxRules           = 100 // detection rules, and requirement rules
	MaxReturnCodes     = 100
	MaxDependencies    = 100 // direct and indirect, as Intune counts them
	MaxAssignments     = 200
	MaxRoleScopeTags   = 100
	MaxScriptBytes     = 200 * 1024 // decoded PowerShell script content
	MaxRunTimeMinutes  = 1440
	DefaultRunTime     = 60
	DefaultRoleScopeID = "0" // Intune's built-in "Default" scope tag
)

// App is one app of the catalog.
type App struct {
	ID   string `json:"-"`
	Kind Kind   `json:"-"`
	// ODataType is the Graph type without namespace ("win32LobApp",
	// "webApp"); for Win32 and MSI it equals Kind.
	ODataType   string `json:"-"`
	DisplayName string `json:"-"`
	Description string `json:"description,omitempty"`
	Publisher   string `json:"publisher,omitempty"`
	Developer   string `json:"developer,omitempty"`
	Owner       string `json:"owner,omitempty"`
	Notes       string `json:"notes,omitempty"`
	// InformationURL and PrivacyInformationURL are http(s) URLs or "".
	InformationURL        string   `json:"informationUrl,omitempty"`
	PrivacyInformationURL string   `json:"privacyInformationUrl,omitempty"`
	IsFeatured            bool     `json:"isFeatured,omitempty"`
	RoleScopeTagIDs       []string `json:"roleScopeTagIds,omitempty"` // never empty after validation: ["0"] by default
	FileName              string   `json:"fileName,omitempty"`        // the package's file name (.intunewin, .msi)

	// Win32: the command lines, the install context and what to do about
	// restarts. MSI: InstallCommand holds the msiexec arguments
	// (commandLine) and there is no uninstall command (msiexec /x).
	InstallCommand          string `json:"installCommand,omitempty"`
	UninstallCommand        string `json:"uninstallCommand,omitempty"`
	SetupFilePath           string `json:"setupFilePath,omitempty"`
	RunAsAccount            string `json:"runAsAccount,omitempty"`    // RunAsSystem or RunAsUser; MSI: from useDeviceContext
	RestartBehavior         string `json:"restartBehavior,omitempty"` // Restart…; Win32 only
	MaxRunTimeMinutes       int    `json:"maxRunTimeMinutes,omitempty"`
	DisplayVersion          string `json:"displayVersion,omitempty"`
	AllowAvailableUninstall bool   `json:"allowAvailableUninstall,omitempty"`

	DetectionRules []Rule          `json:"detectionRules,omitempty"` // Win32: at least one
	Requirements   Requirements    `json:"requirements"`
	ReturnCodes    []ReturnCode    `json:"returnCodes,omitempty"` // Win32: DefaultReturnCodes when none given
	MSIInformation *MSIInformation `json:"msiInformation,omitempty"`
	// Dependencies are the ids of Win32 apps that install before this one;
	// cycles are refused. Set through Service.SetDependencies.
	Dependencies []string `json:"-"`

	// ContentSHA256 (lower-case hex) and Size (bytes) describe the package
	// blob in the content store; "" and 0 until content is committed. Set
	// through Service.SetAppContent only.
	ContentSHA256 string `json:"-"`
	Size          int64  `json:"-"`

	// MSI: the product code ({GUID}) and version that detect the install,
	// unless IgnoreVersionDetection (then any version counts).
	ProductCode            string `json:"productCode,omitempty"`
	ProductVersion         string `json:"productVersion,omitempty"`
	IgnoreVersionDetection bool   `json:"ignoreVersionDetection,omitempty"`

	Assignments []AppAssignment `json:"-"` // filled in by reads
	CreatedAt   time.Time       `json:"-"`
	UpdatedAt   time.Time       `json:"-"`
}

// MSIInformation is what a Win32 app wrapping an MSI says about it
// (Graph win32LobAppMsiInformation); informational only.
type MSIInformation struct {
	ProductCode    string `json:"productCode,omitempty"`
	ProductVersion string `json:"productVersion,omitempty"`
	UpgradeCode    string `json:"upgradeCode,omitempty"`
	RequiresReboot bool   `json:"requiresReboot,omitempty"`
	PackageType    string `json:"packageType,omitempty"` // perMachine, perUser, dualPurpose
	ProductName    string `json:"productName,omitempty"`
	Publisher      string `json:"publisher,omitempty"`
}

// Supported reports whether whiteglove can install the app (Win32 or MSI).
func (a App) Supported() bool { return a.Kind == Win32 || a.Kind == MSI }

// Context is the install context, RunAsSystem or RunAsUser; unsupported
// apps report RunAsUser (they never install in the technician phase).
func (a App) Context() string {
	if a.RunAsAccount == RunAsSystem && a.Supported() {
		return RunAsSystem
	}
	return RunAsUser
}

// HasContent reports whether the package blob has been committed.
func (a App) HasContent() bool { return a.ContentSHA256 != "" }

// Intent is what an app assignment asks for (Graph installIntent).
type Intent string

// Intents.
const (
	IntentRequired  Intent = "required"
	IntentAvailable Intent = "available"
	IntentUninstall Intent = "uninstall"
)

// Notification settings of an app assignment (Graph win32LobAppNotification).
const (
	NotifyShowAll    = "showAll"
	NotifyShowReboot = "showReboot"
	NotifyHideAll    = "hideAll"
)

// AppAssignment is one target of an app (Graph mobileAppAssignment).
type AppAssignment struct {
	ID     string
	Intent Intent
	Target assign.Target
	// Notifications is the end-user notification setting; "" is showAll.
	Notifications string
}

// Assignment is one target of a policy or a script (Graph
// deviceConfigurationAssignment, deviceManagementScriptAssignment).
type Assignment struct {
	ID     string
	Target assign.Target
}

// clone returns a with its slices and pointers copied, so a change
// function cannot alter the original.
func (a App) clone() App {
	a.RoleScopeTagIDs = append([]string(nil), a.RoleScopeTagIDs...)
	a.DetectionRules = cloneRules(a.DetectionRules)
	a.Requirements.Architectures = append([]string(nil), a.Requirements.Architectures...)
	a.Requirements.Rules = cloneRules(a.Requirements.Rules)
	a.ReturnCodes = append([]ReturnCode(nil), a.ReturnCodes...)
	a.Dependencies = append([]string(nil), a.Dependencies...)
	a.Assignments = append([]AppAssignment(nil), a.Assignments...)
	if a.MSIInformation != nil {
		m := *a.MSIInformation
		a.MSIInformation = &m
	}
	return a
}

func newID() string { return uuid.NewString() }

// now is truncated to microseconds so values survive both databases intact.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
