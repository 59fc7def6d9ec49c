// Package wire holds the JSON shapes of the device API, shared by the
// service (internal/deviceapi) and the device client (internal/agent).
// Byte slices travel as standard base64, as encoding/json writes them.
package wire

import "time"

// Prefix is the path every device API route starts with.
const Prefix = "/device/v1"

// Problem is a named reason a device cannot go on, with what to do.
type Problem struct {
	Code    string `json:"code"`    // one of the Code constants
	Message string `json:"message"` // what happened, for the technician
	Action  string `json:"action"`  // what to do about it
	HResult string `json:"hresult,omitempty"`
}

func (p *Problem) Error() string {
	if p.Action != "" {
		return p.Code + ": " + p.Message + " " + p.Action
	}
	return p.Code + ": " + p.Message
}

// Problem codes.
const (
	CodeNotRegistered      = "DeviceNotRegistered"
	CodeNoProfile          = "NoProfileAssigned"
	CodeNotPreprovisioning = "PreprovisioningNotAllowed"
	CodeNoDeviceESP        = "NoDeviceTargetedESP"
	CodeUnsupported        = "UnsupportedDevice"
	CodeNoSubscription     = "NoSubscription"
	CodeAlreadyEnrolled    = "DeviceAlreadyProvisioned" // 0x80180014
	CodeAttestation        = "TpmAttestationFailed"
	CodeUntrustedTPM       = "TpmNotTrusted"
	CodeChallengeExpired   = "AttestationTimedOut"
	CodeChallengeUsed      = "AttestationChallengeUsed"
	CodeWrongDevice        = "WrongDevice"
	CodeBadRequest         = "BadRequest"
	CodeUnauthorized       = "Unauthorized"
	CodeNotFound           = "NotFound"
	CodeSignInFailed       = "SignInFailed"
	CodeUnlicensed         = "UserNotLicensed"
	CodeWrongUser          = "NotAssignedUser"
	CodeNoUser             = "NoUserSignedIn"
)

// LookupRequest asks what the OOBE needs for a device by its hash.
type LookupRequest struct {
	HardwareHash string `json:"hardwareHash"` // base64, as in the CSV
}

// DeviceInfo is what the configuration, success and failure screens show.
type DeviceInfo struct {
	ZTDID                  string `json:"ztdId"`
	SerialNumber           string `json:"serialNumber"`
	Manufacturer           string `json:"manufacturer"`
	Model                  string `json:"model"`
	Organization           string `json:"organization"`
	ProfileID              string `json:"profileId,omitempty"`
	ProfileName            string `json:"profileName,omitempty"`
	PreprovisioningAllowed bool   `json:"preprovisioningAllowed"`
	HybridJoin             bool   `json:"hybridJoin,omitempty"`
	AssignedUser           string `json:"assignedUser,omitempty"` // UPN
	AssignedUserName       string `json:"assignedUserName,omitempty"`
	DeviceName             string `json:"deviceName,omitempty"` // from the profile's template
	ESP                    *ESP   `json:"esp,omitempty"`
}

// ESP is the resolved Enrollment Status Page profile.
type ESP struct {
	ID                    string   `json:"id"`
	Name                  string   `json:"name"`
	ShowProgress          bool     `json:"showProgress"`
	TimeoutMinutes        int      `json:"timeoutMinutes"`
	CustomErrorMessage    string   `json:"customErrorMessage,omitempty"`
	AllowCollectLogs      bool     `json:"allowCollectLogs"`
	AllowReset            bool     `json:"allowReset"`
	AllowRetry            bool     `json:"allowRetry"`
	AllowContinueAnyway   bool     `json:"allowContinueAnyway"`
	BlockDeviceUntilDone  bool     `json:"blockDeviceUntilDone"`
	SelectedMobileAppIDs  []string `json:"selectedMobileAppIds,omitempty"`
	TrackInstallProgress  bool     `json:"trackInstallProgress"`
	InstallQualityUpdates bool     `json:"installQualityUpdates,omitempty"`
	DisableUserStatusPage bool     `json:"disableUserStatusPage,omitempty"`
	DeviceTargeted        bool     `json:"deviceTargeted"`
}

// LookupResponse answers a lookup: the device, and Problem when it cannot
// be pre-provisioned (the device is still shown when it is known).
type LookupResponse struct {
	Device  *DeviceInfo `json:"device,omitempty"`
	Problem *Problem    `json:"problem,omitempty"`
}

// TPMInfo describes the device's TPM.
type TPMInfo struct {
	Kind         string `json:"kind"` // "hardware", "simulator", "software"
	Manufacturer string `json:"manufacturer"`
	Version      string `json:"version"` // "2.0"
	Firmware     string `json:"firmware,omitempty"`
}

