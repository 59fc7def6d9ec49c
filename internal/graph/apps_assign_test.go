package graph

import (
	"context"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

// minimalWin32 is the smallest valid win32LobApp body.
func minimalWin32(name string) string {
	return `{"@odata.type":"#microsoft.graph.win32LobApp","displayName":"` + name + `","installCommandLine":"setup.exe /q",
		"uninstallCommandLine":"setup.exe /x","rules":[{"@odata.type":"#microsoft.graph.win32LobAppProductCodeRule","ruleType":"detection",
		"productCode":"{23170F69-40C1-2702-2201-000001000000}","productVersionOperator":"notConfigured"}]}`
}

func TestMobileAppBadInputWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newCatalogEnv(t, db)
		const base = "/beta/deviceAppManagement/mobileApps"
		id := e.must(201, "POST", base, catAppsRW, minimalWin32("Kept"))["id"].(string)
		v0, _ := e.svc.Version(context.Background())
		fileRule := `{"@odata.type":"#microsoft.graph.win32LobAppFileSystemRule","ruleType":"detection","path":"C:\\x","fileOrFolderName":"x.exe","operationType":"exists"`
		win32 := func(extra string) string {
			return `{"@odata.type":"#microsoft.graph.win32LobApp","displayName":"X","installCommandLine":"a.exe","uninstallCommandLine":"a.exe /x",` + extra + `}`
		}
		for _, c := range []struct{ version, body, want string }{
			{"beta", `{"displayName":"No type"}`, "@odata.type is required"},
			{"beta", `{"@odata.type":"#microsoft.graph.mobileLobApp","displayName":"X"}`, "abstract"},
			{"beta", `{"@odata.type":"#microsoft.graph.toaster","displayName":"X"}`, "not a mobileApp type"},
			{"beta", win32(`"colour":"red"`), `"colour"`},
			{"beta", win32(`"rules":[` + fileRule + `,"keyPath":"HKLM\\x"}]`), `has no property "keyPath"`},
			{"beta", win32(`"rules":[{"ruleType":"detection","path":"C:\\x"}]`), "needs an @odata.type"},
			{"beta", win32(`"rules":[` + fileRule + `,"operator":"equal"}]`), "operator must be notConfigured"},
			{"beta", win32(`"rules":[` + strings.Replace(fileRule, `,"ruleType":"detection"`, "", 1) + `}]`), "ruleType is required"},
			{"beta", win32(`"detectionRules":[{"@odata.type":"#microsoft.graph.win32LobAppFileSystemRule"}]`), "needs an @odata.type naming its kind"},
			{"beta", win32(`"rules":[],"detectionRules":[]`), "not both"},
			{"beta", win32(`"rules":[]`), "at least one detection rule"},
			{"beta", win32(`"rules":[` + fileRule + `}],"returnCodes":[{"returnCode":0,"type":"failed"}]`), "no success code"},
			{"beta", win32(`"rules":[` + fileRule + `}],"installExperience":{"runAsAccount":"admin"}`), "installExperience.runAsAccount"},
			{"beta", win32(`"rules":[{"@odata.type":"#microsoft.graph.win32LobAppPowerShellScriptRule","ruleType":"detection","scriptContent":"%%%"}]`), "base64"},
			{"v1.0", win32(`"detectionRules":[]`), `"detectionRules"`},
			{"beta", `{"@odata.type":"#microsoft.graph.windowsMobileMSI","displayName":"M","productCode":"nope","productVersion":"1"}`, "productCode"},
			{"beta", `{"@odata.type":"#microsoft.graph.webApp","displayName":"W","appUrl":"https://x"}`, `"appUrl"`},
			{"beta", `{"@odata.type":"#microsoft.graph.win32LobApp","displayName":"X",`, "invalid JSON"},
		} {
			code, body := e.call("POST", "/"+c.version+"/deviceAppManagement/mobileApps", catAppsRW, c.body)
			if code != 400 || !strings.Contains(catErr(body), c.want) {
				t.Errorf("POST %.90s: %d %q, want 400 naming %q", c.body, code, catErr(body), c.want)
			}
		}
		for _, c := range []struct{ body, want string }{
			{`{"uninstallCommandLine":""}`, "uninstallCommandLine is required"},
			{`{"installCommandLine":"a.exe \"x"}`, "unbalanced"},
			{`{"productCode":"{23170F69-40C1-2702-2201-000001000000}"}`, `"productCode"`},
		} {
			if code, body := e.call("PATCH", base+"/"+id, catAppsRW, c.body); code != 400 || !strings.Contains(catErr(body), c.want) {
				t.Errorf("PATCH %s: %d %q, want 400 naming %q", c.body, code, catErr(body), c.want)
			}
		}
		if v, _ := e.svc.Version(context.Background()); v != v0 {
			t.Fatalf("refused requests bumped the catalog version %d → %d", v0, v)
		}
		if items := e.list(base); len(items) != 1 || items[0]["installCommandLine"] != "setup.exe /q" {
			t.Fatalf("refused requests wrote: %v", items)
		}
		if code, _ := e.call("POST", base, catCfgRW, minimalWin32("Y")); code != 403 {
			t.Fatalf("create with a configuration-only token: %d", code)
		}
		if code, _ := e.call("PATCH", base+"/00000000-0000-4000-8000-000000000000", catAppsRW, `{"displayName":"X"}`); code != 404 {
			t.Fatalf("PATCH of a missing app: %d", code)
		}
	})
}

