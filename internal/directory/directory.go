// Package directory is whiteglove's identity directory: the tenant, people,
// registered apps, groups (static and dynamic) and Entra-style device objects.
// Dynamic group membership is maintained incrementally: a changed device or
// user is matched against the rules, a changed rule against the objects of its
// kind, and only the difference is written.
package directory

import (
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// ErrNotFound is returned when an object does not exist.
var ErrNotFound = apperr.ErrNotFound

// ErrConflict is returned when an object with the same unique key exists.
var ErrConflict = apperr.ErrConflict

// InvalidError is a request the directory refuses; the message says why.
type InvalidError = apperr.InvalidError

func invalid(format string, args ...any) error { return apperr.Invalid(format, args...) }

// Tenant is the organization. whiteglove serves one tenant per deployment.
type Tenant struct {
	ID            string
	DisplayName   string
	Domain        string // verified default domain, e.g. contoso.example
	SkuPartNumber string // the subscription, e.g. "WHITEGLOVE_E3"
	SkuID         string
	Seats         int // licences purchased
	CreatedAt     time.Time
}

// User is a person in the directory.
type User struct {
	ID                  string
	UPN                 string
	DisplayName         string
	GivenName           string
	Surname             string
	Mail                string
	MailNickname        string
	Department          string
	JobTitle            string
	UsageLocation       string
	AccountEnabled      bool
	Licensed            bool     // holds the tenant's subscription licence
	Roles               []string // person roles: authz.PersonAdmin, authz.PersonTechnician
	PasswordHash        string   // argon2id PHC string; empty = cannot sign in
	ForceChangePassword bool
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// App is a registered application that signs in with a client secret.
type App struct {
	ID          string
	ClientID    string
	DisplayName string
	SecretHash  string   // argon2id PHC string
	Roles       []string // application roles (authz constants)
	CreatedAt   time.Time
}

// Device is an Entra-style device object: what groups and targeting see.
type Device struct {
	ID                     string // object id
	DeviceID               string // the device's own id (azureADDeviceId)
	DisplayName            string
	AccountEnabled         bool
	OperatingSystem        string
	OperatingSystemVersion string
	Manufacturer           string
	Model                  string
	TrustType              string // AzureAd, ServerAd, Workplace; empty until joined
	EnrollmentProfileName  string
	PhysicalIDs            []string // "[ZTDID]:…", "[OrderId]:…", "[PurchaseOrderId]:…"
	CreatedAt              time.Time
	UpdatedAt              time.Time
}

// Group types and member kinds.
const (
	GroupTypeDynamic = "DynamicMembership"
	GroupTypeUnified = "Unified"

	MemberUser   = "user"
	MemberDevice = "device"

	SourceStatic  = "static"
	SourceDynamic = "dynamic"

	// RuleProcessingOn and RuleProcessingPaused are membershipRuleProcessingState values.
	RuleProcessingOn     = "On"
	RuleProcessingPaused = "Paused"
)

// Group is a security group, static or dynamic.
type Group struct {
	ID                  string
	DisplayName         string
	Description         string
	MailNickname        string
	MailEnabled         bool
	SecurityEnabled     bool
	GroupTypes          []string
	MembershipRule      string // empty for static groups
	RuleProcessingState string // "On" or "Paused" for dynamic groups
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Dynamic reports whether membership comes from a rule.
func (g Group) Dynamic() bool {
	for _, t := range g.GroupTypes {
		if equalFold(t, GroupTypeDynamic) {
			return true
		}
	}
	return false
}

// Member is one member of a group.
type Member struct {
	ID     string
	Type   string // MemberUser or MemberDevice
	Source string // SourceStatic or SourceDynamic
}
