package graph

import (
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

var (
	userTypes   = []string{"administrator", "standard", "unknownFutureValue"}
	usageTypes  = []string{"singleUser", "shared", "unknownFutureValue"}
	deviceTypes = []string{"windowsPc", "holoLens", "surfaceHub2", "surfaceHub2S", "virtualMachine", "unknownFutureValue"}
)

func boolProp() ljson.Prop { return ljson.Prop{Kind: ljson.Bool, Nullable: true} }

var oobeOldSchema = &ljson.Schema{Name: "outOfBoxExperienceSettings", Props: map[string]ljson.Prop{
	"hidePrivacySettings": boolProp(), "hideEULA": boolProp(), "skipKeyboardSelectionPage": boolProp(), "hideEscapeLink": boolProp(),
	"userType":        {Kind: ljson.Enum, Enum: userTypes, Nullable: true},
	"deviceUsageType": {Kind: ljson.Enum, Enum: usageTypes, Nullable: true},
}}

var oobeNewSchema = &ljson.Schema{Name: "outOfBoxExperienceSetting", Props: map[string]ljson.Prop{
	"privacySettingsHidden": boolProp(), "eulaHidden": boolProp(), "keyboardSelectionPageSkipped": boolProp(), "escapeLinkHidden": boolProp(),
	"userType":        {Kind: ljson.Enum, Enum: userTypes, Nullable: true},
	"deviceUsageType": {Kind: ljson.Enum, Enum: usageTypes, Nullable: true},
}}

var espScreenSchema = &ljson.Schema{Name: "windowsEnrollmentStatusScreenSettings", Props: map[string]ljson.Prop{
	"hideInstallationProgress": boolProp(), "allowDeviceUseBeforeProfileAndAppInstallComplete": boolProp(),
	"blockDeviceSetupRetryByUser": boolProp(), "allowLogCollectionOnInstallFailure": boolProp(),
	"customErrorMessage":              {Kind: ljson.String, MaxLen: 10000, Nullable: true},
	"installProgressTimeoutInMinutes": {Kind: ljson.Int, Nullable: true, Min: i64(0), Max: i64(1440)},
	"allowDeviceUseOnInstallFailure":  boolProp(),
}}

func i64(v int64) *int64 { return &v }

var profileSchema = &ljson.Schema{Name: "windowsAutopilotDeploymentProfile", Props: map[string]ljson.Prop{
	"displayName":                            {Kind: ljson.String, MaxLen: 200},
	"description":                            {Kind: ljson.String, MaxLen: 1500, Nullable: true},
	"language":                               {Kind: ljson.String, MaxLen: 32, Nullable: true},
	"locale":                                 {Kind: ljson.String, MaxLen: 32, Nullable: true},
	"outOfBoxExperienceSettings":             {Kind: ljson.Complex, Schema: oobeOldSchema, Nullable: true},
	"outOfBoxExperienceSetting":              {Kind: ljson.Complex, Schema: oobeNewSchema, Nullable: true},
	"enrollmentStatusScreenSettings":         {Kind: ljson.Complex, Schema: espScreenSchema, Nullable: true},
	"extractHardwareHash":                    boolProp(),
	"hardwareHashExtractionEnabled":          boolProp(),
	"deviceNameTemplate":                     {Kind: ljson.String, MaxLen: 64, Nullable: true},
	"deviceType":                             {Kind: ljson.Enum, Enum: deviceTypes, Nullable: true},
	"enableWhiteGlove":                       boolProp(),
	"preprovisioningAllowed":                 boolProp(),
	"roleScopeTagIds":                        {Kind: ljson.StringArray, MaxLen: 64, Nullable: true},
	"managementServiceAppId":                 {Kind: ljson.String, MaxLen: 64, Nullable: true},
	"hybridAzureADJoinSkipConnectivityCheck": boolProp(),
	"id":                                     readOnly, "createdDateTime": readOnly, "lastModifiedDateTime": readOnly,
	"assignments": readOnly, "assignedDevices": readOnly, "domainJoinConfiguration": readOnly,
}}

var profileQuery = odata.Schema{
	"id": odata.Guid, "displayName": odata.String, "description": odata.String, "locale": odata.String, "language": odata.String,
	"deviceNameTemplate": odata.String, "preprovisioningAllowed": odata.Bool, "enableWhiteGlove": odata.Bool,
	"createdDateTime": odata.DateTime, "lastModifiedDateTime": odata.DateTime, "deviceType": odata.Enum,
}

// profileJSON returns a profile with the deprecated and the current names
// side by side, always equal.
func profileJSON(p autopilot.Profile) map[string]any {
	o := p.OOBE
	tags := p.RoleScopeTagIDs
	if tags == nil {
		tags = []string{"0"}
	}
	m := map[string]any{
		"@odata.type":          "#microsoft.graph." + p.Kind,
		"id":                   p.ID,
		"displayName":          p.DisplayName,
		"description":          nullable(p.Description),
		"language":             p.Locale,
		"locale":               p.Locale,
		"createdDateTime":      p.CreatedAt,
		"lastModifiedDateTime": p.UpdatedAt,
		"outOfBoxExperienceSettings": map[string]any{
			"@odata.type": "microsoft.graph.outOfBoxExperienceSettings", "hidePrivacySettings": o.PrivacySettingsHidden,
			"hideEULA": o.EulaHidden, "userType": o.UserType, "deviceUsageType": o.DeviceUsageType,
			"skipKeyboardSelectionPage": o.KeyboardSelectionPageSkipped, "hideEscapeLink": o.EscapeLinkHidden,
		},
		"outOfBoxExperienceSetting": map[string]any{
			"@odata.type": "microsoft.graph.outOfBoxExperienceSetting", "privacySettingsHidden": o.PrivacySettingsHidden,
			"eulaHidden": o.EulaHidden, "userType": o.UserType, "deviceUsageType": o.DeviceUsageType,
			"keyboardSelectionPageSkipped": o.KeyboardSelectionPageSkipped, "escapeLinkHidden": o.EscapeLinkHidden,
		},
		"enrollmentStatusScreenSettings": nil,
		"extractHardwareHash":            p.HardwareHashExtraction,
		"hardwareHashExtractionEnabled":  p.HardwareHashExtraction,
		"deviceNameTemplate":             nullable(p.DeviceNameTemplate),
		"deviceType":                     p.DeviceType,
		"enableWhiteGlove":               p.PreprovisioningAllowed,
		"preprovisioningAllowed":         p.PreprovisioningAllowed,
		"roleScopeTagIds":                tags,
		"managementServiceAppId":         nullable(p.ManagementServiceAppID),
	}
	if e := p.ESP; e != nil {
		m["enrollmentStatusScreenSettings"] = map[string]any{
			"@odata.type": "microsoft.graph.windowsEnrollmentStatusScreenSettings", "hideInstallationProgress": e.HideInstallationProgress,
			"allowDeviceUseBeforeProfileAndAppInstallComplete": e.AllowDeviceUseBeforeProfileAndAppInstallComplete,
			"blockDeviceSetupRetryByUser":                      e.BlockDeviceSetupRetryByUser, "allowLogCollectionOnInstallFailure": e.AllowLogCollectionOnInstallFailure,
			"customErrorMessage": nullable(e.CustomErrorMessage), "installProgressTimeoutInMinutes": e.InstallProgressTimeoutInMinutes,
			"allowDeviceUseOnInstallFailure": e.AllowDeviceUseOnInstallFailure,
		}
	}
	if p.Kind == autopilot.KindActiveDirectory {
		m["hybridAzureADJoinSkipConnectivityCheck"] = p.HybridSkipConnectivityCheck
	}
	return m
}

// pairBool applies a property that has a deprecated and a current name.
// Clients that GET, change one name and PATCH the whole object send both
// with different values: the one that differs from the stored value is
// the change; when both are sent equal, or only one is sent, it is taken.
func pairBool(cur *bool, oldV, newV any) {
	o, oOK := oldV.(bool)
	n, nOK := newV.(bool)
	switch {
	case oOK && nOK && o != n:
		if o != *cur {
			*cur = o
		} else {
			*cur = n
		}
	case nOK:
		*cur = n
	case oOK:
		*cur = o
	}
}

func pairString(cur *string, oldV, newV any) {
	o, oOK := oldV.(string)
	n, nOK := newV.(string)
	switch {
	case oOK && nOK && o != n:
		if n != *cur {
			*cur = n
		} else {
			*cur = o
		}
	case nOK:
		*cur = n
	case oOK:
		*cur = o
	}
}

// applyProfile copies what obj carries onto p.
func applyProfile(obj *ljson.Object, p *autopilot.Profile) {
	f := obj.Fields
	if v, ok := f["displayName"].(string); ok {
		p.DisplayName = v
	}
	if obj.Has("description") {
		p.Description, _ = f["description"].(string)
	}
	pairString(&p.Locale, f["language"], f["locale"])
	pairBool(&p.HardwareHashExtraction, f["extractHardwareHash"], f["hardwareHashExtractionEnabled"])
	pairBool(&p.PreprovisioningAllowed, f["enableWhiteGlove"], f["preprovisioningAllowed"])
	if obj.Has("deviceNameTemplate") {
		p.DeviceNameTemplate, _ = f["deviceNameTemplate"].(string)
	}
	if v, ok := f["deviceType"].(string); ok {
		p.DeviceType = v
	}
	if v, ok := f["roleScopeTagIds"].([]string); ok {
		p.RoleScopeTagIDs = v
	}
	if obj.Has("managementServiceAppId") {
		p.ManagementServiceAppID, _ = f["managementServiceAppId"].(string)
	}
	if v, ok := f["hybridAzureADJoinSkipConnectivityCheck"].(bool); ok {
		p.HybridSkipConnectivityCheck = v
	}
	oldO, _ := f["outOfBoxExperienceSettings"].(map[string]any)
	newO, _ := f["outOfBoxExperienceSetting"].(map[string]any)
	o := &p.OOBE
	pairBool(&o.PrivacySettingsHidden, oldO["hidePrivacySettings"], newO["privacySettingsHidden"])
	pairBool(&o.EulaHidden, oldO["hideEULA"], newO["eulaHidden"])
	pairBool(&o.KeyboardSelectionPageSkipped, oldO["skipKeyboardSelectionPage"], newO["keyboardSelectionPageSkipped"])
	pairBool(&o.EscapeLinkHidden, oldO["hideEscapeLink"], newO["escapeLinkHidden"])
	pairString(&o.UserType, oldO["userType"], newO["userType"])
	pairString(&o.DeviceUsageType, oldO["deviceUsageType"], newO["deviceUsageType"])
	if obj.Has("enrollmentStatusScreenSettings") {
		e, ok := f["enrollmentStatusScreenSettings"].(map[string]any)
		if !ok {
			p.ESP = nil
		} else {
			esp := autopilot.EmbeddedESP{InstallProgressTimeoutInMinutes: 60}
			if p.ESP != nil {
				esp = *p.ESP
			}
			for name, dst := range map[string]*bool{
				"hideInstallationProgress": &esp.HideInstallationProgress, "allowDeviceUseBeforeProfileAndAppInstallComplete": &esp.AllowDeviceUseBeforeProfileAndAppInstallComplete,
				"blockDeviceSetupRetryByUser": &esp.BlockDeviceSetupRetryByUser, "allowLogCollectionOnInstallFailure": &esp.AllowLogCollectionOnInstallFailure,
				"allowDeviceUseOnInstallFailure": &esp.AllowDeviceUseOnInstallFailure,
			} {
				if v, ok := e[name].(bool); ok {
					*dst = v
				}
			}
			if v, ok := e["customErrorMessage"].(string); ok {
				esp.CustomErrorMessage = v
			}
			if v, ok := e["installProgressTimeoutInMinutes"].(int64); ok {
				esp.InstallProgressTimeoutInMinutes = v
			}
			p.ESP = &esp
		}
	}
}

// profileKind reads the concrete type from @odata.type.
func profileKind(t string) string {
	t = strings.TrimPrefix(strings.ToLower(t), "microsoft.graph.")
	switch t {
	case strings.ToLower(autopilot.KindAzureAD):
		return autopilot.KindAzureAD
	case strings.ToLower(autopilot.KindActiveDirectory):
		return autopilot.KindActiveDirectory
	}
	return ""
}

func (a *Autopilot) listProfiles(w http.ResponseWriter, r *http.Request, _ Params) {
	ps, err := a.ap.Store().Profiles(r.Context())
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	items := make([]map[string]any, len(ps))
	for i, p := range ps {
		items[i] = profileJSON(p)
	}
	writeCollection(w, r, "deviceManagement/windowsAutopilotDeploymentProfiles", profileQuery, items)
}

func (a *Autopilot) getProfile(w http.ResponseWriter, r *http.Request, p Params) {
	prof, err := a.ap.Store().Profile(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, "deviceManagement/windowsAutopilotDeploymentProfiles", profileQuery, profileJSON(prof))
}

func (a *Autopilot) createProfile(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, err := decode(w, r, profileSchema)
	if err != nil {
		return
	}
	kind := profileKind(obj.Type)
	if kind == "" {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "@odata.type must be #microsoft.graph.azureADWindowsAutopilotDeploymentProfile or #microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile.")
		return
	}
	if !obj.Has("displayName") {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "displayName is required.")
		return
	}
	p := autopilot.Profile{Kind: kind}
	applyProfile(obj, &p)
	p, err = a.ap.CreateProfile(r.Context(), p)
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, "deviceManagement/windowsAutopilotDeploymentProfiles", profileJSON(p))
}

func (a *Autopilot) patchProfile(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, profileSchema)
	if err != nil {
		return
	}
	kind := ""
	if obj.Type != "" && !strings.EqualFold(obj.Type, "microsoft.graph.windowsAutopilotDeploymentProfile") {
		if kind = profileKind(obj.Type); kind == "" {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "Unknown @odata.type "+obj.Type+" for a deployment profile.")
			return
		}
	}
	out, err := a.ap.UpdateProfile(r.Context(), p["id"], func(prof *autopilot.Profile) error {
		applyProfile(obj, prof)
		if kind != "" {
			prof.Kind = kind
		}
		return nil
	})
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	// Graph documents 200 with the updated profile (the SDKs return it).
	writeEntity(w, r, http.StatusOK, "deviceManagement/windowsAutopilotDeploymentProfiles", profileJSON(out))
}

func (a *Autopilot) deleteProfile(w http.ResponseWriter, r *http.Request, p Params) {
	if err := a.ap.DeleteProfile(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}
