package apps

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

var (
	oidRE      = regexp.MustCompile(`^[0-2](\.\d{1,10}){1,30}$`)
	variableRE = regexp.MustCompile(`\{\{([^{}]*)\}\}`)
	hexRE      = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	dnsNameRE  = regexp.MustCompile(`^\.?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$`)
)

// subjectAttributes are the RDN attributes a subject template may use.
var subjectAttributes = []string{"CN", "E", "EMAIL", "OU", "O", "L", "ST", "S", "C", "DC", "SERIALNUMBER", "STREET", "T", "G", "SN", "UID", "POSTALCODE"}

// sanTypes are Graph's subjectAlternativeNameType flags.
var sanTypes = []string{"none", "emailAddress", "userPrincipalName", "customAzureADAttribute", "domainNameService", "universalResourceIdentifier"}

func (c *CertificateProfile) normalize() error {
	c.SubjectTemplate = strings.TrimSpace(c.SubjectTemplate)
	if c.SubjectNameFormat == "" {
		c.SubjectNameFormat = "commonName"
		if c.SubjectTemplate != "" {
			c.SubjectNameFormat = "custom"
		}
	}
	if _, ok := subjectFormats[c.SubjectNameFormat]; !ok {
		return apperr.Invalid("subjectNameFormat %q is not one of commonName, commonNameIncludingEmail, commonNameAsEmail, custom, commonNameAsIMEI, commonNameAsSerialNumber, commonNameAsAadDeviceId, commonNameAsIntuneDeviceId, commonNameAsDurableDeviceId", c.SubjectNameFormat)
	}
	switch {
	case c.SubjectNameFormat == "custom" && c.SubjectTemplate == "":
		return apperr.Invalid("subjectNameFormatString is required when subjectNameFormat is custom: a template such as CN={{DeviceName}},O=Contoso")
	case c.SubjectNameFormat != "custom" && c.SubjectTemplate != "":
		return apperr.Invalid("subjectNameFormatString is used only when subjectNameFormat is custom (it is %s)", c.SubjectNameFormat)
	}
	if err := checkSubject(c.EffectiveSubject()); err != nil {
		return apperr.Invalid("subjectNameFormatString: %v", err)
	}
	if err := c.normalizeSAN(); err != nil {
		return err
	}
	if c.ValidityValue == 0 {
		c.ValidityValue, c.ValidityScale = DefaultValidity, "years"
	}
	maxFor := map[string]int{"days": 3650, "months": 120, "years": 10}
	if err := oneOf("certificateValidityPeriodScale", &c.ValidityScale, "years", "days", "months", "years"); err != nil {
		return err
	}
	if c.ValidityValue < 1 || c.ValidityValue > maxFor[c.ValidityScale] {
		return apperr.Invalid("certificateValidityPeriodValue must be between 1 and %d %s, not %d", maxFor[c.ValidityScale], c.ValidityScale, c.ValidityValue)
	}
	if c.RenewalThresholdPercent == 0 {
		c.RenewalThresholdPercent = DefaultRenewal
	}
	if c.RenewalThresholdPercent < 1 || c.RenewalThresholdPercent > 99 {
		return apperr.Invalid("renewalThresholdPercentage must be between 1 and 99, not %d", c.RenewalThresholdPercent)
	}
	if err := oneOf("keyStorageProvider", &c.KeyStorageProvider, "useTpmKspOtherwiseUseSoftwareKsp",
		"useTpmKspOtherwiseUseSoftwareKsp", "useTpmKspOtherwiseFail", "usePassportForWorkKspOtherwiseFail", "useSoftwareKsp"); err != nil {
		return err
	}
	if err := oneOf("certificateStore", &c.Store, "machine", "machine", "user"); err != nil {
		return err
	}
	if len(c.ExtendedKeyUsages) > MaxListEntries {
		return apperr.Invalid("extendedKeyUsages holds %d entries; at most %d are allowed", len(c.ExtendedKeyUsages), MaxListEntries)
	}
	for i, e := range c.ExtendedKeyUsages {
		if strings.TrimSpace(e.Name) == "" || !oidRE.MatchString(e.OID) {
			return apperr.Invalid("extendedKeyUsages[%d] needs a name and an objectIdentifier such as 1.3.6.1.5.5.7.3.2, not %q", i, e.OID)
		}
	}
	for _, f := range [][2]string{{"certificationAuthority", c.CertificationAuthority},
		{"certificationAuthorityName", c.CertificationAuthorityName}, {"certificateTemplateName", c.CertificateTemplateName}} {
		if err := maxLen(f[0], f[1], MaxNameLen); err != nil {
			return err
		}
	}
	return nil
}

