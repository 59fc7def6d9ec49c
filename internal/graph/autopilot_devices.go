package graph

import (
	"context"
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

var apDeviceQuery = odata.Schema{
	"id": odata.Guid, "serialNumber": odata.String, "groupTag": odata.String, "purchaseOrderIdentifier": odata.String,
	"manufacturer": odata.String, "model": odata.String, "productKey": odata.String, "displayName": odata.String,
	"userPrincipalName": odata.String, "addressableUserName": odata.String, "enrollmentState": odata.Enum,
	"deploymentProfileAssignmentStatus": odata.Enum, "azureActiveDirectoryDeviceId": odata.Guid, "azureAdDeviceId": odata.Guid,
	"managedDeviceId": odata.String, "lastContactedDateTime": odata.DateTime, "skuNumber": odata.String, "systemFamily": odata.String,
	"deploymentProfileAssignedDateTime": odata.DateTime,
}

// apDeviceJSON is the identity's Graph representation: the v1.0 set, and on
// beta the beta additions. Every property the companion app reads is
// present (null when unset). The device account password is never returned.
func apDeviceJSON(d autopilot.Device, beta bool) map[string]any {
	m := map[string]any{
		"@odata.type":                  "#microsoft.graph.windowsAutopilotDeviceIdentity",
		"id":                           d.ID,
		"groupTag":                     nullable(d.GroupTag),
		"purchaseOrderIdentifier":      nullable(d.PurchaseOrder),
		"serialNumber":                 d.SerialNumber,
		"productKey":                   nullable(d.ProductKey),
		"manufacturer":                 nullable(d.Manufacturer),
		"model":                        nullable(d.Model),
		"enrollmentState":              d.EnrollmentState,
		"lastContactedDateTime":        d.LastContactedAt,
		"addressableUserName":          nullable(d.AddressableUserName),
		"userPrincipalName":            nullable(d.UserPrincipalName),
		"resourceName":                 nullable(d.ResourceName),
		"skuNumber":                    nullable(d.SKUNumber),
		"systemFamily":                 nullable(d.SystemFamily),
		"azureActiveDirectoryDeviceId": nullable(d.EntraDeviceID),
		"managedDeviceId":              nullable(d.ManagedDeviceID),
		"displayName":                  nullable(d.DisplayName),
	}
	if !beta {
		if d.EnrollmentState == autopilot.EnrollmentBlocked {
			m["enrollmentState"] = autopilot.EnrollmentUnknown // not in the v1.0 enum
		}
		return m
	}
	m["deploymentProfileAssignmentStatus"] = d.ProfileStatus
	m["deploymentProfileAssignmentDetailedStatus"] = "none"
	m["deploymentProfileAssignedDateTime"] = d.ProfileAssignedAt
	m["azureAdDeviceId"] = nullable(d.EntraDeviceID)
	m["deviceAccountUpn"] = nullable(d.DeviceAccountUPN)
	m["deviceAccountPassword"] = nil
	m["deviceFriendlyName"] = nullable(d.DeviceFriendlyName)
	m["remediationState"] = d.RemediationState
	m["remediationStateLastModifiedDateTime"] = d.UpdatedAt
	m["userlessEnrollmentStatus"] = d.UserlessEnrollmentStatus
	return m
}

func isBeta(r *http.Request) bool { return version(r) == "beta" }

func (a *Autopilot) listDevices(w http.ResponseWriter, r *http.Request, _ Params) {
	q, ok := parseQuery(w, r, apDeviceQuery, nil)
	if !ok {
		return
	}
	var ds []autopilot.Device
	var err error
	if part, ok := q.Filter.Contains("serialNumber"); ok {
		// Every tool searches by contains(serialNumber, …): use SQL for it.
		ds, err = a.ap.Store().AutopilotDevicesBySerial(r.Context(), part)
	} else {
		ds, err = a.ap.Store().AutopilotDevices(r.Context())
	}
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	beta := isBeta(r)
	items := make([]map[string]any, len(ds))
	for i, d := range ds {
		items[i] = apDeviceJSON(d, beta)
	}
	writeCollection(w, r, "deviceManagement/windowsAutopilotDeviceIdentities", apDeviceQuery, items)
}

// expandProfiles adds the deploymentProfile / intendedDeploymentProfile
// navigation properties when $expand asks for them.
func (a *Autopilot) expandProfiles(ctx context.Context, r *http.Request, d autopilot.Device, m map[string]any) error {
	raw := strings.ToLower(r.URL.Query().Get("$expand"))
	if raw == "" {
		return nil
	}
	var p map[string]any
	if d.ProfileID != "" {
		prof, err := a.ap.Store().Profile(ctx, d.ProfileID)
		if err != nil {
			return err
		}
		p = profileJSON(prof)
	}
	for _, name := range strings.Split(raw, ",") {
		switch strings.TrimSpace(name) {
		case "deploymentprofile", "intendeddeploymentprofile":
			key := "deploymentProfile"
			if strings.TrimSpace(name) == "intendeddeploymentprofile" {
				key = "intendedDeploymentProfile"
			}
			if p == nil {
				m[key] = nil
			} else {
				m[key] = p
			}
		default:
			return &expandError{name: name}
		}
	}
	return nil
}

type expandError struct{ name string }

func (e *expandError) Error() string {
	return "$expand: " + e.name + " cannot be expanded here; use deploymentProfile or intendedDeploymentProfile"
}

func (a *Autopilot) getDevice(w http.ResponseWriter, r *http.Request, p Params) {
	d, err := a.ap.Store().AutopilotDevice(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	m := apDeviceJSON(d, isBeta(r))
	if err := a.expandProfiles(r.Context(), r, d, m); err != nil {
		if ee, ok := err.(*expandError); ok {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, ee.Error())
			return
		}
		writeServiceError(w, r, a.log, err)
		return
	}
	m["@odata.context"] = contextURL(r, "deviceManagement/windowsAutopilotDeviceIdentities/$entity")
	writeJSON(w, http.StatusOK, m)
}

func (a *Autopilot) deviceProfile(intended bool) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p Params) {
		d, err := a.ap.Store().AutopilotDevice(r.Context(), p["id"])
		if err != nil {
			writeServiceError(w, r, a.log, err)
			return
		}
		if d.ProfileID == "" {
			WriteError(w, r, http.StatusNotFound, CodeNotFound, "No deployment profile is assigned to device "+d.ID+".")
			return
		}
		prof, err := a.ap.Store().Profile(r.Context(), d.ProfileID)
		if err != nil {
			writeServiceError(w, r, a.log, err)
			return
		}
		writeEntity(w, r, http.StatusOK, "deviceManagement/windowsAutopilotDeploymentProfiles", profileJSON(prof))
	}
}

