package autopilot

import "time"

// Profile kinds: Entra join or hybrid (Active Directory) join.
const (
	KindAzureAD         = "azureADWindowsAutopilotDeploymentProfile"
	KindActiveDirectory = "activeDirectoryWindowsAutopilotDeploymentProfile"
)

// OOBE holds the out-of-box experience settings under their current names.
type OOBE struct {
	PrivacySettingsHidden        bool   `json:"privacySettingsHidden"`
	EulaHidden                   bool   `json:"eulaHidden"`
	UserType                     string `json:"userType"`        // administrator, standard
	DeviceUsageType              string `json:"deviceUsageType"` // singleUser (user-driven), shared (self-deploying)
	KeyboardSelectionPageSkipped bool   `json:"keyboardSelectionPageSkipped"`
	EscapeLinkHidden             bool   `json:"escapeLinkHidden"`
}

// EmbeddedESP is the legacy windowsEnrollmentStatusScreenSettings carried on
// a profile; nil when the profile has none.
type EmbeddedESP struct {
	HideInstallationProgress                         bool   `json:"hideInstallationProgress"`
	AllowDeviceUseBeforeProfileAndAppInstallComplete bool   `json:"allowDeviceUseBeforeProfileAndAppInstallComplete"`
	BlockDeviceSetupRetryByUser                      bool   `json:"blockDeviceSetupRetryByUser"`
	AllowLogCollectionOnInstallFailure               bool   `json:"allowLogCollectionOnInstallFailure"`
	CustomErrorMessage                               string `json:"customErrorMessage"`
	InstallProgressTimeoutInMinutes                  int64  `json:"installProgressTimeoutInMinutes"`
	AllowDeviceUseOnInstallFailure                   bool   `json:"allowDeviceUseOnInstallFailure"`
}

// Profile is a deployment profile. Deprecated Graph names (enableWhiteGlove,
// outOfBoxExperienceSettings, language, extractHardwareHash) are accepted
// and returned as aliases of these fields.
type Profile struct {
	ID                          string       `json:"id"`
	Kind                        string       `json:"kind"`
	DisplayName                 string       `json:"displayName"`
	Description                 string       `json:"description"`
	Locale                      string       `json:"locale"`
	OOBE                        OOBE         `json:"oobe"`
	ESP                         *EmbeddedESP `json:"esp,omitempty"`
	HardwareHashExtraction      bool         `json:"hardwareHashExtractionEnabled"`
	DeviceNameTemplate          string       `json:"deviceNameTemplate"`
	DeviceType                  string       `json:"deviceType"`
	PreprovisioningAllowed      bool         `json:"preprovisioningAllowed"`
	RoleScopeTagIDs             []string     `json:"roleScopeTagIds"`
	ManagementServiceAppID      string       `json:"managementServiceAppId"`
	HybridSkipConnectivityCheck bool         `json:"hybridAzureADJoinSkipConnectivityCheck"`
	CreatedAt                   time.Time    `json:"createdDateTime"`
	UpdatedAt                   time.Time    `json:"lastModifiedDateTime"`
}

// SelfDeploying reports whether the profile deploys without a user.
func (p Profile) SelfDeploying() bool { return p.OOBE.DeviceUsageType == "shared" }

// ProfileAssignment targets a profile at a group (or all devices, or
// excludes a group).
type ProfileAssignment struct {
	ID         string
	ProfileID  string
	TargetKind string // assign.Kind
	GroupID    string
	FilterID   string
	FilterType string
	CreatedAt  time.Time
}

// Settings is the tenant's windowsAutopilotSettings record.
type Settings struct {
	LastSyncAt       time.Time
	LastManualSyncAt time.Time
	SyncStatus       string // unknown, inProgress, completed, failed
}