// checkSubject checks a subject template: comma-separated ATTR=value
// pairs with known attributes, a CN, and only known {{variables}}.
func checkSubject(s string) error {
	if len(s) > MaxSubjectLen {
		return fmt.Errorf("the template is %d characters long; the maximum is %d", len(s), MaxSubjectLen)
	}
	if strings.Count(s, "{{") != strings.Count(s, "}}") {
		return fmt.Errorf("unbalanced {{ }} in %q", s)
	}
	for _, m := range variableRE.FindAllStringSubmatch(s, -1) {
		if !slices.ContainsFunc(SubjectVariables, func(v string) bool { return strings.EqualFold(v, m[1]) }) {
			return fmt.Errorf("unknown variable {{%s}}; use one of {{%s}}", m[1], strings.Join(SubjectVariables, "}}, {{"))
		}
	}
	hasCN := false
	for _, rdn := range strings.Split(s, ",") {
		attr, val, ok := strings.Cut(strings.TrimSpace(rdn), "=")
		attr = strings.ToUpper(strings.TrimSpace(attr))
		if !ok || strings.TrimSpace(val) == "" || !slices.Contains(subjectAttributes, attr) {
			return fmt.Errorf("%q is not ATTRIBUTE=value with a known attribute (CN, O, OU, E, …)", strings.TrimSpace(rdn))
		}
		hasCN = hasCN || attr == "CN"
	}
	if !hasCN {
		return fmt.Errorf("%q has no CN", s)
	}
	return nil
}

func (c *CertificateProfile) normalizeSAN() error {
	if c.SubjectAlternativeNameType == "" {
		c.SubjectAlternativeNameType = "none"
	}
	var flags []string
	for _, f := range strings.Split(c.SubjectAlternativeNameType, ",") {
		f = strings.TrimSpace(f)
		i := slices.IndexFunc(sanTypes, func(t string) bool { return strings.EqualFold(t, f) })
		if i < 0 {
			return apperr.Invalid("subjectAlternativeNameType: %q is not one of %s", f, strings.Join(sanTypes, ", "))
		}
		if i > 0 && !slices.Contains(flags, sanTypes[i]) {
			flags = append(flags, sanTypes[i])
		}
	}
	c.SubjectAlternativeNameType = "none"
	if len(flags) > 0 {
		c.SubjectAlternativeNameType = strings.Join(flags, ",")
	}
	if slices.Contains(flags, "customAzureADAttribute") && strings.TrimSpace(c.SubjectAlternativeNameTemplate) == "" {
		return apperr.Invalid("subjectAlternativeNameFormatString is required with customAzureADAttribute")
	}
	return maxLen("subjectAlternativeNameFormatString", c.SubjectAlternativeNameTemplate, MaxSubjectLen)
}

func (w *WiFiProfile) normalize() error {
	if n := len(w.SSID); n < 1 || n > 32 {
		return apperr.Invalid("ssid must be 1 to 32 bytes long, not %d", n)
	}
	if strings.TrimSpace(w.NetworkName) == "" {
		w.NetworkName = w.SSID
	}
	if err := maxLen("networkName", w.NetworkName, MaxNameLen); err != nil {
		return err
	}
	if strings.Contains(strings.ToLower(w.SecurityType), "enterprise") {
		return apperr.Invalid("wifiSecurityType %s needs an enterprise (EAP) profile, which whiteglove does not support; use a personal security type", w.SecurityType)
	}
	if err := oneOf("wifiSecurityType", &w.SecurityType, "wpa2Personal", "open", "wep", "wpaPersonal", "wpa2Personal", "wpa3Personal"); err != nil {
		return err
	}
	if err := checkPSK(w.SecurityType, w.PreSharedKey); err != nil {
		return err
	}
	if err := oneOf("meteredConnectionLimit", &w.MeteredConnectionLimit, "unrestricted", "unrestricted", "fixed", "variable"); err != nil {
		return err
	}
	if err := oneOf("proxySetting", &w.ProxySetting, "none", "none", "manual", "automatic"); err != nil {
		return err
	}
	switch w.ProxySetting {
	case "manual":
		if strings.TrimSpace(w.ProxyManualAddress) == "" || w.ProxyManualPort < 1 || w.ProxyManualPort > 65535 {
			return apperr.Invalid("a manual proxy needs proxyManualAddress and a proxyManualPort between 1 and 65535")
		}
	case "automatic":
		if u, err := url.Parse(w.ProxyAutomaticConfigurationURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return apperr.Invalid("an automatic proxy needs proxyAutomaticConfigurationUrl, an http or https URL")
		}
	}
	return nil
}

