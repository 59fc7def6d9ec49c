package apps

// CertificateProfile makes the device generate a key (in its TPM when
// KeyStorageProvider asks for it) and receive a certificate issued by the
// service's own CA, with a subject built from a template. It is served as
// Graph's windows10PkcsCertificateProfile: the closest Graph type whose key
// lives on the device and whose subject is a format string. The
// certification-authority fields are kept for tooling round-trips and not
// used: whiteglove always issues from its own CA.
type CertificateProfile struct {
	// SubjectNameFormat is Graph's subjectNameFormat (commonName,
	// commonNameAsEmail, …, custom); SubjectTemplate is used when it is
	// "custom", e.g. "CN={{DeviceName}},O=Contoso".
	SubjectNameFormat string `json:"subjectNameFormat"`
	SubjectTemplate   string `json:"subjectTemplate,omitempty"`
	// SubjectAlternativeNameType is Graph's flags value ("none",
	// "userPrincipalName", "emailAddress,domainNameService", …);
	// SubjectAlternativeNameTemplate is its customAzureADAttribute text.
	SubjectAlternativeNameType     string             `json:"subjectAlternativeNameType"`
	SubjectAlternativeNameTemplate string             `json:"subjectAlternativeNameTemplate,omitempty"`
	ValidityValue                  int                `json:"validityValue"`
	ValidityScale                  string             `json:"validityScale"` // days, months, years
	RenewalThresholdPercent        int                `json:"renewalThresholdPercent"`
	KeyStorageProvider             string             `json:"keyStorageProvider"` // Graph keyStorageProviderOption
	Store                          string             `json:"store"`              // "machine" or "user"
	ExtendedKeyUsages              []ExtendedKeyUsage `json:"extendedKeyUsages,omitempty"`
	CertificationAuthority         string             `json:"certificationAuthority,omitempty"`
	CertificationAuthorityName     string             `json:"certificationAuthorityName,omitempty"`
	CertificateTemplateName        string             `json:"certificateTemplateName,omitempty"`
}

// ExtendedKeyUsage is one EKU of a certificate profile.
type ExtendedKeyUsage struct {
	Name string `json:"name"`
	OID  string `json:"oid"`
}

// subjectFormats maps Graph's subjectNameFormat values to the subject
// template each stands for ("custom" uses SubjectTemplate).
var subjectFormats = map[string]string{
	"commonName":                  "CN={{UserName}}",
	"commonNameIncludingEmail":    "CN={{UserName}},E={{EmailAddress}}",
	"commonNameAsEmail":           "CN={{EmailAddress}}",
	"custom":                      "",
	"commonNameAsIMEI":            "CN={{Device_IMEI}}",
	"commonNameAsSerialNumber":    "CN={{Device_Serial}}",
	"commonNameAsAadDeviceId":     "CN={{AAD_Device_ID}}",
	"commonNameAsIntuneDeviceId":  "CN={{DeviceId}}",
	"commonNameAsDurableDeviceId": "CN={{DeviceId}}",
}

// SubjectVariables are the {{variables}} a subject template may use; the
// issuer substitutes them for the device (or its user) being served.
var SubjectVariables = []string{
	"AAD_Device_ID", "DeviceId", "Device_Serial", "SerialNumber", "Device_IMEI", "DeviceName",
	"FullyQualifiedDomainName", "UserName", "UserPrincipalName", "EmailAddress", "UserId", "OnPrem_Distinguished_Name",
	"OnPremisesSamAccountName", "ZTDID",
}

// EffectiveSubject returns the subject template the issuer uses: the custom
// template, or the one SubjectNameFormat stands for.
func (c CertificateProfile) EffectiveSubject() string {
	if c.SubjectNameFormat == "custom" {
		return c.SubjectTemplate
	}
	return subjectFormats[c.SubjectNameFormat]
}

// WiFiProfile is a Wi-Fi network (Graph windowsWifiConfiguration).
type WiFiProfile struct {
	NetworkName  string `json:"networkName"`
	SSID         string `json:"ssid"`
	SecurityType string `json:"securityType"` // open, wep, wpaPersonal, wpa2Personal, wpa3Personal
	// PreSharedKey is the network key: a secret, never returned by the
	// Graph layer nor logged. Required for the personal security types.
	PreSharedKey                   string `json:"preSharedKey,omitempty"`
	ConnectAutomatically           bool   `json:"connectAutomatically,omitempty"`
	ConnectToPreferredNetwork      bool   `json:"connectToPreferredNetwork,omitempty"`
	ConnectWhenNetworkNameIsHidden bool   `json:"connectWhenNetworkNameIsHidden,omitempty"`
	ForceFIPSCompliance            bool   `json:"forceFIPSCompliance,omitempty"`
	MeteredConnectionLimit         string `json:"meteredConnectionLimit"` // unrestricted, fixed, variable
	ProxySetting                   string `json:"proxySetting"`           // none, manual, automatic
	ProxyManualAddress             string `json:"proxyManualAddress,omitempty"`
	ProxyManualPort                int    `json:"proxyManualPort,omitempty"`
	ProxyAutomaticConfigurationURL string `json:"proxyAutomaticConfigurationUrl,omitempty"`
}

// VPNProfile is a VPN connection (Graph windows10VpnConfiguration).
type VPNProfile struct {
	ConnectionName          string      `json:"connectionName"`
	Servers                 []VPNServer `json:"servers"`
	ConnectionType          string      `json:"connectionType"`       // Graph windows10VpnConnectionType: ikEv2, l2tp, pptp, automatic, …
	AuthenticationMethod    string      `json:"authenticationMethod"` // certificate, usernameAndPassword, customEapXml, derivedCredential
	ProfileTarget           string      `json:"profileTarget"`        // user, device, autoPilotDevice
	SplitTunneling          bool        `json:"splitTunneling,omitempty"`
	AlwaysOn                bool        `json:"alwaysOn,omitempty"`
	DeviceTunnel            bool        `json:"deviceTunnel,omitempty"`
	RememberUserCredentials bool        `json:"rememberUserCredentials,omitempty"`
	DNSSuffixes             []string    `json:"dnsSuffixes,omitempty"`
	TrustedNetworkDomains   []string    `json:"trustedNetworkDomains,omitempty"`
}

// VPNServer is one server of a VPN profile.
type VPNServer struct {
	Address     string `json:"address"`
	Description string `json:"description,omitempty"`
	Default     bool   `json:"default,omitempty"`
}