func TestMobileAppAssignAndRelationships(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newCatalogEnv(t, db)
		const base = "/beta/deviceAppManagement/mobileApps/"
		app := e.must(201, "POST", base[:len(base)-1], catAppsRW, minimalWin32("App"))["id"].(string)
		dep := e.must(201, "POST", base[:len(base)-1], catAppsRW, minimalWin32("Runtime"))["id"].(string)
		group, excluded := e.group("Kiosks"), e.group("Broken")
		// The documented body: nested @odata.type without '#', settings of the base type.
		assign := `{"mobileAppAssignments":[
			{"@odata.type":"#microsoft.graph.mobileAppAssignment","id":"591620b7-20b7-5916-b720-1659b7201659","intent":"required",
			 "target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"` + group + `"},
			 "settings":{"@odata.type":"microsoft.graph.win32LobAppAssignmentSettings","notifications":"hideAll","installTimeSettings":null}},
			{"intent":"Required","target":{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"` + strings.ToUpper(excluded) + `"}},
			{"intent":"available","target":{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget"}},]}`
		e.must(204, "POST", base+app+"/assign", catAppsRW, assign)
		as := e.list(base + app + "/assignments")
		if len(as) != 3 || as[0]["@odata.type"] != "#microsoft.graph.mobileAppAssignment" || as[0]["id"] != "591620b7-20b7-5916-b720-1659b7201659" ||
			field(as[0], "target", "@odata.type") != "#microsoft.graph.groupAssignmentTarget" || field(as[0], "settings", "notifications") != "hideAll" ||
			field(as[1], "target", "@odata.type") != "#microsoft.graph.exclusionGroupAssignmentTarget" || field(as[1], "target", "groupId") != excluded ||
			field(as[2], "target", "@odata.type") != "#microsoft.graph.allLicensedUsersAssignmentTarget" || as[2]["intent"] != "available" ||
			field(as[0], "settings", "@odata.type") != "#microsoft.graph.win32LobAppAssignmentSettings" || as[0]["source"] != "direct" {
			t.Fatalf("assignments = %v", as)
		}
		if got := e.must(200, "GET", base+app, catRO, ""); got["isAssigned"] != true {
			t.Fatalf("isAssigned = %v", got["isAssigned"])
		}
		v1 := e.list("/v1.0/deviceAppManagement/mobileApps/" + app + "/assignments")
		if _, beta := field(v1[0], "target").(map[string]any)["deviceAndAppManagementAssignmentFilterType"]; beta || v1[0]["source"] != nil {
			t.Fatalf("v1.0 assignment = %v", v1[0])
		}
		missing := "0d2f1c5e-1111-4222-8333-444455556666"
		for _, c := range []struct{ body, want string }{
			{`{"mobileAppAssignments":[{"intent":"required","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"` + missing + `"}}]}`, "mobileAppAssignments[0].target: group " + missing + " does not exist"},
			{`{"mobileAppAssignments":[{"intent":"required","target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}},{"intent":"uninstall","target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}]}`, "already targeted"},
			{`{"mobileAppAssignments":[{"intent":"availableWithoutEnrollment","target":{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget"}}]}`, "availableWithoutEnrollment"},
			{`{"mobileAppAssignments":[{"intent":"required","target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"},"settings":{"restartSettings":{"gracePeriodInMinutes":5}}}]}`, "restartSettings is not supported"},
			{`{"mobileAppAssignments":[{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}]}`, "intent is required"},
			{`{"assignments":[]}`, `"assignments"`},
			{`{}`, "mobileAppAssignments is required"},
		} {
			if code, body := e.call("POST", base+app+"/microsoft.graph.assign", catAppsRW, c.body); code != 400 || !strings.Contains(catErr(body), c.want) {
				t.Errorf("assign %s: %d %q, want %q", c.body, code, catErr(body), c.want)
			}
		}
		if got := e.list(base + app + "/assignments"); len(got) != 3 {
			t.Fatalf("refused assign changed the set: %v", got)
		}
		// One at a time.
		one := e.must(201, "POST", base+app+"/assignments", catAppsRW, `{"@odata.type":"#microsoft.graph.mobileAppAssignment","intent":"uninstall","target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}`)
		if one["intent"] != "uninstall" || one["id"] == "" {
			t.Fatalf("added = %v", one)
		}
		e.must(200, "GET", base+app+"/assignments/"+strings.ToUpper(one["id"].(string)), catRO, "")
		e.must(204, "DELETE", base+app+"/assignments/"+one["id"].(string), catAppsRW, "")
		e.must(404, "DELETE", base+app+"/assignments/"+one["id"].(string), catAppsRW, "")
		// Dependencies as beta relationships; cycles refused.
		e.must(204, "POST", base+app+"/updateRelationships", catAppsRW, `{"relationships":[{"@odata.type":"#microsoft.graph.mobileAppDependency","targetId":"`+dep+`","dependencyType":"autoInstall"}]}`)
		rel := e.list(base + app + "/relationships")
		if len(rel) != 1 || rel[0]["targetId"] != dep || rel[0]["targetDisplayName"] != "Runtime" || rel[0]["@odata.type"] != "#microsoft.graph.mobileAppDependency" {
			t.Fatalf("relationships = %v", rel)
		}
		if code, body := e.call("POST", base+dep+"/updateRelationships", catAppsRW, `{"relationships":[{"targetId":"`+app+`"}]}`); code != 400 || !strings.Contains(catErr(body), "cycle") {
			t.Fatalf("cycle: %d %v", code, body)
		}
		if code, body := e.call("POST", base+dep+"/updateRelationships", catAppsRW, `{"relationships":[{"@odata.type":"#microsoft.graph.mobileAppSupersedence","targetId":"`+app+`"}]}`); code != 400 || !strings.Contains(catErr(body), "not supported") {
			t.Fatalf("supersedence: %d %v", code, body)
		}
		if code, _ := e.call("GET", "/v1.0/deviceAppManagement/mobileApps/"+app+"/relationships", catRO, ""); code == 200 {
			t.Fatal("relationships served in v1.0")
		}
		// A dependency cannot go while used; deleting the app takes its assignments.
		if code, body := e.call("DELETE", base+dep, catAppsRW, ""); code != 409 || !strings.Contains(catErr(body), `"App"`) {
			t.Fatalf("deleting a dependency: %d %v", code, body)
		}
		e.must(204, "DELETE", base+app, catAppsRW, "")
		e.must(404, "GET", base+app+"/assignments", catRO, "")
		e.must(204, "DELETE", base+dep, catAppsRW, "")
	})
}
