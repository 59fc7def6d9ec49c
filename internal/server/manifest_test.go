package server_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
)

// TestManifestsFollowChanges checks that a device's desired state is
// recomputed when the catalog, its user or its groups change — and only
// then — with a version that moves exactly when the content does.
func TestManifestsFollowChanges(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		ctx := t.Context()
		tok := e.appToken()
		mf := e.srv.Manifests()
		_, gs := e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Autopilot devices'"), tok, nil)
		devGroup := values(t, gs)[0]["id"].(string)
		_, gs = e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Sales users'"), tok, nil)
		salesUsers := values(t, gs)[0]["id"].(string)
		app := func(name, group string) string {
			code, a := e.call("POST", "/beta/deviceAppManagement/mobileApps", tok, `{"@odata.type":"#microsoft.graph.win32LobApp","displayName":"`+name+`",
				"installCommandLine":"setup.exe /q","uninstallCommandLine":"setup.exe /x","installExperience":{"runAsAccount":"system","deviceRestartBehavior":"suppress"},
				"rules":[{"@odata.type":"#microsoft.graph.win32LobAppFileSystemRule","ruleType":"detection","path":"C:\\`+name+`","fileOrFolderName":"a.exe",
				"check32BitOn64System":false,"operationType":"exists","operator":"notConfigured"}]}`)
			if code != 201 {
				t.Fatalf("app: %d %v", code, a)
			}
			e.call("POST", "/beta/deviceAppManagement/mobileApps/"+a["id"].(string)+"/assign", tok, `{"mobileAppAssignments":[{"intent":"required",
				"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"`+group+`"}}]}`)
			return a["id"].(string)
		}
		office := app("Office", devGroup)
		_, imp := e.call("POST", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities", tok, map[string]any{
			"serialNumber": "MF-1", "hardwareIdentifier": aptest.Hash("MF-1")})
		var ztd string
		eventually(t, 10*time.Second, "the import", func() bool {
			_, cur := e.call("GET", "/beta/deviceManagement/importedWindowsAutopilotDeviceIdentities/"+imp["id"].(string), tok, nil)
			ztd, _ = sub(cur, "state")["deviceRegistrationId"].(string)
			return ztd != ""
		})
		if _, err := mf.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		get := func() (int64, []string) {
			code, m := e.call("GET", "/api/autopilot/devices/"+ztd+"/manifest", tok, nil)
			if code != 200 {
				t.Fatalf("manifest: %d %v", code, m)
			}
			var tech []string
			for _, it := range m["phases"].([]any)[0].(map[string]any)["items"].([]any) {
				tech = append(tech, it.(map[string]any)["id"].(string))
			}
			return int64(m["version"].(float64)), tech
		}
		eventually(t, 10*time.Second, "the first manifest", func() bool {
			if _, err := mf.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			code, _ := e.call("GET", "/api/autopilot/devices/"+ztd+"/manifest", tok, nil)
			return code == 200
		})
		v1, tech := get()
		if len(tech) != 1 || tech[0] != office {
			t.Fatalf("first manifest: v%d %v", v1, tech)
		}
		// Nothing changed: the version stays.
		if _, err := mf.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if v, _ := get(); v != v1 {
			t.Fatalf("version moved without a change: %d → %d", v1, v)
		}
		// The catalog changes: a second device app.
		changed, stop := mf.Changed(ztd)
		defer stop()
		vpn := app("VPN client", devGroup)
		if _, err := mf.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case v := <-changed:
			if v != v1+1 {
				t.Fatalf("announced version %d, want %d", v, v1+1)
			}
		default:
			t.Fatal("no announcement of the changed manifest")
		}
		if v, tech := get(); v != v1+1 || len(tech) != 2 || tech[1] != vpn {
			t.Fatalf("after a new app: v%d %v", v, tech)
		}
		// The user changes: a system-context app targeted at Sales users joins.
		crm := app("CRM", salesUsers)
		if _, err := mf.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		v2, _ := get()
		if code, _ := e.call("POST", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd+"/assignUserToDevice", tok,
			map[string]any{"userPrincipalName": "alice@contoso.example", "addressableUserName": "Alice"}); code != 200 {
			t.Fatalf("assign user: %d", code)
		}
		// A dirty mark may be held by the background recomputer: wait for it.
		eventually(t, 10*time.Second, "the user's app in the manifest", func() bool {
			if _, err := mf.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			_, tech := get()
			return len(tech) == 3
		})
		if v, tech := get(); v != v2+1 || tech[2] != crm {
			t.Fatalf("after assigning the user: v%d %v", v, tech)
		}
		// The device is deleted: its manifest goes.
		if code, _ := e.call("DELETE", "/beta/deviceManagement/windowsAutopilotDeviceIdentities/"+ztd, tok, nil); code != 204 {
			t.Fatalf("delete: %d", code)
		}
		// The background recomputer may hold the mark; wait for whoever has it.
		eventually(t, 10*time.Second, "the manifest of the deleted device to go", func() bool {
			if _, err := mf.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			code, _ := e.call("GET", "/api/autopilot/devices/"+ztd+"/manifest", tok, nil)
			return code == 404
		})
	})
}
