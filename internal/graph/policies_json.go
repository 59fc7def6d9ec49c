package graph

import (
	"strconv"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// policyJSON is the Graph shape of p: the deviceConfiguration base, and
// the type's own properties unless v1.0 does not know the type.
func policyJSON(p apps.Policy, beta bool) map[string]any {
	t := policyTypeOf(p.Kind)
	m := map[string]any{
		"@odata.type": "#microsoft.graph." + t.odata, "id": p.ID, "displayName": p.DisplayName,
		"description": nullable(p.Description), "version": p.Version,
		"createdDateTime": p.CreatedAt, "lastModifiedDateTime": p.UpdatedAt,
	}
	if beta {
		m["roleScopeTagIds"], m["supportsScopeTags"] = p.RoleScopeTagIDs, true
		m["deviceManagementApplicabilityRuleOsEdition"] = nil
		m["deviceManagementApplicabilityRuleOsVersion"] = nil
		m["deviceManagementApplicabilityRuleDeviceMode"] = nil
	}
	if t.betaOnly && !beta {
		return m
	}
	switch {
	case p.Certificate != nil:
		certificateJSON(m, *p.Certificate)
	case p.WiFi != nil:
		wifiJSON(m, *p.WiFi)
	case p.VPN != nil:
		vpnJSON(m, *p.VPN)
	default:
		settings := make([]map[string]any, len(p.Settings))
		for i, s := range p.Settings {
			settings[i] = omaSettingJSON(s, beta)
		}
		m["omaSettings"] = settings
	}
	return m
}

// omaSettingJSON renders a setting with its value in the JSON type its
// Graph subtype declares.
func omaSettingJSON(s apps.OMASetting, beta bool) map[string]any {
	name := "omaSetting"
	for n, t := range omaSettingTypes {
		if t == s.Type {
			name = n
		}
	}
	m := map[string]any{"@odata.type": "#microsoft.graph." + name, "displayName": s.DisplayName,
		"description": nullable(s.Description), "omaUri": s.OMAURI}
	switch s.Type {
	case apps.OMAInteger:
		n, _ := strconv.ParseInt(s.Value, 10, 32)
		m["value"], m["isReadOnly"] = n, s.IsReadOnly
	case apps.OMABoolean:
		m["value"] = s.Value == "true"
	case apps.OMAFloatingPoint:
		f, _ := strconv.ParseFloat(s.Value, 32)
		m["value"] = f
	case apps.OMABase64, apps.OMAStringXML:
		m["value"], m["fileName"] = s.Value, nullable(s.FileName)
	default:
		m["value"] = s.Value
	}
	if beta {
		m["isEncrypted"], m["secretReferenceValueId"] = false, nil
	}
	return m
}

func certificateJSON(m map[string]any, c apps.CertificateProfile) {
	ekus := make([]map[string]any, len(c.ExtendedKeyUsages))
	for i, e := range c.ExtendedKeyUsages {
		ekus[i] = map[string]any{"@odata.type": "#microsoft.graph.extendedKeyUsage", "name": e.Name, "objectIdentifier": e.OID}
	}
	for k, v := range map[string]any{
		"renewalThresholdPercentage": c.RenewalThresholdPercent, "keyStorageProvider": c.KeyStorageProvider,
		"subjectNameFormat": c.SubjectNameFormat, "subjectNameFormatString": nullable(c.SubjectTemplate),
		"subjectAlternativeNameType": c.SubjectAlternativeNameType, "subjectAlternativeNameFormatString": nullable(c.SubjectAlternativeNameTemplate),
		"certificateValidityPeriodValue": c.ValidityValue, "certificateValidityPeriodScale": c.ValidityScale,
		"certificationAuthority": nullable(c.CertificationAuthority), "certificationAuthorityName": nullable(c.CertificationAuthorityName),
		"certificateTemplateName": nullable(c.CertificateTemplateName), "extendedKeyUsages": ekus,
		"certificateStore": c.Store, "customSubjectAlternativeNames": []any{},
	} {
		m[k] = v
	}
}

// wifiJSON never returns the pre-shared key (as Graph, which masks it).
func wifiJSON(m map[string]any, w apps.WiFiProfile) {
	for k, v := range map[string]any{
		"networkName": w.NetworkName, "ssid": w.SSID, "wifiSecurityType": w.SecurityType, "preSharedKey": nil,
		"connectAutomatically": w.ConnectAutomatically, "connectToPreferredNetwork": w.ConnectToPreferredNetwork,
		"connectWhenNetworkNameIsHidden": w.ConnectWhenNetworkNameIsHidden, "forceFIPSCompliance": w.ForceFIPSCompliance,
		"meteredConnectionLimit": w.MeteredConnectionLimit, "proxySetting": w.ProxySetting,
		"proxyManualAddress": nullable(w.ProxyManualAddress), "proxyManualPort": nullInt(w.ProxyManualPort),
		"proxyAutomaticConfigurationUrl": nullable(w.ProxyAutomaticConfigurationURL),
	} {
		m[k] = v
	}
}

func vpnJSON(m map[string]any, v apps.VPNProfile) {
	servers := make([]map[string]any, len(v.Servers))
	for i, s := range v.Servers {
		servers[i] = map[string]any{"@odata.type": "#microsoft.graph.vpnServer", "address": s.Address, "description": nullable(s.Description), "isDefaultServer": s.Default}
	}
	list := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	for k, x := range map[string]any{
		"connectionName": v.ConnectionName, "servers": servers, "connectionType": v.ConnectionType,
		"authenticationMethod": v.AuthenticationMethod, "profileTarget": v.ProfileTarget,
		"enableSplitTunneling": v.SplitTunneling, "enableAlwaysOn": v.AlwaysOn, "enableDeviceTunnel": v.DeviceTunnel,
		"rememberUserCredentials": v.RememberUserCredentials, "dnsSuffixes": list(v.DNSSuffixes),
		"trustedNetworkDomains": list(v.TrustedNetworkDomains),
	} {
		m[k] = x
	}
}
