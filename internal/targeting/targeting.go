// Package targeting is the rulebook of pre-provisioning in one pure
// function: given a device, its assigned user, the catalog of apps,
// policies and scripts with their assignments, the deployment profile and
// the ESP profile, it decides which items land in the technician phase,
// which wait for the user phase, what blocks the ESP, and why — with the
// warnings an admin needs before a device boots. The device API, the
// console, `whiteglove plan` and the simulator all call Plan.
package targeting

import "github.com/whiteglove/whiteglove/internal/assign"

// Kinds of items.
const (
	KindApp    = "app"
	KindPolicy = "policy"
	KindScript = "script"
)

// Install contexts.
const (
	ContextSystem = "system"
	ContextUser   = "user"
)

// Intents of an assignment.
const (
	IntentRequired  = "required"
	IntentAvailable = "available"
	IntentUninstall = "uninstall"
)

// App types that matter to the rules.
const (
	AppWin32 = "win32LobApp"
	AppMSI   = "windowsMobileMSI"
)

// Assignment is one target of an item with its intent (policies and
// scripts are always "required").
type Assignment struct {
	Intent string
	Target assign.Target
}

// Item is an app, policy or script as the rules see it.
type Item struct {
	ID      string
	Name    string
	Kind    string // KindApp, KindPolicy, KindScript
	AppType string // apps: AppWin32, AppMSI, or another Graph type
	Context string // ContextSystem or ContextUser
	// Tracked says whether the ESP tracks the item (apps always; certificate,
	// Wi-Fi and VPN policies; scripts) — plain settings are not tracked.
	Tracked      bool
	Size         int64    // content bytes, for the duration estimate
	Dependencies []string // app ids that must install first
	// DisablesSigninAssistant marks the policy that turns wlidsvc off.
	DisablesSigninAssistant bool
	Assignments             []Assignment
	Supported               bool // false for item types whiteglove cannot install: listed, never dropped silently
}

// Profile is what the rules need of the deployment profile.
type Profile struct {
	ID                     string
	Name                   string
	PreprovisioningAllowed bool
	HybridJoin             bool
	Locale                 string // "os-default" or "" when the user picks the language
}

// ESP is what the rules need of the resolved ESP profile.
type ESP struct {
	Found                bool
	ID                   string
	Name                 string
	DeviceTargeted       bool // pre-provisioning accepts only device-targeted profiles
	Reason               string
	TimeoutMinutes       int
	SelectedMobileAppIDs []string
	AllowNonBlocking     bool
}

// Input is everything Plan looks at.
type Input struct {
	Device       assign.Subject  // the device's Entra object and its groups
	User         *assign.Subject // the assigned user; nil when none
	Items        []Item          // every item; or leave nil and set Catalog
	Catalog      *Catalog        // an index over the items, for large catalogs
	Profile      *Profile        // nil when no profile is assigned
	ESP          ESP
	HasConnector bool // an on-premises connector is registered (hybrid join)
	// GroupNames names groups in reasons; unknown ids are shown as ids.
	GroupNames map[string]string
	// UserGroups are groups that hold users (for the no-assigned-user warning).
	UserGroups map[string]bool
	// ContentMBps is the download speed assumed by the estimate; 0 = 10 MB/s.
	ContentMBps float64
	// SkipWarnings leaves Result.Warnings empty (manifests need no advice).
	SkipWarnings bool
}

// Entry is one item in a phase.
type Entry struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	AppType  string `json:"appType,omitempty"`
	Context  string `json:"context"`
	Tracked  bool   `json:"tracked"`
	Blocking bool   `json:"blocking"`
	Reason   string `json:"reason,omitempty"`
}

// Phase is the ordered work of one phase.
type Phase struct {
	Phase            string  `json:"phase"` // "technician" or "user"
	Items            []Entry `json:"items"`
	PredictedSeconds int     `json:"predictedSeconds"`
}

// Warning is something the admin should fix, with how.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// Result is a plan.
type Result struct {
	Phases      []Phase   `json:"phases"`
	Blocking    []string  `json:"blocking"`
	Uninstalled []Entry   `json:"uninstall,omitempty"`
	Unsupported []Entry   `json:"unsupported,omitempty"`
	Warnings    []Warning `json:"warnings"`
}