func (a *Autopilot) deleteDevice(w http.ResponseWriter, r *http.Request, p Params) {
	if err := a.ap.Delete(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}

// actionOK answers a bodiless action with 200 and no body: the docs say
// 204, but the Autopilot companion app treats anything but 200 as failure,
// and every other client accepts any 2xx.
func actionOK(w http.ResponseWriter) { w.WriteHeader(http.StatusOK) }

var assignUserSchema = &ljson.Schema{Name: "assignUserToDevice", Props: map[string]ljson.Prop{
	"userPrincipalName":   {Kind: ljson.String, MaxLen: 256},
	"addressableUserName": {Kind: ljson.String, MaxLen: 256, Nullable: true},
}}

func (a *Autopilot) assignUser(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, assignUserSchema)
	if err != nil {
		return
	}
	upn, _ := obj.String("userPrincipalName")
	if strings.TrimSpace(upn) == "" {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "userPrincipalName is required.")
		return
	}
	c := autopilot.Change{UserPrincipalName: &upn}
	if obj.Has("addressableUserName") {
		v, _ := obj.String("addressableUserName")
		c.AddressableUserName = &v
	}
	if _, err := a.ap.Update(r.Context(), p["id"], c); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	actionOK(w)
}

func (a *Autopilot) unassignUser(w http.ResponseWriter, r *http.Request, p Params) {
	// The companion app sends "" with a JSON content type; anything else is ignored too.
	if _, err := readBody(w, r); err != nil {
		return
	}
	empty := ""
	if _, err := a.ap.Update(r.Context(), p["id"], autopilot.Change{UserPrincipalName: &empty}); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	actionOK(w)
}