// AttestationParameters are the attestation key's public area and the TPM's
// proof that it created it (go-attestation's AttestationParameters).
type AttestationParameters struct {
	Public            []byte `json:"public"`
	CreateData        []byte `json:"createData"`
	CreateAttestation []byte `json:"createAttestation"`
	CreateSignature   []byte `json:"createSignature"`
}

// OSInfo is what the requirement checks look at.
type OSInfo struct {
	Edition string `json:"edition"` // "Pro", "Enterprise", "Education", "Home"
	Build   int    `json:"build"`
	Arch    string `json:"arch"`
	Virtual bool   `json:"virtual,omitempty"`
}

// AttestRequest starts attestation.
type AttestRequest struct {
	HardwareHash  string                `json:"hardwareHash"`
	EKCertificate []byte                `json:"ekCertificate"`     // DER
	EKChain       [][]byte              `json:"ekChain,omitempty"` // intermediates, DER
	AK            AttestationParameters `json:"ak"`
	TPM           TPMInfo               `json:"tpm"`
	OS            OSInfo                `json:"os"`
}

// AttestChallenge is the credential-activation challenge: only the TPM
// holding the EK, with the AK loaded, can recover the secret.
type AttestChallenge struct {
	ChallengeID string    `json:"challengeId"`
	Credential  []byte    `json:"credential"`
	Secret      []byte    `json:"secret"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

// EnrollRequest answers the challenge and asks for the device certificate.
type EnrollRequest struct {
	ChallengeID string `json:"challengeId"`
	Secret      []byte `json:"secret"` // the activated credential
	CSR         []byte `json:"csr"`    // DER PKCS#10, ECDSA P-256
}

// EnrollResponse carries the device certificate (subject = ZTDId).
type EnrollResponse struct {
	Certificate     []byte      `json:"certificate"` // DER
	CA              []byte      `json:"ca"`          // DER of the issuing CA
	ManagedDeviceID string      `json:"managedDeviceId"`
	Device          *DeviceInfo `json:"device"`
}

// TokenRequest proves possession of the device key for a nonce from
// GET {Prefix}/nonce and asks for a short-lived access token.
type TokenRequest struct {
	Certificate []byte `json:"certificate"` // DER
	Nonce       string `json:"nonce"`
	Signature   []byte `json:"signature"` // ASN.1 ECDSA over SHA-256(TokenSigningPrefix + nonce)
}

// TokenSigningPrefix separates device-token signatures from other uses of the key.
const TokenSigningPrefix = "whiteglove-device-token\x00"

// Nonce is a single-purpose, short-lived value to sign.
type Nonce struct {
	Nonce     string    `json:"nonce"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// Token is a device access token.
type Token struct {
	AccessToken string    `json:"accessToken"`
	ExpiresAt   time.Time `json:"expiresAt"`
}

// Phases of a provisioning session.
const (
	PhaseTechnician = "technician"
	PhaseUser       = "user"
)

// Item kinds in a manifest.
const (
	KindApp    = "app"
	KindPolicy = "policy"
	KindScript = "script"
)

// Manifest is what one phase of this device installs, in order, with
// everything the device needs to do it.
type Manifest struct {
	ZTDID    string    `json:"ztdId"`
	Version  int64     `json:"version"`
	Digest   string    `json:"digest"`
	Phase    string    `json:"phase"`
	Items    []Item    `json:"items"`
	Blocking []string  `json:"blocking"`
	ESP      *ESP      `json:"esp,omitempty"`
	Computed time.Time `json:"computedAt"`
	// Unchanged says the manifest is still at the version the device
	// asked about (after=): nothing else is sent.
	Unchanged bool `json:"unchanged,omitempty"`
}

// Item is one app, policy or script to apply.
type Item struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Kind     string  `json:"kind"`
	Context  string  `json:"context"` // "system" or "user"
	Tracked  bool    `json:"tracked"`
	Blocking bool    `json:"blocking"`
	App      *App    `json:"app,omitempty"`
	Policy   *Policy `json:"policy,omitempty"`
	Script   *Script `json:"script,omitempty"`
}

// App is an app install. Rules and Requirements use the service's apps
// JSON shapes (apps.Rule, apps.Requirements, apps.ReturnCode).
type App struct {
	Type              string       `json:"type"` // win32LobApp, windowsMobileMSI
	Version           string       `json:"version,omitempty"`
	ContentSHA256     string       `json:"contentSha256"`
	Size              int64        `json:"size"`
	InstallCommand    string       `json:"installCommand"`
	UninstallCommand  string       `json:"uninstallCommand,omitempty"`
	RunAsAccount      string       `json:"runAsAccount"` // "system" or "user"
	MaxRunTimeMinutes int          `json:"maxRunTimeMinutes"`
	RestartBehavior   string       `json:"restartBehavior,omitempty"`
	Detection         []RawJSON    `json:"detection,omitempty"`
	Requirements      RawJSON      `json:"requirements,omitempty"`
	ReturnCodes       []ReturnCode `json:"returnCodes,omitempty"`
	ProductCode       string       `json:"productCode,omitempty"`
	ProductVersion    string       `json:"productVersion,omitempty"`
	Dependencies      []string     `json:"dependencies,omitempty"`
}

