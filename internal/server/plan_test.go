package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
)

// TestPlanOverHTTP prepares a tenant over Graph the way an admin does and
// asks for the plan of an imported device with an assigned user.
func TestPlanOverHTTP(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		tok := e.appToken()
		_, gs := e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Autopilot devices'"), tok, nil)
		devGroup := values(t, gs)[0]["id"].(string)
		_, gs = e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Sales users'"), tok, nil)
		salesUsers := values(t, gs)[0]["id"].(string)
		_, prof := e.call("POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles", tok, map[string]any{
			"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "displayName": "Sales PP", "preprovisioningAllowed": true})
		e.call("POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles/"+prof["id"].(string)+"/assignments", tok,
			map[string]any{"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": devGroup}})
		code, espProf := e.call("POST", "/beta/deviceManagement/deviceEnrollmentConfigurations", tok, map[string]any{
			"@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration", "displayName": "Device ESP",
			"showInstallationProgress": true, "installProgressTimeoutInMinutes": 90})
		if code != 201 {
			t.Fatalf("ESP: %d %v", code, espProf)
		}
		if code, body := e.call("POST", "/beta/deviceManagement/deviceEnrollmentConfigurations/"+espProf["id"].(string)+"/assign", tok,
			map[string]any{"enrollmentConfigurationAssignments": []map[string]any{{"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": devGroup}}}}); code != 204 {
			t.Fatalf("assign ESP: %d %v", code, body)
		}
		win32 := func(name, runAs, group string) string {
			code, app := e.call("POST", "/beta/deviceAppManagement/mobileApps", tok, `{"@odata.type":"#microsoft.graph.win32LobApp","displayName":"`+name+`",
				"installCommandLine":"setup.exe /q","uninstallCommandLine":"setup.exe /x","installExperience":{"runAsAccount":"`+runAs+`","deviceRestartBehavior":"suppress"},
				"rules":[{"@odata.type":"#microsoft.graph.win32LobAppFileSystemRule","ruleType":"detection","path":"C:\\Program Files\\`+name+`","fileOrFolderName":"app.exe",
				"check32BitOn64System":false,"operationType":"exists","operator":"notConfigured","comparisonValue":null}]}`)
			if code != 201 {
				t.Fatalf("app %s: %d %v", name, code, app)
			}
			id := app["id"].(string)
			if code, body := e.call("POST", "/beta/deviceAppManagement/mobileApps/"+id+"/assign", tok, `{"mobileAppAssignments":[{"@odata.type":"#microsoft.graph.mobileAppAssignment",
				"intent":"required","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"`+group+`"}}]}`); code != 204 {
				t.Fatalf("assign %s: %d %v", name, code, body)
			}
			return id
		}
		office := win32("Office", "system", devGroup)
		crm := win32("CRM", "system", salesUsers)
		teams := win32("Chat", "user", salesUsers)
		_, imp := e.call("POST", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities", tok, map[string]any{
			"serialNumber": "PLAN-HTTP-1", "hardwareIdentifier": aptest.Hash("PLAN-HTTP-1"), "assignedUserPrincipalName": "alice@contoso.example"})
		eventually(t, 10*time.Second, "the import", func() bool {
			_, cur := e.call("GET", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/"+imp["id"].(string), tok, nil)
			return sub(cur, "state")["deviceImportStatus"] == "complete"
		})
		code, rep := e.call("GET", "/api/autopilot/plan?device=PLAN-HTTP-1", tok, nil)
		if code != 200 {
			t.Fatalf("plan: %d %v", code, rep)
		}
		phases := rep["phases"].([]any)
		itemIDs := func(i int) []string {
			var out []string
			for _, it := range phases[i].(map[string]any)["items"].([]any) {
				out = append(out, it.(map[string]any)["id"].(string))
			}
			return out
		}
		if got := strings.Join(itemIDs(0), ","); got != office+","+crm {
			t.Fatalf("technician phase = %v, want Office then CRM", got)
		}
		if got := strings.Join(itemIDs(1), ","); got != teams {
			t.Fatalf("user phase = %v, want Chat", got)
		}
		espInfo := rep["espProfile"].(map[string]any)
		if espInfo["displayName"] != "Device ESP" || espInfo["deviceTargeted"] != true || espInfo["timeoutMinutes"] != 90.0 {
			t.Fatalf("esp = %v", espInfo)
		}
		if warnings := rep["warnings"].([]any); len(warnings) != 0 {
			t.Fatalf("warnings = %v", warnings)
		}
		// The manifest the device will be served splits exactly as the plan.
		ztd := rep["device"].(map[string]any)["ztdId"].(string)
		eventually(t, 10*time.Second, "the device's manifest", func() bool {
			if _, err := e.srv.Manifests().Sync(t.Context()); err != nil {
				t.Fatal(err)
			}
			code, m := e.call("GET", "/api/autopilot/devices/"+ztd+"/manifest", tok, nil)
			if code != 200 {
				return false
			}
			for i, ph := range m["phases"].([]any) {
				var got []string
				for _, it := range ph.(map[string]any)["items"].([]any) {
					got = append(got, it.(map[string]any)["id"].(string))
				}
				if strings.Join(got, ",") != strings.Join(itemIDs(i), ",") {
					return false
				}
			}
			return true
		})
		// A user who is not the assigned one, and an unknown device.
		code, rep = e.call("GET", "/api/autopilot/plan?device=PLAN-HTTP-1&user=bob@contoso.example", tok, nil)
		if code != 200 || len(rep["phases"].([]any)[0].(map[string]any)["items"].([]any)) != 1 {
			t.Fatalf("plan for bob: %d %v", code, rep)
		}
		if code, _ := e.call("GET", "/api/autopilot/plan?device=NOPE", tok, nil); code != 404 {
			t.Fatalf("unknown device: %d", code)
		}
		if code, _ := e.call("GET", "/api/autopilot/plan?device=PLAN-HTTP-1", e.userToken("tech@contoso.example"), nil); code != 403 {
			t.Fatalf("technician plan: %d", code)
		}
	})
}
