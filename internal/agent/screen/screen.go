// Package screen describes what the device client shows, independent of
// how: the provisioning state machine (internal/agent) publishes Views and
// receives Actions; the terminal UI (internal/agent/ui) draws Views and
// turns key presses into Actions; headless runs (--auto) pick Actions
// from the View without drawing.
package screen

import "time"

// Kind names a screen.
type Kind string

// Screens of the technician and user flows.
const (
	Welcome       Kind = "welcome"       // first OOBE screen: language (five Windows-key presses open Options)
	Options       Kind = "options"       // the options dialog: pre-provisioning
	Working       Kind = "working"       // a short wait with a message (contacting the service)
	Configuration Kind = "configuration" // profile, organization, user, QR; Refresh / Provision
	Blocked       Kind = "blocked"       // cannot continue: Problem says why; Refresh / Reset
	Progress      Kind = "progress"      // ESP: requirements and categories
	Success       Kind = "success"       // technician flow done; Reseal
	Pending       Kind = "pending"       // enrollment done, items still pending (no ESP tracking); confirm reseal
	Failure       Kind = "failure"       // error, elapsed, custom message; actions as the ESP allows
	Sealed        Kind = "sealed"        // powering off
	SignIn        Kind = "signin"        // user flow: branded sign-in
	Network       Kind = "network"       // user flow: network choice
	Desktop       Kind = "desktop"       // user flow: done
)

// Action is something the person chose.
type Action string

// Actions.
const (
	Preprovision   Action = "preprovision" // from Options
	Cancel         Action = "cancel"
	Next           Action = "next"
	Refresh        Action = "refresh"
	Provision      Action = "provision"
	Reseal         Action = "reseal"
	ConfirmReseal  Action = "confirmReseal" // Pending: reseal with items still pending
	CollectLogs    Action = "collectLogs"
	Reset          Action = "reset"
	Retry          Action = "retry"
	ContinueAnyway Action = "continueAnyway"
	Quit           Action = "quit"
	SubmitSignIn   Action = "signIn" // with Input["user"], Input["password"]
)

// Input is an action with what was typed.
type Input struct {
	Action Action
	Values map[string]string
}

// Device is what the configuration, success and failure screens show.
type Device struct {
	ZTDID        string
	SerialNumber string
	Profile      string
	Organization string
	User         string // assigned user (UPN), "" when none
	DeviceName   string
}

// State of a check, category or item.
type State string

// States.
const (
	StatePending State = "pending"
	StateRunning State = "running"
	StateDone    State = "done"
	StateSkipped State = "skipped"
	StateFailed  State = "failed"
)

// Check is one requirement checked before provisioning (TPM, network, …).
type Check struct {
	Name   string
	State  State
	Detail string
}

// Item is one line under an ESP category.
type Item struct {
	Name   string
	State  State
	Detail string
}

// Category is an ESP category: Device preparation, Device setup, Account setup.
type Category struct {
	Name  string
	State State
	Items []Item
	// Apps counts apps as "n of m" (Done of Total); Total 0 = no apps line.
	AppsDone, AppsTotal int
}

// Problem is why the device cannot go on, with what to do.
type Problem struct {
	Code    string
	Message string
	Action  string
}

// View is one whole screen.
type View struct {
	Kind       Kind
	Title      string
	Message    string   // a line under the title
	Language   string   // Welcome: the selected language
	Device     Device   // Configuration, Success, Failure, Pending
	QR         string   // payload to draw as a QR code: JSON with "ZtdId"
	Problem    *Problem // Blocked, Failure
	Checks     []Check  // Progress: requirement checks
	Categories []Category
	Elapsed    time.Duration
	Error      string   // Failure
	Custom     string   // Failure: the ESP profile's custom message
	Pending    []string // Pending: items not done yet
	Actions    []Action // offered buttons, in order; the UI offers nothing else
	Fields     []string // SignIn: input fields ("user", "password")
	Notice     string   // a transient message (logs written to …)
}

// Offers reports whether the view offers an action.
func (v View) Offers(a Action) bool {
	for _, x := range v.Actions {
		if x == a {
			return true
		}
	}
	return false
}
