// Package autopilot is Windows Autopilot registration: device identities
// (ZTDIds) registered from hardware hashes, import requests and their state
// machine, deployment profiles with pre-provisioning, and the profile
// assignment engine that keeps every device's profile current the moment a
// device, group membership or assignment changes.
package autopilot

import "time"

// Enrollment states (windowsAutopilotDeviceIdentity.enrollmentState).
const (
	EnrollmentNotContacted = "notContacted"
	EnrollmentEnrolled     = "enrolled"
	EnrollmentPendingReset = "pendingReset"
	EnrollmentFailed       = "failed"
	EnrollmentBlocked      = "blocked"
	EnrollmentUnknown      = "unknown"
)

// Profile assignment statuses (deploymentProfileAssignmentStatus).
const (
	ProfileNotAssigned    = "notAssigned"
	ProfileAssignedInSync = "assignedInSync"
	ProfilePending        = "pending"
	ProfileFailed         = "failed"
)

// Device is a registered Autopilot device identity; ID is the ZTDId.
type Device struct {
	ID                       string
	Fingerprint              string // hardware identity; unique per tenant
	SerialNumber             string
	Manufacturer             string
	Model                    string
	ProductKey               string
	SKUNumber                string
	SystemFamily             string
	GroupTag                 string
	PurchaseOrder            string
	UserPrincipalName        string
	AddressableUserName      string
	DisplayName              string
	ResourceName             string
	DeviceAccountUPN         string
	DeviceAccountPassword    string
	DeviceFriendlyName       string
	EntraObjectID            string // the Entra device object that anchors groups
	EntraDeviceID            string // its deviceId (azureActiveDirectoryDeviceId)
	ManagedDeviceID          string
	EnrollmentState          string
	LastContactedAt          time.Time
	HardwareHash             string // base64 of the hash blob without its zero padding
	ImportID                 string
	DirectProfileID          string // set by the profile's assign action; beats group targeting
	ProfileID                string // the assigned profile; "" when none
	ProfileStatus            string
	ProfileAssignedAt        time.Time
	RemediationState         string
	UserlessEnrollmentStatus string
	CreatedAt                time.Time
	UpdatedAt                time.Time
}

// Import statuses (importedWindowsAutopilotDeviceIdentityState.deviceImportStatus).
const (
	ImportUnknown  = "unknown"
	ImportPending  = "pending"
	ImportComplete = "complete"
	ImportError    = "error"
)

// Import error names and codes. Microsoft documents the names, not the
// codes; whiteglove numbers them itself and keeps the numbers stable.
const (
	ErrNameInvalidHash     = "InvalidZtdHardwareHash"
	ErrNameAlreadyAssigned = "ZtdDeviceAlreadyAssigned"
	ErrNameDuplicated      = "ZtdDeviceDuplicated"
	ErrNameUserNotFound    = "ZtdDeviceAssignedUserNotFound"
	ErrNameStorage         = "StorageError"
	ErrNameSerialMismatch  = "SerialNumberMismatch"
)

// ErrorCodes maps each error name to its deviceErrorCode.
var ErrorCodes = map[string]int{
	ErrNameInvalidHash:     806,
	ErrNameAlreadyAssigned: 808,
	ErrNameDuplicated:      810,
	ErrNameUserNotFound:    812,
	ErrNameStorage:         900,
	ErrNameSerialMismatch:  814,
}

// Import is one device import request.
type Import struct {
	ID             string
	ImportID       string // requests imported together share it
	Seq            int    // order within the import; 0 for single requests
	SerialNumber   string
	ProductKey     string
	GroupTag       string
	AssignedUPN    string
	HardwareHash   string
	Status         string
	RegistrationID string // the new ZTDId once complete
	ErrorCode      int
	ErrorName      string
	Message        string // not stored: a human explanation for CSV reports
	CreatedAt      time.Time
	CompletedAt    time.Time
}
