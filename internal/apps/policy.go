package apps

import (
	"strings"
	"time"
)

// PolicyKind is a policy's type.
type PolicyKind string

// Policy kinds and the Graph type each is served as.
const (
	// CustomSettings are OMA-URI name/value settings the device writes to
	// its settings store (windows10CustomConfiguration).
	CustomSettings PolicyKind = "customSettings"
	// SigninAssistant is a custom settings profile that sets
	// SigninAssistantURI to 0, disabling the Microsoft Account sign-in
	// assistant (wlidsvc). It is served as windows10CustomConfiguration;
	// the kind is derived from the settings, never chosen.
	SigninAssistant PolicyKind = "signinAssistant"
	// Certificate makes the device generate a key and receive a
	// certificate from the service's CA (windows10PkcsCertificateProfile).
	Certificate PolicyKind = "certificate"
	// WiFi is a Wi-Fi network profile (windowsWifiConfiguration).
	WiFi PolicyKind = "wifi"
	// VPN is a VPN connection profile (windows10VpnConfiguration).
	VPN PolicyKind = "vpn"
)

// SigninAssistantURI is the Policy CSP setting that, set to 0, disables
// the Microsoft Account sign-in assistant. Disabled in the technician flow,
// it makes the user flow offer EULA and a local account instead of the
// Entra sign-in.
const SigninAssistantURI = "./Device/Vendor/MSFT/Policy/Config/Accounts/AllowMicrosoftAccountSignInAssistant"

// Limits of policies.
const (
	MaxOMASettings  = 1000 // omaSettings, as Graph documents
	MaxOMAURILen    = 1000
	MaxOMAValueLen  = 1 << 20
	MaxServers      = 100
	MaxListEntries  = 100 // DNS suffixes, trusted domains, extended key usages
	MaxSubjectLen   = 1024
	DefaultRenewal  = 20 // renewal threshold, percent
	DefaultValidity = 1  // year
)

// Policy is one device configuration profile. Exactly one of Settings,
// Certificate, WiFi or VPN is used, as Kind says.
type Policy struct {
	ID              string     `json:"-"`
	Kind            PolicyKind `json:"-"`
	DisplayName     string     `json:"-"`
	Description     string     `json:"description,omitempty"`
	Version         int        `json:"-"` // Graph's deviceConfiguration.version: 1, bumped by every update
	RoleScopeTagIDs []string   `json:"roleScopeTagIds,omitempty"`

	Settings    []OMASetting        `json:"settings,omitempty"` // CustomSettings and SigninAssistant
	Certificate *CertificateProfile `json:"certificate,omitempty"`
	WiFi        *WiFiProfile        `json:"wifi,omitempty"`
	VPN         *VPNProfile         `json:"vpn,omitempty"`

	Assignments []Assignment `json:"-"` // filled in by reads
	CreatedAt   time.Time    `json:"-"`
	UpdatedAt   time.Time    `json:"-"`
}

// Tracked reports whether the Enrollment Status Page waits for the policy:
// certificates, Wi-Fi and VPN profiles are tracked, plain settings are not.
func (p Policy) Tracked() bool {
	return p.Kind == Certificate || p.Kind == WiFi || p.Kind == VPN
}

// DisablesSigninAssistant reports whether the policy turns the Microsoft
// Account sign-in assistant off (SigninAssistantURI set to 0), which
// changes the user flow; the targeting engine warns about it.
func (p Policy) DisablesSigninAssistant() bool {
	for _, s := range p.Settings {
		if s.disablesSigninAssistant() {
			return true
		}
	}
	return false
}

// Context says where the policy applies: RunAsUser for settings under
// ./User/, certificates in the user store and VPN profiles for the user;
// RunAsSystem (the device) otherwise.
func (p Policy) Context() string {
	switch {
	case p.Certificate != nil && p.Certificate.Store == "user", p.VPN != nil && p.VPN.ProfileTarget == "user":
		return RunAsUser
	}
	for _, s := range p.Settings {
		if len(s.OMAURI) >= 7 && strings.EqualFold(s.OMAURI[:7], "./User/") {
			return RunAsUser
		}
	}
	return RunAsSystem
}

// OMAType is the data type of an OMA-URI setting, named after its Graph
// type without the "omaSetting" prefix.
type OMAType string

// OMA-URI setting types (Graph omaSettingInteger, omaSettingString, …).
const (
	OMAInteger       OMAType = "integer"
	OMAString        OMAType = "string"
	OMABoolean       OMAType = "boolean"
	OMAFloatingPoint OMAType = "floatingPoint"
	OMADateTime      OMAType = "dateTime"
	OMABase64        OMAType = "base64"    // Value is base64 text; FileName names the file
	OMAStringXML     OMAType = "stringXml" // Value is base64 text of the XML; FileName names the file
)

// OMATypes lists the setting types.
var OMATypes = []OMAType{OMAInteger, OMAString, OMABoolean, OMAFloatingPoint, OMADateTime, OMABase64, OMAStringXML}

// OMASetting is one OMA-URI setting the device writes to its settings
// store.
type OMASetting struct {
	Type        OMAType `json:"type"`
	DisplayName string  `json:"displayName"`
	Description string  `json:"description,omitempty"`
	OMAURI      string  `json:"omaUri"`
	// Value is canonical text: "42", "true", "1.5", an RFC 3339 time, the
	// string itself, or base64 for OMABase64 and OMAStringXML.
	Value      string `json:"value"`
	FileName   string `json:"fileName,omitempty"`
	IsReadOnly bool   `json:"isReadOnly,omitempty"` // integer settings only
}

func (s OMASetting) disablesSigninAssistant() bool {
	if s.Type != OMAInteger || strings.TrimSpace(s.Value) != "0" {
		return false
	}
	uri := strings.TrimSpace(s.OMAURI)
	short := strings.TrimPrefix(SigninAssistantURI, "./Device")
	return strings.EqualFold(uri, SigninAssistantURI) || strings.EqualFold(uri, "."+short)
}

// clone returns p with its slices and pointers copied.
func (p Policy) clone() Policy {
	p.RoleScopeTagIDs = append([]string(nil), p.RoleScopeTagIDs...)
	p.Settings = append([]OMASetting(nil), p.Settings...)
	p.Assignments = append([]Assignment(nil), p.Assignments...)
	if p.Certificate != nil {
		c := *p.Certificate
		c.ExtendedKeyUsages = append([]ExtendedKeyUsage(nil), c.ExtendedKeyUsages...)
		p.Certificate = &c
	}
	if p.WiFi != nil {
		w := *p.WiFi
		p.WiFi = &w
	}
	if p.VPN != nil {
		v := *p.VPN
		v.Servers = append([]VPNServer(nil), v.Servers...)
		v.DNSSuffixes = append([]string(nil), v.DNSSuffixes...)
		v.TrustedNetworkDomains = append([]string(nil), v.TrustedNetworkDomains...)
		p.VPN = &v
	}
	return p
}
