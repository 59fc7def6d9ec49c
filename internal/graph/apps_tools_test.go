package graph

import (
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

// What the IntuneWin32App module (Add-IntuneWin32App, MSI parameter set)
// sends: "" for the minimums it was not given, the long-gone runAs32bit,
// "2H20" for the release, PowerShell's ConvertTo-Json layout.
const intuneWin32AppMSIBody = `{
    "@odata.type":  "#microsoft.graph.win32LobApp",
    "applicableArchitectures":  "x64,x86",
    "description":  "7-Zip 22.01 (x64 edition)",
    "developer":  "",
    "displayVersion":  null,
    "owner":  null,
    "notes":  null,
    "informationUrl":  null,
    "privacyInformationUrl":  null,
    "isFeatured":  false,
    "displayName":  "7-Zip 22.01 (x64 edition)",
    "fileName":  "IntunePackage.intunewin",
    "setupFilePath":  "7z2201-x64.msi",
    "installCommandLine":  "msiexec.exe /i \"7z2201-x64.msi\" /quiet",
    "uninstallCommandLine":  "msiexec.exe /x \"{23170F69-40C1-2702-2201-000001000000}\" /quiet",
    "installExperience":  {
                              "runAsAccount":  "system",
                              "deviceRestartBehavior":  "suppress"
                          },
    "minimumSupportedWindowsRelease":  "2H20",
    "minimumFreeDiskSpaceInMB":  "",
    "minimumMemoryInMB":  "",
    "minimumNumberOfProcessors":  "",
    "minimumCpuSpeedInMHz":  "",
    "msiInformation":  {
                           "packageType":  "PerMachine",
                           "productCode":  "{23170F69-40C1-2702-2201-000001000000}",
                           "productName":  "7-Zip 22.01 (x64 edition)",
                           "productVersion":  "22.01.00.0",
                           "publisher":  null,
                           "requiresReboot":  false,
                           "upgradeCode":  "{23170F69-40C1-2702-0000-000004000000}"
                       },
    "publisher":  "Igor Pavlov",
    "runAs32bit":  false,
    "detectionRules":  [
                           {
                               "@odata.type":  "#microsoft.graph.win32LobAppProductCodeDetection",
                               "productCode":  "{23170F69-40C1-2702-2201-000001000000}",
                               "productVersionOperator":  "notConfigured",
                               "productVersion":  null
                           }
                       ],
    "returnCodes":  [
                        {"returnCode":  0, "type":  "success"},
                        {"returnCode":  1707, "type":  "success"},
                        {"returnCode":  3010, "type":  "softReboot"},
                        {"returnCode":  1641, "type":  "hardReboot"},
                        {"returnCode":  1618, "type":  "retry"}
                    ]
}`

func TestIntuneWin32AppModuleSequence(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newCatalogEnv(t, db)
		const base = "/beta/deviceAppManagement/mobileApps"
		app := e.must(201, "POST", base, catAppsRW, intuneWin32AppMSIBody)
		id := app["id"].(string)
		if app["minimumSupportedWindowsRelease"] != "20H2" || field(app, "minimumSupportedOperatingSystem", "v10_2H20") != true ||
			app["minimumFreeDiskSpaceInMB"] != nil || field(app, "msiInformation", "packageType") != "perMachine" ||
			field(app["detectionRules"].([]any)[0].(map[string]any), "@odata.type") != "#microsoft.graph.win32LobAppProductCodeDetection" {
			t.Fatalf("created = %v", app)
		}
		// The module then commits content and patches committedContentVersion
		// (read-only here: the content store sets it).
		e.must(200, "PATCH", base+"/"+id, catAppsRW, `{"@odata.type":"#microsoft.graph.win32LobApp","committedContentVersion":"1"}`)
		// Get-IntuneWin32App: list by type, then match the name client-side.
		if got := e.list(base + "?$filter=isof('microsoft.graph.win32LobApp')"); len(got) != 1 || got[0]["id"] != id {
			t.Fatalf("Get-IntuneWin32App list = %v", got)
		}
		// Add-IntuneWin32AppAssignmentGroup posts one assignment at a time.
		g := e.group("7zip users")
		one := e.must(201, "POST", base+"/"+id+"/assignments", catAppsRW, `{
			"@odata.type": "#microsoft.graph.mobileAppAssignment", "intent": "required", "source": "direct",
			"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "`+g+`",
			           "deviceAndAppManagementAssignmentFilterId": null, "deviceAndAppManagementAssignmentFilterType": "none"},
			"settings": {"@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings", "notifications": "showReboot",
			             "restartSettings": null, "installTimeSettings": null, "deliveryOptimizationPriority": "notConfigured"}}`)
		if field(one, "settings", "notifications") != "showReboot" || field(one, "target", "groupId") != g {
			t.Fatalf("assignment = %v", one)
		}
		// An available assignment to all devices, as some scripts send it.
		e.must(201, "POST", base+"/"+id+"/assignments", catAppsRW, `{"@odata.type":"#microsoft.graph.mobileAppAssignment","intent":"Available",
			"settings":{"@odata.type":"#microsoft.graph.win32LobAppAssignmentSettings","deliveryOptimizationPriority":"foreground","installTimeSettings":null,"notifications":"showAll","restartSettings":null},
			"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}`)
		c, err := e.svc.Snapshot(t.Context())
		if err != nil || len(c.Apps) != 1 || c.Apps[0].Context() != apps.RunAsSystem || len(c.Apps[0].Assignments) != 2 {
			t.Fatalf("snapshot = %+v, %v", c, err)
		}
		if n, _ := apps.ReleaseBuild(c.Apps[0].Requirements.MinimumOSRelease); n != 19042 {
			t.Fatalf("20H2 build = %d", n)
		}
		for _, c := range []struct{ old, bad string }{
			{`"minimumMemoryInMB":  ""`, `"minimumMemoryInMB": "lots"`},
			{`"minimumMemoryInMB":  ""`, `"minimumMemoryInMB": -1`},
			{`"minimumSupportedWindowsRelease":  "2H20"`, `"minimumSupportedWindowsRelease": "Windows95"`},
		} {
			body := strings.Replace(intuneWin32AppMSIBody, c.old, c.bad, 1)
			if code, out := e.call("POST", base, catAppsRW, body); code != 400 || !strings.Contains(catErr(out), "minimum") {
				t.Errorf("%s: %d %v", c.bad, code, out)
			}
		}
	})
}