var updatePropsSchema = &ljson.Schema{Name: "updateDeviceProperties", Props: map[string]ljson.Prop{
	"userPrincipalName":     {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"addressableUserName":   {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"groupTag":              {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"displayName":           {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"deviceAccountUpn":      {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"deviceAccountPassword": {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"deviceFriendlyName":    {Kind: ljson.String, MaxLen: 256, Nullable: true},
}}

func (a *Autopilot) updateProperties(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, updatePropsSchema)
	if err != nil {
		return
	}
	// A technician sets what the companion app sets — user, greeting name,
	// group tag, device name — and nothing of the Surface Hub account.
	if caller, ok := Caller(r.Context()); ok && !authz.AnyOf(authz.DeviceManagementServiceConfigReadWrite).Allows(caller.Roles) {
		for _, k := range []string{"deviceAccountUpn", "deviceAccountPassword", "deviceFriendlyName"} {
			if obj.Has(k) {
				WriteError(w, r, http.StatusForbidden, CodeForbidden, "Technicians may set the user, greeting name, group tag and device name only; "+k+" needs DeviceManagementServiceConfig.ReadWrite.All.")
				return
			}
		}
	}
	var c autopilot.Change
	for name, dst := range map[string]**string{
		"userPrincipalName": &c.UserPrincipalName, "addressableUserName": &c.AddressableUserName, "groupTag": &c.GroupTag,
		"displayName": &c.DisplayName, "deviceAccountUpn": &c.DeviceAccountUPN, "deviceAccountPassword": &c.DeviceAccountPassword,
		"deviceFriendlyName": &c.DeviceFriendlyName,
	} {
		if obj.Has(name) {
			v, _ := obj.String(name) // null clears
			*dst = &v
		}
	}
	if _, err := a.ap.Update(r.Context(), p["id"], c); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	actionOK(w)
}

func (a *Autopilot) allowNextEnrollment(w http.ResponseWriter, r *http.Request, p Params) {
	if _, err := readBody(w, r); err != nil {
		return
	}
	if err := a.ap.AllowNextEnrollment(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}

var deleteDevicesSchema = &ljson.Schema{Name: "deleteDevices", Props: map[string]ljson.Prop{
	"serialNumbers": {Kind: ljson.StringArray, MaxLen: 256},
}}

func (a *Autopilot) deleteDevices(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, err := decode(w, r, deleteDevicesSchema)
	if err != nil {
		return
	}
	serials, _ := obj.Strings("serialNumbers")
	if len(serials) == 0 || len(serials) > 1000 {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "serialNumbers must list 1 to 1000 serial numbers.")
		return
	}
	res, err := a.ap.DeleteBySerial(r.Context(), serials)
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	out := make([]map[string]any, len(res))
	for i, x := range res {
		state := "accepted"
		if !x.Deleted {
			state = "failed"
		}
		out[i] = map[string]any{
			"@odata.type": "#microsoft.graph.deletedWindowsAutopilotDeviceState", "serialNumber": x.SerialNumber,
			"deviceRegistrationId": nullable(x.RegistrationID), "deletionState": state, "errorMessage": nullable(x.Message),
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": contextURL(r, "Collection(microsoft.graph.deletedWindowsAutopilotDeviceState)"), "value": out})
}
