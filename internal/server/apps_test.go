package server_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	mobileApps = "/beta/deviceAppManagement/mobileApps"
	configs    = "/beta/deviceManagement/deviceConfigurations"
	scripts    = "/beta/deviceManagement/deviceManagementScripts"
)

// requireCatalogRoutes fails with what to do when server.New does not
// register the app and policy endpoints.
func requireCatalogRoutes(t *testing.T, e *env) {
	t.Helper()
	for _, r := range e.srv.Router().Routes() {
		if strings.EqualFold(r.Pattern, "/deviceAppManagement/mobileApps") {
			return
		}
	}
	t.Fatal("the app and policy catalog is not wired into server.New: register graph.NewApps and graph.NewPolicies")
}

// TestAppAndPolicyCatalogOverGraph replays what an admin does to prepare
// pre-provisioning with the usual tooling: upload a Win32 app and its
// dependency (IntuneWin32App-style beta bodies, gzip-compressed as the SDKs
// send them), an MSI, a custom profile that turns the sign-in assistant off,
// a device certificate and a script; assign them to a real group; find the
// Win32 apps with isof(); and get clear refusals that write nothing.
func TestAppAndPolicyCatalogOverGraph(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		requireCatalogRoutes(t, e)
		tok := e.appToken()
		code, grp := e.call("POST", "/v1.0/groups", tok, map[string]any{"displayName": "Autopilot kiosks", "mailEnabled": false, "mailNickname": "apkiosks", "securityEnabled": true})
		if code != 201 {
			t.Fatalf("group: %d %v", code, grp)
		}
		gid := grp["id"].(string)
		runtime := `{"@odata.type":"#microsoft.graph.win32LobApp","displayName":"VC++ 2022","publisher":"Microsoft","fileName":"vcredist.intunewin",
			"installCommandLine":"vc_redist.x64.exe /install /quiet /norestart","uninstallCommandLine":"vc_redist.x64.exe /uninstall /quiet",
			"applicableArchitectures":"x64","installExperience":{"runAsAccount":"system","deviceRestartBehavior":"basedOnReturnCode"},
			"detectionRules":[{"@odata.type":"#microsoft.graph.win32LobAppRegistryDetection","keyPath":"HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\VisualStudio\\14.0\\VC\\Runtimes\\x64",
			  "valueName":"Installed","detectionType":"integer","operator":"equal","detectionValue":"1","check32BitOn64System":false}],
			"returnCodes":[{"returnCode":0,"type":"success"},{"returnCode":3010,"type":"softReboot"},{"returnCode":1618,"type":"retry"}],}`
		req, _ := http.NewRequest("POST", e.url+mobileApps, bytes.NewReader(gz(t, runtime)))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		code, vc := e.do(req)
		if code != 201 || vc["@odata.type"] != "#microsoft.graph.win32LobApp" {
			t.Fatalf("runtime: %d %v", code, vc)
		}
		code, agent := e.call("POST", mobileApps, tok, `{"@odata.type":"#microsoft.graph.win32LobApp","displayName":"Contoso Agent","publisher":"Contoso",
			"installCommandLine":"powershell.exe -ExecutionPolicy Bypass -File install.ps1","uninstallCommandLine":"powershell.exe -File uninstall.ps1",
			"installExperience":{"runAsAccount":"system","deviceRestartBehavior":"suppress"},"minimumSupportedWindowsRelease":"21H2","minimumFreeDiskSpaceInMB":1024,
			"rules":[{"@odata.type":"#microsoft.graph.win32LobAppFileSystemRule","ruleType":"detection","path":"C:\\Program Files\\Contoso\\Agent",
			  "fileOrFolderName":"agent.exe","check32BitOn64System":false,"operationType":"version","operator":"greaterThanOrEqual","comparisonValue":"5.2"}]}`)
		if code != 201 || agent["minimumSupportedWindowsRelease"] != "Windows10_21H2" {
			t.Fatalf("agent: %d %v", code, agent)
		}
		aid := agent["id"].(string)
		if code, body := e.call("POST", mobileApps+"/"+aid+"/updateRelationships", tok, `{"relationships":[{"@odata.type":"#microsoft.graph.mobileAppDependency","targetId":"`+vc["id"].(string)+`","dependencyType":"autoInstall"}]}`); code != 204 {
			t.Fatalf("dependency: %d %v", code, body)
		}
		code, msi := e.call("POST", "/v1.0/deviceAppManagement/mobileApps", tok, map[string]any{"@odata.type": "#microsoft.graph.windowsMobileMSI",
			"displayName": "Legacy LOB", "productCode": "{2E7A1C4B-0000-4000-8000-00000000C0DE}", "productVersion": "3.1.0", "commandLine": "/qn"})
		if code != 201 {
			t.Fatalf("MSI: %d %v", code, msi)
		}
		// Assign the agent (the documented body) and read it back with exact types.
		if code, body := e.call("POST", mobileApps+"/"+aid+"/assign", tok, `{"mobileAppAssignments":[
			{"@odata.type":"#microsoft.graph.mobileAppAssignment","intent":"required","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"`+gid+`"},
			 "settings":{"@odata.type":"#microsoft.graph.win32LobAppAssignmentSettings","notifications":"hideAll","deliveryOptimizationPriority":"foreground","installTimeSettings":null,"restartSettings":null}}]}`); code != 204 {
			t.Fatalf("assign app: %d %v", code, body)
		}
		_, body := e.call("GET", mobileApps+"/"+aid+"/assignments", tok, nil)
		if as := values(t, body); len(as) != 1 || as[0]["target"].(map[string]any)["@odata.type"] != "#microsoft.graph.groupAssignmentTarget" || as[0]["intent"] != "required" {
			t.Fatalf("app assignments = %v", as)
		}
		// Get-IntuneWin32App lists with isof(); SDKs percent-encode the query.
		_, body = e.call("GET", mobileApps+"?"+url.Values{"$filter": {"isof('microsoft.graph.win32LobApp')"}, "$count": {"true"}}.Encode(), tok, nil)
		if got := names(values(t, body), "displayName"); strings.Join(got, ",") != "Contoso Agent,VC++ 2022" || body["@odata.count"] != 2.0 {
			t.Fatalf("isof list = %v (%v)", got, body["@odata.count"])
		}
		// Policies: the wlidsvc setting, a device certificate; assign answers 200 with the set.
		code, custom := e.call("POST", configs, tok, `{"@odata.type":"#microsoft.graph.windows10CustomConfiguration","displayName":"Kiosk: no MSA assistant",
			"omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingInteger","displayName":"AllowMicrosoftAccountSignInAssistant",
			"omaUri":"./Device/Vendor/MSFT/Policy/Config/Accounts/AllowMicrosoftAccountSignInAssistant","value":0}]}`)
		if code != 201 {
			t.Fatalf("custom profile: %d %v", code, custom)
		}
		code, cert := e.call("POST", configs, tok, `{"@odata.type":"#microsoft.graph.windows10PkcsCertificateProfile","displayName":"Device certificate",
			"subjectNameFormat":"custom","subjectNameFormatString":"CN={{AAD_Device_ID}}","certificateStore":"machine","keyStorageProvider":"useTpmKspOtherwiseFail"}`)
		if code != 201 {
			t.Fatalf("certificate profile: %d %v", code, cert)
		}
		for _, id := range []string{custom["id"].(string), cert["id"].(string)} {
			code, body := e.call("POST", configs+"/"+id+"/assign", tok, `{"assignments":[{"@odata.type":"#microsoft.graph.deviceConfigurationAssignment","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"`+gid+`"}}]}`)
			if code != 200 || len(values(t, body)) != 1 {
				t.Fatalf("assign profile %s: %d %v", id, code, body)
			}
		}
		code, script := e.call("POST", scripts, tok, map[string]any{"@odata.type": "#microsoft.graph.deviceManagementScript", "displayName": "Set time zone",
			"fileName": "tz.ps1", "runAsAccount": "system", "scriptContent": base64.StdEncoding.EncodeToString([]byte("Set-TimeZone -Id 'W. Europe Standard Time'\n"))})
		if code != 201 {
			t.Fatalf("script: %d %v", code, script)
		}
		if code, body := e.call("POST", scripts+"/"+script["id"].(string)+"/assign", tok, `{"deviceManagementScriptAssignments":[{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}]}`); code != 204 {
			t.Fatalf("assign script: %d %v", code, body)
		}
		// Refusals name the problem and write nothing.
		missing := newGUID(t)
		for _, c := range []struct{ method, path, body, want string }{
			{"POST", mobileApps + "/" + aid + "/assign", `{"mobileAppAssignments":[{"intent":"required","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"` + missing + `"}}]}`, "does not exist"},
			{"POST", mobileApps + "/" + vc["id"].(string) + "/updateRelationships", `{"relationships":[{"targetId":"` + aid + `"}]}`, "cycle"},
			{"POST", mobileApps, `{"@odata.type":"#microsoft.graph.win32LobApp","displayName":"Broken","installCommandLine":"x.exe","uninstallCommandLine":"x.exe /u","rules":[]}`, "detection rule"},
			{"PATCH", mobileApps + "/" + aid, `{"installCommandLine":"setup.exe\r\nshutdown /s"}`, "single line"},
			{"POST", configs + "/" + cert["id"].(string) + "/assign", `{"assignments":[{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"` + missing + `"}}]}`, "does not exist"},
		} {
			code, body := e.call(c.method, c.path, tok, c.body)
			if code != 400 || !strings.Contains(errMsg(body), c.want) {
				t.Errorf("%s %s: %d %q, want 400 naming %q", c.method, c.path, code, errMsg(body), c.want)
			}
		}
		_, body = e.call("GET", mobileApps+"/"+aid+"/assignments", tok, nil)
		if as := values(t, body); len(as) != 1 {
			t.Fatalf("refused assign changed the set: %v", as)
		}
		_, body = e.call("GET", mobileApps+"/"+aid, tok, nil)
		if body["installCommandLine"] != "powershell.exe -ExecutionPolicy Bypass -File install.ps1" {
			t.Fatalf("refused PATCH wrote: %v", body["installCommandLine"])
		}
		// Deleting the app takes its assignments along; its dependency stays.
		if code, _ := e.call("DELETE", mobileApps+"/"+aid, tok, nil); code != 204 {
			t.Fatalf("delete app: %d", code)
		}
		_, body = e.call("GET", "/v1.0/deviceAppManagement/mobileApps", tok, nil)
		if got := names(values(t, body), "displayName"); strings.Join(got, ",") != "Legacy LOB,VC++ 2022" {
			t.Fatalf("apps after delete = %v", got)
		}
		// Technicians see none of it.
		tech := e.userToken("tech@contoso.example")
		for _, p := range []string{mobileApps, configs, scripts} {
			if code, _ := e.call("GET", p, tech, nil); code != 403 {
				t.Errorf("technician GET %s: %d, want 403", p, code)
			}
		}
	})
}