// ReturnCode maps an installer exit code to what it means.
type ReturnCode struct {
	Code int32  `json:"code"`
	Type string `json:"type"` // success, softReboot, hardReboot, retry, failed
}

// RawJSON is a JSON value passed through untouched.
type RawJSON = []byte

// Policy is a configuration profile to apply.
type Policy struct {
	Kind        string          `json:"kind"` // settings, certificate, wifi, vpn, signinAssistant
	Version     int             `json:"version"`
	Settings    []Setting       `json:"settings,omitempty"`
	Certificate *CertificateReq `json:"certificate,omitempty"`
	Profile     RawJSON         `json:"profile,omitempty"` // Wi-Fi or VPN profile as the service stores it
}

// Setting is one OMA-URI setting.
type Setting struct {
	OMAURI string `json:"omaUri"`
	Type   string `json:"type"`
	Value  string `json:"value"`
}

// CertificateReq says what certificate the device asks for with a key it
// generates itself.
type CertificateReq struct {
	Subject  string `json:"subject"`
	Store    string `json:"store"` // "machine" or "user"
	KeyType  string `json:"keyType"`
	Validity string `json:"validity,omitempty"`
}

// Script is a script run once.
type Script struct {
	Content      []byte `json:"content"`
	FileName     string `json:"fileName"`
	RunAsAccount string `json:"runAsAccount"`
}

// CertificateRequest asks the service's CA for a certificate policy's
// certificate, the key generated on the device.
type CertificateRequest struct {
	PolicyID string `json:"policyId"`
	CSR      []byte `json:"csr"`
}

// Certificate is an issued certificate.
type Certificate struct {
	Certificate []byte `json:"certificate"`
	CA          []byte `json:"ca"`
}

// SessionRequest opens (idempotently) a provisioning session.
type SessionRequest struct {
	SessionID string    `json:"sessionId"` // chosen by the device (UUID), journaled before the call
	Phase     string    `json:"phase"`
	StartedAt time.Time `json:"startedAt"`
}

// Event is one step of a provisioning session's timeline.
type Event struct {
	Seq      int64     `json:"seq"` // per session, from 1, no gaps
	Time     time.Time `json:"time"`
	Step     string    `json:"step"` // e.g. "attestation", "install", "detect"
	ItemID   string    `json:"itemId,omitempty"`
	Name     string    `json:"name"`               // human name of the step or item
	Category string    `json:"category,omitempty"` // devicePreparation, deviceSetup, accountSetup
	State    string    `json:"state"`              // started, succeeded, failed, skipped, retrying, rebooting
	Detail   string    `json:"detail,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// Events is a batch of events.
type Events struct {
	Events []Event `json:"events"`
}

// EventsAck says which events the service holds.
type EventsAck struct {
	Through int64 `json:"through"` // the highest contiguous seq stored
}

// SessionResult ends a session.
type SessionResult struct {
	Result  string    `json:"result"` // succeeded, failed, sealed
	Error   string    `json:"error,omitempty"`
	EndedAt time.Time `json:"endedAt"`
}

// ResealRequest asks to reseal. AcknowledgePending reseals with items
// still pending, which the service allows only when the ESP profile does
// not track installation or lets the device be used after a failure.
type ResealRequest struct {
	AcknowledgePending bool     `json:"acknowledgePending,omitempty"`
	Pending            []string `json:"pending,omitempty"`
}

// SignInRequest is the user's Entra sign-in on a device.
type SignInRequest struct {
	UPN      string `json:"upn"`
	Password string `json:"password"`
}

// SignInResponse names who signed in.
type SignInResponse struct {
	UPN          string `json:"upn"`
	DisplayName  string `json:"displayName"`
	Organization string `json:"organization"`
}

// UserEnrollRequest enrolls a device user-driven (no pre-provisioning): the
// user's credentials join it instead of TPM attestation.
type UserEnrollRequest struct {
	HardwareHash string  `json:"hardwareHash"`
	UPN          string  `json:"upn"`
	Password     string  `json:"password"`
	CSR          []byte  `json:"csr"`
	OS           OSInfo  `json:"os"`
	TPM          TPMInfo `json:"tpm"`
}

// Status is the device's own record as the service sees it.
type Status struct {
	Device          DeviceInfo `json:"device"`
	ManagedDeviceID string     `json:"managedDeviceId"`
	EnrollmentState string     `json:"enrollmentState"`
	Stage           string     `json:"stage"` // technician, sealed, user, complete
	PrimaryUser     string     `json:"primaryUser,omitempty"`
}
