package graph

import (
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// policyType is how one policy kind is served: its Graph type and whether
// v1.0 knows it (the certificate, Wi-Fi and VPN types are beta-only: v1.0
// lists them with the base deviceConfiguration properties only).
type policyType struct {
	kind     apps.PolicyKind
	odata    string
	betaOnly bool
}

var policyTypes = []policyType{
	{apps.CustomSettings, "windows10CustomConfiguration", false},
	{apps.Certificate, "windows10PkcsCertificateProfile", true},
	{apps.WiFi, "windowsWifiConfiguration", true},
	{apps.VPN, "windows10VpnConfiguration", true},
}

// policyTypeOf returns how p is served; the sign-in assistant policy is a
// custom configuration.
func policyTypeOf(k apps.PolicyKind) policyType {
	if k == apps.SigninAssistant {
		k = apps.CustomSettings
	}
	for _, t := range policyTypes {
		if t.kind == k {
			return t
		}
	}
	return policyType{}
}

// policyTypeNamed finds the kind served as an @odata.type value.
func policyTypeNamed(typ string) (policyType, bool) {
	name := graphTypeName(typ)
	for _, t := range policyTypes {
		if strings.EqualFold(t.odata, name) {
			return t, true
		}
	}
	return policyType{}, false
}

// omaSettingTypes maps omaSetting subtypes to the setting types.
var omaSettingTypes = map[string]apps.OMAType{
	"omaSettingInteger": apps.OMAInteger, "omaSettingString": apps.OMAString, "omaSettingBoolean": apps.OMABoolean,
	"omaSettingFloatingPoint": apps.OMAFloatingPoint, "omaSettingDateTime": apps.OMADateTime,
	"omaSettingBase64": apps.OMABase64, "omaSettingStringXml": apps.OMAStringXML,
}

var omaSettingSchema = &ljson.Schema{Name: "omaSetting", Props: map[string]ljson.Prop{
	"displayName": nstr(0), "description": nstr(0), "omaUri": nstr(0), "value": {Kind: ljson.Any, Nullable: true},
	"isReadOnly": nbool(), "fileName": nstr(0), "isEncrypted": readOnly, "secretReferenceValueId": readOnly,
}}

var extendedKeyUsageSchema = &ljson.Schema{Name: "extendedKeyUsage", Props: map[string]ljson.Prop{"name": nstr(256), "objectIdentifier": nstr(256)}}

var vpnServerSchema = &ljson.Schema{Name: "vpnServer", Props: map[string]ljson.Prop{"address": nstr(0), "description": nstr(0), "isDefaultServer": nbool()}}

// policyProps are each kind's own request properties.
var policyProps = map[apps.PolicyKind]map[string]ljson.Prop{
	apps.CustomSettings: {"omaSettings": {Kind: ljson.ComplexArray, Nullable: true, Schema: omaSettingSchema}},
	apps.Certificate: {
		"renewalThresholdPercentage": nint(0, 100), "certificateValidityPeriodValue": nint(0, 100000),
		"keyStorageProvider": nenum([]string{"useTpmKspOtherwiseUseSoftwareKsp", "useTpmKspOtherwiseFail", "usePassportForWorkKspOtherwiseFail", "useSoftwareKsp"}),
		"subjectNameFormat": nenum([]string{"commonName", "commonNameIncludingEmail", "commonNameAsEmail", "custom", "commonNameAsIMEI",
			"commonNameAsSerialNumber", "commonNameAsAadDeviceId", "commonNameAsIntuneDeviceId", "commonNameAsDurableDeviceId"}),
		"subjectNameFormatString": nstr(0), "subjectAlternativeNameType": nstr(256), "subjectAlternativeNameFormatString": nstr(0),
		"certificateValidityPeriodScale": nenum([]string{"days", "months", "years"}), "certificateStore": nenum([]string{"user", "machine"}),
		"certificationAuthority": nstr(0), "certificationAuthorityName": nstr(0), "certificateTemplateName": nstr(0),
		"extendedKeyUsages":             {Kind: ljson.ComplexArray, Nullable: true, Schema: extendedKeyUsageSchema},
		"customSubjectAlternativeNames": {Kind: ljson.Any, Nullable: true}, "managedDeviceCertificateStates": readOnly,
	},
	apps.WiFi: {
		"networkName": nstr(0), "ssid": nstr(0), "connectAutomatically": nbool(), "connectToPreferredNetwork": nbool(),
		"connectWhenNetworkNameIsHidden": nbool(), "forceFIPSCompliance": nbool(), "preSharedKey": nstr(0),
		"wifiSecurityType":       nenum([]string{"open", "wpaPersonal", "wpaEnterprise", "wep", "wpa2Personal", "wpa2Enterprise", "wpa3Personal"}),
		"meteredConnectionLimit": nenum([]string{"unrestricted", "fixed", "variable"}),
		"proxySetting":           nenum([]string{"none", "manual", "automatic"}), "proxyManualAddress": nstr(0),
		"proxyManualPort": nint(0, 65535), "proxyAutomaticConfigurationUrl": nstr(0),
	},
	apps.VPN: {
		"connectionName": nstr(0), "servers": {Kind: ljson.ComplexArray, Nullable: true, Schema: vpnServerSchema},
		"connectionType": nenum([]string{"pulseSecure", "f5EdgeClient", "dellSonicWallMobileConnect", "checkPointCapsuleVpn", "automatic",
			"ikEv2", "l2tp", "pptp", "citrix", "paloAltoGlobalProtect", "ciscoAnyConnect", "microsoftTunnel"}),
		"authenticationMethod": nenum([]string{"certificate", "usernameAndPassword", "customEapXml", "derivedCredential"}),
		"profileTarget":        nenum([]string{"user", "device", "autoPilotDevice"}),
		"enableSplitTunneling": nbool(), "enableAlwaysOn": nbool(), "enableDeviceTunnel": nbool(), "rememberUserCredentials": nbool(),
		"dnsSuffixes":           {Kind: ljson.StringArray, Nullable: true, MaxLen: 253},
		"trustedNetworkDomains": {Kind: ljson.StringArray, Nullable: true, MaxLen: 253},
	},
}

// newPolicySchema is the request schema of a kind in a version; v1.0 gets
// only the base properties of a beta-only type.
func newPolicySchema(t policyType, beta bool) *ljson.Schema {
	p := map[string]ljson.Prop{
		"displayName": {Kind: ljson.String}, "description": nstr(0), "version": readOnly,
		"id": readOnly, "createdDateTime": readOnly, "lastModifiedDateTime": readOnly,
	}
	if beta {
		p["roleScopeTagIds"] = ljson.Prop{Kind: ljson.StringArray, MaxLen: 64, Nullable: true}
		p["supportsScopeTags"] = readOnly
		for _, k := range []string{"deviceManagementApplicabilityRuleOsEdition", "deviceManagementApplicabilityRuleOsVersion", "deviceManagementApplicabilityRuleDeviceMode"} {
			p[k] = ljson.Prop{Kind: ljson.Any, Nullable: true}
		}
	}
	if beta || !t.betaOnly {
		for k, v := range policyProps[t.kind] {
			p[k] = v
		}
	}
	return &ljson.Schema{Name: t.odata, Props: p}
}

// policySchemas are the request schemas by kind and "is beta".
var policySchemas = func() map[apps.PolicyKind]map[bool]*ljson.Schema {
	out := map[apps.PolicyKind]map[bool]*ljson.Schema{}
	for _, t := range policyTypes {
		out[t.kind] = map[bool]*ljson.Schema{false: newPolicySchema(t, false), true: newPolicySchema(t, true)}
	}
	return out
}()

// policyQuery is the $filter/$select schema of deviceConfigurations.
var policyQuery = odata.Schema{
	"id": odata.String, "displayName": odata.String, "description": odata.String, "version": odata.Int,
	"createdDateTime": odata.DateTime, "lastModifiedDateTime": odata.DateTime,
}
