package graph

import (
	"fmt"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// applyPolicy copies the properties present in obj onto p (null clears);
// validation is the service's. Errors are about nested values.
func applyPolicy(obj *ljson.Object, p *apps.Policy) error {
	if obj.Has("displayName") {
		p.DisplayName, _ = obj.String("displayName")
	}
	if obj.Has("description") {
		p.Description, _ = obj.String("description")
	}
	if obj.Has("roleScopeTagIds") {
		p.RoleScopeTagIDs, _ = obj.Strings("roleScopeTagIds")
	}
	for _, k := range []string{"deviceManagementApplicabilityRuleOsEdition", "deviceManagementApplicabilityRuleOsVersion", "deviceManagementApplicabilityRuleDeviceMode"} {
		if v, ok := obj.Raw(k); ok && v.Type != ljson.NullType {
			return apperr.Invalid("%s is not supported by whiteglove; send null or leave it out (target with groups instead)", k)
		}
	}
	switch policyTypeOf(p.Kind).kind {
	case apps.CustomSettings:
		if obj.Has("omaSettings") {
			items, _ := obj.Maps("omaSettings")
			settings, err := parseOMASettings(items)
			if err != nil {
				return err
			}
			p.Settings = settings
		}
	case apps.Certificate:
		if p.Certificate == nil {
			p.Certificate = &apps.CertificateProfile{}
		}
		return applyCertificate(obj, p.Certificate)
	case apps.WiFi:
		if p.WiFi == nil {
			p.WiFi = &apps.WiFiProfile{}
		}
		applyWiFi(obj, p.WiFi)
	case apps.VPN:
		if p.VPN == nil {
			p.VPN = &apps.VPNProfile{}
		}
		applyVPN(obj, p.VPN)
	}
	return nil
}

// parseOMASettings converts decoded omaSettings; each needs its subtype.
func parseOMASettings(items []map[string]any) ([]apps.OMASetting, error) {
	out := make([]apps.OMASetting, len(items))
	for i, it := range items {
		typ, _ := it["@odata.type"].(string)
		t, ok := omaSettingTypes[graphTypeName(typ)]
		if !ok {
			return nil, apperr.Invalid("omaSettings[%d] needs an @odata.type naming its data type, such as #microsoft.graph.omaSettingInteger or #microsoft.graph.omaSettingString", i)
		}
		s := apps.OMASetting{Type: t}
		s.DisplayName, _ = it["displayName"].(string)
		s.Description, _ = it["description"].(string)
		s.OMAURI, _ = it["omaUri"].(string)
		s.FileName, _ = it["fileName"].(string)
		s.IsReadOnly, _ = it["isReadOnly"].(bool)
		v, _ := it["value"].(ljson.Value)
		switch v.Type {
		case ljson.StringType, ljson.NumberType:
			s.Value = v.Text
		case ljson.BoolType:
			s.Value = fmt.Sprint(v.Bool)
		case ljson.NullType: // absent or null
			return nil, apperr.Invalid("omaSettings[%d].value is required", i)
		default:
			return nil, apperr.Invalid("omaSettings[%d].value must be a string, number or boolean, not %s", i, v.Type)
		}
		out[i] = s
	}
	return out, nil
}

func applyCertificate(obj *ljson.Object, c *apps.CertificateProfile) error {
	for k, p := range map[string]*string{
		"subjectNameFormat": &c.SubjectNameFormat, "subjectNameFormatString": &c.SubjectTemplate,
		"subjectAlternativeNameType": &c.SubjectAlternativeNameType, "subjectAlternativeNameFormatString": &c.SubjectAlternativeNameTemplate,
		"certificateValidityPeriodScale": &c.ValidityScale, "keyStorageProvider": &c.KeyStorageProvider, "certificateStore": &c.Store,
		"certificationAuthority": &c.CertificationAuthority, "certificationAuthorityName": &c.CertificationAuthorityName,
		"certificateTemplateName": &c.CertificateTemplateName,
	} {
		if obj.Has(k) {
			*p, _ = obj.String(k)
		}
	}
	for k, p := range map[string]*int{"renewalThresholdPercentage": &c.RenewalThresholdPercent, "certificateValidityPeriodValue": &c.ValidityValue} {
		if obj.Has(k) {
			n, _ := obj.Int(k)
			*p = int(n)
		}
	}
	if obj.Has("extendedKeyUsages") {
		items, _ := obj.Maps("extendedKeyUsages")
		c.ExtendedKeyUsages = make([]apps.ExtendedKeyUsage, len(items))
		for i, it := range items {
			c.ExtendedKeyUsages[i].Name, _ = it["name"].(string)
			c.ExtendedKeyUsages[i].OID, _ = it["objectIdentifier"].(string)
		}
	}
	if v, ok := obj.Raw("customSubjectAlternativeNames"); ok && v.Type != ljson.NullType && !(v.Type == ljson.ArrayType && len(v.Items) == 0) {
		return apperr.Invalid("customSubjectAlternativeNames is not supported by whiteglove; use subjectAlternativeNameType")
	}
	return nil
}

func applyWiFi(obj *ljson.Object, w *apps.WiFiProfile) {
	for k, p := range map[string]*string{
		"networkName": &w.NetworkName, "ssid": &w.SSID, "wifiSecurityType": &w.SecurityType, "preSharedKey": &w.PreSharedKey,
		"meteredConnectionLimit": &w.MeteredConnectionLimit, "proxySetting": &w.ProxySetting,
		"proxyManualAddress": &w.ProxyManualAddress, "proxyAutomaticConfigurationUrl": &w.ProxyAutomaticConfigurationURL,
	} {
		if obj.Has(k) {
			*p, _ = obj.String(k)
		}
	}
	for k, p := range map[string]*bool{
		"connectAutomatically": &w.ConnectAutomatically, "connectToPreferredNetwork": &w.ConnectToPreferredNetwork,
		"connectWhenNetworkNameIsHidden": &w.ConnectWhenNetworkNameIsHidden, "forceFIPSCompliance": &w.ForceFIPSCompliance,
	} {
		if obj.Has(k) {
			*p, _ = obj.Bool(k)
		}
	}
	if obj.Has("proxyManualPort") {
		n, _ := obj.Int("proxyManualPort")
		w.ProxyManualPort = int(n)
	}
}

func applyVPN(obj *ljson.Object, v *apps.VPNProfile) {
	for k, p := range map[string]*string{
		"connectionName": &v.ConnectionName, "connectionType": &v.ConnectionType,
		"authenticationMethod": &v.AuthenticationMethod, "profileTarget": &v.ProfileTarget,
	} {
		if obj.Has(k) {
			*p, _ = obj.String(k)
		}
	}
	for k, p := range map[string]*bool{
		"enableSplitTunneling": &v.SplitTunneling, "enableAlwaysOn": &v.AlwaysOn,
		"enableDeviceTunnel": &v.DeviceTunnel, "rememberUserCredentials": &v.RememberUserCredentials,
	} {
		if obj.Has(k) {
			*p, _ = obj.Bool(k)
		}
	}
	if obj.Has("dnsSuffixes") {
		v.DNSSuffixes, _ = obj.Strings("dnsSuffixes")
	}
	if obj.Has("trustedNetworkDomains") {
		v.TrustedNetworkDomains, _ = obj.Strings("trustedNetworkDomains")
	}
	if obj.Has("servers") {
		items, _ := obj.Maps("servers")
		v.Servers = make([]apps.VPNServer, len(items))
		for i, it := range items {
			v.Servers[i].Address, _ = it["address"].(string)
			v.Servers[i].Description, _ = it["description"].(string)
			v.Servers[i].Default, _ = it["isDefaultServer"].(bool)
		}
	}
}