// checkPSK checks the network key against the security type; the key
// itself never appears in a message.
func checkPSK(security, key string) error {
	n := len(key)
	switch {
	case security == "open" && key != "":
		return apperr.Invalid("preSharedKey must be empty for an open network")
	case security == "open":
	case security == "wep" && !(n == 5 || n == 13 || ((n == 10 || n == 26) && hexRE.MatchString(key))):
		return apperr.Invalid("preSharedKey for WEP must be 5 or 13 characters, or 10 or 26 hexadecimal digits (it is %d characters)", n)
	case security != "wep" && !(n >= 8 && n <= 63 || n == 64 && hexRE.MatchString(key)):
		return apperr.Invalid("preSharedKey for %s must be 8 to 63 characters or 64 hexadecimal digits (it is %d characters)", security, n)
	}
	return nil
}

func (v *VPNProfile) normalize() error {
	v.ConnectionName = strings.TrimSpace(v.ConnectionName)
	if v.ConnectionName == "" {
		return apperr.Invalid("connectionName is required: the name users see for the VPN")
	}
	if err := maxLen("connectionName", v.ConnectionName, MaxNameLen); err != nil {
		return err
	}
	if len(v.Servers) == 0 || len(v.Servers) > MaxServers {
		return apperr.Invalid("servers needs 1 to %d servers, not %d", MaxServers, len(v.Servers))
	}
	defaults := 0
	for i := range v.Servers {
		s := &v.Servers[i]
		s.Address = strings.TrimSpace(s.Address)
		if s.Address == "" || strings.ContainsAny(s.Address, " \t\r\n\x00") || len(s.Address) > 255 {
			return apperr.Invalid("servers[%d].address must be a host name or IP address, not %q", i, s.Address)
		}
		if s.Default {
			defaults++
		}
	}
	if defaults > 1 {
		return apperr.Invalid("servers has %d default servers; at most one can be the default", defaults)
	}
	if err := oneOf("connectionType", &v.ConnectionType, "ikEv2", "pulseSecure", "f5EdgeClient", "dellSonicWallMobileConnect",
		"checkPointCapsuleVpn", "automatic", "ikEv2", "l2tp", "pptp", "citrix", "paloAltoGlobalProtect", "ciscoAnyConnect", "microsoftTunnel"); err != nil {
		return err
	}
	if err := oneOf("authenticationMethod", &v.AuthenticationMethod, "usernameAndPassword", "certificate", "usernameAndPassword", "customEapXml", "derivedCredential"); err != nil {
		return err
	}
	if err := oneOf("profileTarget", &v.ProfileTarget, "user", "user", "device", "autoPilotDevice"); err != nil {
		return err
	}
	if v.DeviceTunnel && (v.ProfileTarget == "user" || v.ConnectionType != "ikEv2" || v.AuthenticationMethod != "certificate" || !v.AlwaysOn) {
		return apperr.Invalid("a device tunnel (enableDeviceTunnel) needs profileTarget device, connectionType ikEv2, authenticationMethod certificate and enableAlwaysOn")
	}
	for _, l := range []struct {
		name string
		list []string
	}{{"dnsSuffixes", v.DNSSuffixes}, {"trustedNetworkDomains", v.TrustedNetworkDomains}} {
		name, list := l.name, l.list
		if len(list) > MaxListEntries {
			return apperr.Invalid("%s holds %d entries; at most %d are allowed", name, len(list), MaxListEntries)
		}
		for i, d := range list {
			if !dnsNameRE.MatchString(d) || len(d) > 253 {
				return apperr.Invalid("%s[%d]: %q is not a DNS name", name, i, d)
			}
		}
	}
	return nil
}
