package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

// eventually polls cond every 20 ms until it holds or the timeout passes,
// as the Autopilot clients poll.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(timeout)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

func sub(m map[string]any, k string) map[string]any {
	v, _ := m[k].(map[string]any)
	return v
}

// TestGetWindowsAutopilotInfoOnline replays Get-WindowsAutopilotInfo -Online
// -AddToGroup -AssignedComputerName -Assign, then the WindowsAutopilotIntune
// module's clean-up of the import record.
func TestGetWindowsAutopilotInfoOnline(t *testing.T) {
	eachBackend(t, false, func(t *testing.T, e *env) {
		tok := e.appToken()
		// Setup: a static group the script adds devices to, targeted by a profile.
		_, g := e.call("POST", "/beta/groups", tok, map[string]any{"displayName": "Autopilot Lab", "mailEnabled": false, "mailNickname": "lab", "securityEnabled": true})
		gid := g["id"].(string)
		code, prof := e.call("POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles", tok, map[string]any{
			"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "displayName": "Lab", "enableWhiteGlove": true,
			"outOfBoxExperienceSettings": map[string]any{"hidePrivacySettings": true, "hideEULA": true, "userType": "standard", "deviceUsageType": "singleUser", "hideEscapeLink": true},
		})
		if code != 201 {
			t.Fatalf("create profile: %d %v", code, prof)
		}
		pid := prof["id"].(string)
		if prof["preprovisioningAllowed"] != true || sub(prof, "outOfBoxExperienceSetting")["escapeLinkHidden"] != true {
			t.Fatalf("new names not returned consistently: %v", prof)
		}
		code, body := e.call("POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles/"+pid+"/assignments", tok, map[string]any{
			"id": pid + "_" + gid + "_0", "target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": gid},
		})
		if code != 201 || body["id"] != pid+"_"+gid+"_0" {
			t.Fatalf("assignment: %d %v", code, body)
		}
		// An assignment filter would be silently ignored: refused instead.
		if code, _ := e.call("POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles/"+pid+"/assignments", tok, map[string]any{
			"target": map[string]any{"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget",
				"deviceAndAppManagementAssignmentFilterId": "f1", "deviceAndAppManagementAssignmentFilterType": "include"}}); code != 400 {
			t.Fatalf("filtered assignment: %d, want 400", code)
		}

		// 1. POST the imported identity exactly as the module sends it.
		body1 := `{
    "@odata.type": "#microsoft.graph.importedWindowsAutopilotDeviceIdentity",
    "groupTag": "",
    "serialNumber": "5P9KML3",
    "productKey": "",
    "hardwareIdentifier": "` + aptest.Hash("5P9KML3") + `",
    "assignedUserPrincipalName": "",
    "state": {
        "@odata.type": "microsoft.graph.importedWindowsAutopilotDeviceIdentityState",
        "deviceImportStatus": "pending",
        "deviceRegistrationId": "",
        "deviceErrorCode": 0,
        "deviceErrorName": ""
    }
}`
		code, imp := e.call("POST", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities", tok, body1)
		if code != 201 || sub(imp, "state")["deviceImportStatus"] != "unknown" {
			t.Fatalf("import POST: %d %v", code, imp)
		}
		// 2. Poll while "unknown".
		var state map[string]any
		eventually(t, 10*time.Second, "import to finish", func() bool {
			_, cur := e.call("GET", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/"+imp["id"].(string), tok, nil)
			state = sub(cur, "state")
			return state["deviceImportStatus"] != "unknown"
		})
		if state["deviceImportStatus"] != "complete" {
			t.Fatalf("import ended %v", state)
		}
		ztd := state["deviceRegistrationId"].(string)
		// 3. The identity exists.
		code, dev := e.call("GET", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd, tok, nil)
		if code != 200 || dev["deploymentProfileAssignmentStatus"] != "notAssigned" {
			t.Fatalf("identity: %d %v", code, dev)
		}
		// 4. -AddToGroup: group by name, Entra device by deviceId, add by object id.
		_, gs := e.call("GET", "/beta/groups?$filter="+url.QueryEscape("displayName eq 'Autopilot Lab'"), tok, nil)
		if values(t, gs)[0]["id"] != gid {
			t.Fatalf("group lookup: %v", gs)
		}
		_, ds := e.call("GET", "/beta/devices?$filter="+url.QueryEscape("deviceId eq '"+dev["azureActiveDirectoryDeviceId"].(string)+"'"), tok, nil)
		entra := values(t, ds)
		if len(entra) != 1 {
			t.Fatalf("Entra device lookup: %v", ds)
		}
		code, _ = e.call("POST", "/beta/groups/"+gid+"/members/$ref", tok, map[string]any{"@odata.id": "https://graph.microsoft.com/beta/directoryObjects/" + entra[0]["id"].(string)})
		if code != 204 {
			t.Fatalf("add to group: %d", code)
		}
		// 5. -AssignedComputerName.
		if code, body := e.call("POST", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd+"/UpdateDeviceProperties", tok, `{ displayName: "LAB-001" }`); code != 200 {
			t.Fatalf("UpdateDeviceProperties: %d %v", code, body)
		}
		// 6. -Assign: the first GET already reads assigned (no waiting on a sync).
		_, dev = e.call("GET", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd+"?$expand=deploymentProfile,intendedDeploymentProfile", tok, nil)
		if !strings.HasPrefix(dev["deploymentProfileAssignmentStatus"].(string), "assigned") || sub(dev, "deploymentProfile")["displayName"] != "Lab" ||
			sub(dev, "intendedDeploymentProfile")["id"] != pid || dev["displayName"] != "LAB-001" {
			t.Fatalf("after group add: %v", dev)
		}
		// 7. The module deletes the import record whatever its outcome.
		if code, _ := e.call("DELETE", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/"+imp["id"].(string), tok, nil); code != 204 {
			t.Fatalf("delete import: %d", code)
		}
		// Profile in use: DELETE refused with a clear error.
		if code, body := e.call("DELETE", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles/"+pid, tok, nil); code != 409 || !strings.Contains(errMsg(body), "assign") {
			t.Fatalf("delete assigned profile: %d %v", code, body)
		}
	})
}

// TestImportActionAssignsOnFirstRead imports many devices with the bound
// import action into a dynamic [ZTDId] group feeding a profile: each reads
// assignedInSync on the first GET after its import completes.
func TestImportActionAssignsOnFirstRead(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		tok := e.appToken()
		_, groups := e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Autopilot devices'"), tok, nil)
		gid := values(t, groups)[0]["id"].(string)
		_, prof := e.call("POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles", tok, map[string]any{
			"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "displayName": "Everyone", "preprovisioningAllowed": true,
		})
		pid := prof["id"].(string)
		e.call("POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles/"+pid+"/assignments", tok, map[string]any{
			"target": map[string]any{"@odata.type": "microsoft.graph.groupAssignmentTarget", "groupId": gid}})
		var list []map[string]any
		for _, s := range []string{"BATCH-1", "BATCH-2", "BATCH-3", "BATCH-1", ""} {
			h := aptest.Hash(s)
			if s == "" {
				h = "not a hash"
			}
			list = append(list, map[string]any{"serialNumber": s, "hardwareIdentifier": h, "groupTag": "Lab"})
		}
		code, body := e.call("POST", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/import", tok, map[string]any{"importedWindowsAutopilotDeviceIdentities": list})
		if code != 200 || len(values(t, body)) != 5 {
			t.Fatalf("import action: %d %v", code, body)
		}
		want := []string{"complete", "complete", "complete", "error", "error"}
		names := []any{nil, nil, nil, "ZtdDeviceDuplicated", "InvalidZtdHardwareHash"}
		for i, im := range values(t, body) {
			id := im["id"].(string)
			var st map[string]any
			eventually(t, 10*time.Second, "import "+id, func() bool {
				_, cur := e.call("GET", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/"+id, tok, nil)
				st = sub(cur, "state")
				return st["deviceImportStatus"] != "unknown"
			})
			if st["deviceImportStatus"] != want[i] || st["deviceErrorName"] != names[i] {
				t.Fatalf("row %d: %v", i, st)
			}
			if want[i] == "complete" {
				_, dev := e.call("GET", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+st["deviceRegistrationId"].(string), tok, nil)
				if dev["deploymentProfileAssignmentStatus"] != "assignedInSync" || dev["groupTag"] != "Lab" {
					t.Fatalf("row %d device: %v", i, dev)
				}
			}
		}
		// contains(serialNumber, …) as every tool searches, and the import list filter WAPI sends (note the '/').
		_, found := e.call("GET", "/beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=contains(serialNumber,'atch-2')", tok, nil)
		if len(values(t, found)) != 1 {
			t.Fatalf("contains(serialNumber): %v", found)
		}
		_, found = e.call("GET", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/?$filter=contains(serialNumber,'BATCH-1')", tok, nil)
		if len(values(t, found)) != 2 {
			t.Fatalf("imported filter: %v", found)
		}
		_, assigned := e.call("GET", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles/"+pid+"/assignedDevices", tok, nil)
		if len(values(t, assigned)) != 3 {
			t.Fatalf("assignedDevices: %v", assigned)
		}
	})
}

// TestCompanionAppSequence replays the Autopilot companion app: a
// technician signs in, finds a device by serial and by QR (ZtdId), clears
// and sets the user, group tag and name, and syncs — with the token sent
// without "Bearer " and 200 expected from the actions.
func TestCompanionAppSequence(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		admin := e.appToken()
		_, body := e.call("POST", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities", admin, map[string]any{
			"serialNumber": "CMP-777", "hardwareIdentifier": aptest.Hash("CMP-777"), "assignedUserPrincipalName": "alice@contoso.example"})
		var imp map[string]any
		eventually(t, 10*time.Second, "the import", func() bool {
			_, imp = e.call("GET", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/"+body["id"].(string), admin, nil)
			return sub(imp, "state")["deviceImportStatus"] == "complete"
		})
		ztd := sub(imp, "state")["deviceRegistrationId"].(string)

		tech := e.userToken("tech@contoso.example")
		bare := func(method, path, payload string) (int, map[string]any) {
			var req *http.Request
			if payload == "-" {
				req, _ = http.NewRequest(method, e.url+path, nil)
			} else {
				req, _ = http.NewRequest(method, e.url+path, strings.NewReader(payload))
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Authorization", tech)
			return e.do(req)
		}
		if code, org := bare("GET", "/v1.0/organization", "-"); code != 200 || values(t, org)[0]["verifiedDomains"] == nil {
			t.Fatalf("organization: %d %v", code, org)
		}
		code, found := bare("GET", "/beta/deviceManagement/windowsAutopilotDeviceIdentities?$filter=contains(serialNumber,'CMP-777')", "-")
		if code != 200 || len(values(t, found)) != 1 {
			t.Fatalf("search: %d %v", code, found)
		}
		for _, k := range []string{"serialNumber", "manufacturer", "model", "groupTag", "purchaseOrderIdentifier", "addressableUserName",
			"userPrincipalName", "azureActiveDirectoryDeviceId", "managedDeviceId", "id", "displayName"} {
			if _, ok := values(t, found)[0][k]; !ok {
				t.Fatalf("property %s missing (the companion reads it)", k)
			}
		}
		code, dev := bare("GET", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd+"?$expand=deploymentProfile,intendedDeploymentProfile", "-")
		if code != 200 || dev["userPrincipalName"] != "alice@contoso.example" || dev["addressableUserName"] != "Alice Anders" {
			t.Fatalf("by ZtdId: %d %v", code, dev)
		}
		if code, users := bare("GET", "/beta/users", "-"); code != 200 || len(values(t, users)) < 3 {
			t.Fatalf("user picker: %d", code)
		}
		if code, _ := bare("POST", "/beta/devicemanagement/windowsAutopilotDeviceIdentities/"+ztd+"/unassignUserFromDevice", ""); code != 200 {
			t.Fatalf("unassign: %d", code)
		}
		code, _ = bare("POST", "/beta/devicemanagement/windowsAutopilotDeviceIdentities/"+ztd+"/UpdateDeviceProperties",
			`{"userPrincipalName":"bob@contoso.example","addressableUserName":"Bob B.","groupTag":"Field","displayName":"FIELD-01"}`)
		if code != 200 {
			t.Fatalf("UpdateDeviceProperties: %d", code)
		}
		if code, _ := bare("POST", "/beta/deviceManagement/windowsAutopilotSettings/sync", ""); code != 204 {
			t.Fatalf("sync: %d", code)
		}
		_, dev = bare("GET", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd, "-")
		if dev["userPrincipalName"] != "bob@contoso.example" || dev["addressableUserName"] != "Bob B." || dev["groupTag"] != "Field" || dev["displayName"] != "FIELD-01" {
			t.Fatalf("after update: %v", dev)
		}
		// Nor the Surface Hub account through updateDeviceProperties.
		if code, _ := bare("POST", "/beta/devicemanagement/windowsAutopilotDeviceIdentities/"+ztd+"/UpdateDeviceProperties", `{"deviceAccountUpn":"room@contoso.example"}`); code != 403 {
			t.Fatalf("technician sets deviceAccountUpn: %d, want 403", code)
		}
		// The technician may do nothing else.
		if code, _ := bare("DELETE", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd, "-"); code != 403 {
			t.Fatalf("technician delete: %d, want 403", code)
		}
		// An unknown user is refused and nothing changes.
		code, _ = bare("POST", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd+"/assignUserToDevice", `{"userPrincipalName":"nobody@contoso.example","addressableUserName":"N"}`)
		if code != 400 {
			t.Fatalf("unknown user: %d", code)
		}
	})
}

// TestWindowsAutopilotIntuneProfiles replays the module's profile
// commands: New, Get, Set (PATCH of the whole object with deprecated names),
// assign and remove a group, sync twice in a row.
func TestWindowsAutopilotIntuneProfiles(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), true)
	tok := e.appToken()
	base := "/beta/deviceManagement/windowsAutopilotDeploymentProfiles"
	code, p := e.call("POST", base, tok, `{
		"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
		"displayName": "UserDriven", "description": "", "language": "os-default",
		"extractHardwareHash": false, "deviceNameTemplate": "CONTOSO-%SERIAL%", "deviceType": "windowsPc", "enableWhiteGlove": true,
		"outOfBoxExperienceSettings": { "hidePrivacySettings": true, "hideEULA": true, "userType": "Standard", "deviceUsageType": "singleuser", "skipKeyboardSelectionPage": false, "hideEscapeLink": true },
	}`)
	if code != 201 {
		t.Fatalf("New-AutopilotProfile: %d %v", code, p)
	}
	id := p["id"].(string)
	// Set-AutopilotProfile: GET, change one deprecated name, strip read-only keys, PATCH all.
	_, cur := e.call("GET", base+"/"+id, tok, nil)
	for _, k := range []string{"lastModifiedDateTime", "createdDateTime", "@odata.context", "id", "roleScopeTagIds"} {
		delete(cur, k)
	}
	cur["enableWhiteGlove"] = false
	sub(cur, "outOfBoxExperienceSettings")["hideEULA"] = false
	if code, body := e.call("PATCH", base+"/"+id, tok, cur); code != 200 || body["enableWhiteGlove"] != false {
		t.Fatalf("PATCH whole profile: %d %v", code, body)
	}
	_, after := e.call("GET", base+"/"+id, tok, nil)
	if after["preprovisioningAllowed"] != false || after["enableWhiteGlove"] != false || sub(after, "outOfBoxExperienceSetting")["eulaHidden"] != false ||
		sub(after, "outOfBoxExperienceSettings")["hideEULA"] != false || after["deviceNameTemplate"] != "CONTOSO-%SERIAL%" {
		t.Fatalf("after PATCH: %v", after)
	}
	if code, _ := e.call("PATCH", base+"/"+id, tok, map[string]any{"deviceNameTemplate": "THIS-NAME-IS-TOO-LONG"}); code != 400 {
		t.Fatalf("bad template: %d", code)
	}
	_, gs := e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Autopilot devices'"), tok, nil)
	gid := values(t, gs)[0]["id"].(string)
	aid := id + "_" + gid + "_0"
	if code, _ := e.call("POST", base+"/"+id+"/assignments", tok, map[string]any{"id": aid, "target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": gid}}); code != 201 {
		t.Fatalf("assign group: %d", code)
	}
	_, as := e.call("GET", base+"/"+id+"/assignments", tok, nil)
	if got := values(t, as); len(got) != 1 || sub(got[0], "target")["@odata.type"] != "#microsoft.graph.groupAssignmentTarget" {
		t.Fatalf("assignments: %v", as)
	}
	if code, _ := e.call("DELETE", base+"/"+id+"/assignments/"+aid, tok, nil); code != 204 {
		t.Fatalf("remove assignment: %d", code)
	}
	for i := 0; i < 2; i++ {
		if code, _ := e.call("POST", "/beta/deviceManagement/windowsAutopilotSettings/sync", tok, nil); code != 204 {
			t.Fatalf("sync %d: %d", i, code)
		}
	}
	_, s := e.call("GET", "/beta/deviceManagement/windowsAutopilotSettings", tok, nil)
	if s["syncStatus"] != "completed" {
		t.Fatalf("settings: %v", s)
	}
	if code, _ := e.call("DELETE", base+"/"+id, tok, nil); code != 204 {
		t.Fatalf("delete profile: %d", code)
	}
	// v1.0 has no deployment profiles.
	if code, _ := e.call("GET", "/v1.0/deviceManagement/windowsAutopilotDeploymentProfiles", tok, nil); code != 400 {
		t.Fatalf("v1.0 profiles: %d", code)
	}
}
