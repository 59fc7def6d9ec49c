package exportplan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
)

func one(t *testing.T, js string) Object {
	t.Helper()
	items, err := ParseCollection([]byte(`{"value":[` + js + `]}`))
	if err != nil || len(items) != 1 {
		t.Fatalf("parse %s: %v", js, err)
	}
	return items[0]
}

func TestParseCollection(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		err      string
	}{
		{"graph body", `{"@odata.context":"x","value":[{"id":"1"},{"id":"2"}]}`, 2, ""},
		{"bom", "\xef\xbb\xbf" + `{"value":[{"id":"1"}]}`, 1, ""},
		{"bare array", `[{"id":"1"}]`, 1, ""},
		{"null value", `{"value":null}`, 0, ""},
		{"null items skipped", `{"value":[null,{"id":"1"}]}`, 1, ""},
		{"empty", `{"value":[]}`, 0, ""},
		{"no value", `{"id":"1"}`, 0, `no "value"`},
		{"value not array", `{"value":{}}`, 0, "not an array"},
		{"item not object", `{"value":[1]}`, 0, "value[0]"},
		{"two pages unmerged", `{"value":[]}{"value":[]}`, 0, "merge the pages"},
		{"not json", `{`, 0, "not JSON"},
		{"scalar", `"x"`, 0, "expected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			items, err := ParseCollection([]byte(tc.in))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || len(items) != tc.n {
				t.Fatalf("got %d items, %v", len(items), err)
			}
		})
	}
}

func TestReadMissingFilesAreEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileUsers), []byte(`{"value":[{"id":"u","userPrincipalName":"a@b.c"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := Read(dir)
	if err != nil || len(e.Users) != 1 || len(e.Apps) != 0 || len(e.Groups) != 0 {
		t.Fatalf("read: %+v %v", e, err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileGroups), []byte(`nope`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), FileGroups) {
		t.Fatalf("bad file: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("missing directory read")
	}
}

func TestMapAssignments(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []assign.Target
		notes    int
	}{
		{"group with null filter", `{"assignments":[{"intent":"required","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"ABC","deviceAndAppManagementAssignmentFilterId":null,"deviceAndAppManagementAssignmentFilterType":"none"}}]}`,
			[]assign.Target{{Kind: assign.Group, GroupID: "abc"}}, 0},
		{"all devices and exclusion", `{"assignments":[{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}},{"target":{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"g"}}]}`,
			[]assign.Target{{Kind: assign.AllDevices}, {Kind: assign.ExclusionGroup, GroupID: "g"}}, 0},
		{"filter ignored with a note", `{"assignments":[{"target":{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget","deviceAndAppManagementAssignmentFilterId":"f","deviceAndAppManagementAssignmentFilterType":"include"}}]}`,
			[]assign.Target{{Kind: assign.AllLicensedUsers}}, 1},
		{"unknown target type", `{"assignments":[{"target":{"@odata.type":"#microsoft.graph.scopeTagTarget"}}]}`, nil, 1},
		{"no target", `{"assignments":[{"id":"x"}]}`, nil, 1},
		{"group without id", `{"assignments":[{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget"}}]}`, nil, 1},
		{"none", `{}`, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, notes := mapAssignments(one(t, tc.in))
			if len(got) != len(tc.want) || len(notes) != tc.notes {
				t.Fatalf("got %+v notes %v", got, notes)
			}
			for i := range got {
				if got[i].Target != tc.want[i] {
					t.Fatalf("[%d] = %+v, want %+v", i, got[i].Target, tc.want[i])
				}
			}
		})
	}
}

func TestMapDirectoryObjects(t *testing.T) {
	u, err := mapUser(one(t, `{"id":"ID1","userPrincipalName":"ann@x.example","displayName":null,"accountEnabled":false,"assignedLicenses":[{"skuId":"s"}],"extra":{"a":1}}`))
	if err != nil || u.ID != "id1" || u.DisplayName != "ann@x.example" || u.AccountEnabled || !u.Licensed {
		t.Fatalf("user = %+v %v", u, err)
	}
	if u, _ := mapUser(one(t, `{"id":"i","userPrincipalName":"b@x.example","assignedLicenses":[]}`)); u.Licensed || !u.AccountEnabled {
		t.Fatalf("unlicensed user = %+v", u)
	}
	for _, bad := range []string{`{"userPrincipalName":"a@b.c"}`, `{"id":"i"}`, `{"id":7,"userPrincipalName":"a@b.c"}`} {
		if _, err := mapUser(one(t, bad)); err == nil {
			t.Errorf("user %s mapped", bad)
		}
	}
	d, err := mapDevice(one(t, `{"id":"D","deviceId":"7C5E1F00-5555-4A6B-9C7D-0000000000E1","physicalIds":["[ZTDID]:z","",7,"[OrderId]:T"],"accountEnabled":true}`))
	if err != nil || d.ID != "d" || d.DeviceID != "7c5e1f00-5555-4a6b-9c7d-0000000000e1" || d.DisplayName != d.DeviceID || len(d.PhysicalIDs) != 2 {
		t.Fatalf("device = %+v %v", d, err)
	}
	if _, err := mapDevice(one(t, `{"id":"d","deviceId":"nope"}`)); err == nil {
		t.Error("device with a bad deviceId mapped")
	}
	g, err := mapGroup(one(t, `{"id":"G","displayName":"Dyn","groupTypes":["DynamicMembership"],"membershipRule":"(device.deviceModel -eq \"x\")","membershipRuleProcessingState":"Paused",
		"members":[{"@odata.type":"#microsoft.graph.device","id":"D1"},{"@odata.type":"#microsoft.graph.group","id":"G2"},{"displayName":"no id"}]}`))
	if err != nil || !g.Group.Dynamic() || g.Group.RuleProcessingState != "Paused" || len(g.Members) != 2 || g.Members[0] != (Member{ID: "d1", Type: "device"}) || g.Members[1].Type != "group" {
		t.Fatalf("group = %+v %v", g, err)
	}
	if g, _ := mapGroup(one(t, `{"id":"g","groupTypes":[],"membershipRule":"(user.x -eq 1)"}`)); g.Group.MembershipRule != "" || g.Group.DisplayName != "g" {
		t.Fatalf("static group kept a rule: %+v", g)
	}
	ap, err := mapIdentity(one(t, `{"id":"Z1","serialNumber":"SN","groupTag":"T","azureAdDeviceId":"E","userPrincipalName":"a@b.c"}`))
	if err != nil || ap.ID != "z1" || ap.Fingerprint != "export:z1" || ap.EntraDeviceID != "e" || ap.EnrollmentState != autopilot.EnrollmentNotContacted || ap.GroupTag != "T" {
		t.Fatalf("identity = %+v %v", ap, err)
	}
	if _, err := mapIdentity(one(t, `{"id":"z"}`)); err == nil {
		t.Error("identity without serial mapped")
	}
}

func TestMapProfileAndESP(t *testing.T) {
	p, err := mapProfile(one(t, `{"@odata.type":"#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile","id":"P","displayName":"Hybrid","language":"de-DE",
		"enableWhiteGlove":true,"createdDateTime":"2024-01-02T03:04:05Z","outOfBoxExperienceSettings":{"deviceUsageType":"singleUser","userType":"administrator"},"assignments":[]}`))
	if err != nil || p.Profile.Kind != autopilot.KindActiveDirectory || !p.Profile.PreprovisioningAllowed || p.Profile.Locale != "de-DE" ||
		p.Profile.OOBE.UserType != "administrator" || p.Created.Year() != 2024 || p.ExportID != "p" {
		t.Fatalf("profile = %+v %v", p, err)
	}
	if p, _ := mapProfile(one(t, `{"@odata.type":"#microsoft.graph.azureADWindowsAutopilotDeploymentProfile","id":"p","locale":"en-US","language":"de-DE","preprovisioningAllowed":false}`)); p.Profile.Locale != "en-US" || p.Profile.PreprovisioningAllowed {
		t.Fatalf("profile locale = %+v", p.Profile)
	}
	if _, err := mapProfile(one(t, `{"@odata.type":"#microsoft.graph.windowsAutopilotDeploymentProfile","id":"p"}`)); err == nil {
		t.Error("abstract profile type mapped")
	}
	if _, ok, _ := mapEnrollment(one(t, `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","id":"x"}`)); ok {
		t.Error("limit configuration taken for an ESP")
	}
	c, ok, err := mapEnrollment(one(t, `{"@odata.type":"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration","id":"T_DefaultWindows10EnrollmentCompletionPageConfiguration",
		"priority":0,"showInstallationProgress":true,"installProgressTimeoutInMinutes":5000,"selectedMobileAppIds":["A"]}`))
	if !ok || err != nil || !c.Default || !c.Profile.ShowInstallationProgress || c.Profile.InstallProgressTimeoutInMinutes != 1440 ||
		c.Profile.SelectedMobileAppIDs[0] != "a" || c.ExportID != "T_DefaultWindows10EnrollmentCompletionPageConfiguration" {
		t.Fatalf("esp = %+v %v %v", c, ok, err)
	}
	cs := []ESPConfig{{ExportID: "b", Priority: 2}, {ExportID: "a", Priority: 1}, {ExportID: "c", Priority: 1}}
	sortESP(cs)
	if cs[0].ExportID != "a" || cs[1].ExportID != "c" || cs[2].ExportID != "b" {
		t.Fatalf("sorted = %+v", cs)
	}
}

func TestMapCatalog(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		kind     apps.Kind
		runAs    string
		odata    string
		size     int64
		deps     int
	}{
		{"win32 system", `{"@odata.type":"#microsoft.graph.win32LobApp","id":"a","displayName":"A","size":100,"installExperience":{"runAsAccount":"system"},
			"relationships":[{"@odata.type":"#microsoft.graph.mobileAppDependency","targetId":"B","targetType":"child"},{"@odata.type":"#microsoft.graph.mobileAppSupersedence","targetId":"C"}]}`,
			apps.Win32, apps.RunAsSystem, "", 100, 1},
		{"win32 user", `{"@odata.type":"#microsoft.graph.win32LobApp","id":"a","installExperience":{"runAsAccount":"user"},"size":"big"}`, apps.Win32, apps.RunAsUser, "", 0, 0},
		{"msi device context", `{"@odata.type":"#microsoft.graph.windowsMobileMSI","id":"a","productCode":"{23170F69-40C1-2702-2201-000001000000}","useDeviceContext":true}`, apps.MSI, apps.RunAsSystem, "", 0, 0},
		{"msi user", `{"@odata.type":"#microsoft.graph.windowsMobileMSI","id":"a","productVersion":"1.0"}`, apps.MSI, apps.RunAsUser, "", 0, 0},
		{"web app", `{"@odata.type":"#microsoft.graph.webApp","id":"a","size":5}`, apps.Unsupported, "", "webApp", 0, 0},
		{"no type", `{"id":"a"}`, apps.Unsupported, "", "unknownMobileApp", 0, 0},
		{"odd type", `{"@odata.type":"#microsoft.graph.x-y","id":"a"}`, apps.Unsupported, "", "unknownMobileApp", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := mapApp(one(t, tc.in))
			if err != nil || a.App.Kind != tc.kind || a.Size != tc.size || len(a.Dependencies) != tc.deps || (tc.runAs != "" && a.App.RunAsAccount != tc.runAs) || (tc.odata != "" && a.App.ODataType != tc.odata) {
				t.Fatalf("app = %+v %v", a, err)
			}
		})
	}
	for _, tc := range []struct {
		name, in string
		known    bool
		kind     apps.PolicyKind
		ctx      string
		tracked  bool
	}{
		{"sign-in assistant", `{"@odata.type":"#microsoft.graph.windows10CustomConfiguration","id":"p","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingInteger","omaUri":"./Device/Vendor/MSFT/Policy/Config/Accounts/AllowMicrosoftAccountSignInAssistant","value":0}]}`,
			true, apps.SigninAssistant, apps.RunAsSystem, false},
		{"user setting", `{"@odata.type":"#microsoft.graph.windows10CustomConfiguration","id":"p","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingString","omaUri":"./User/Vendor/MSFT/X","value":"v"},{"omaUri":"untyped"}]}`,
			true, apps.CustomSettings, apps.RunAsUser, false},
		{"user certificate", `{"@odata.type":"#microsoft.graph.windows10PkcsCertificateProfile","id":"p","certificateStore":"user"}`, true, apps.Certificate, apps.RunAsUser, true},
		{"wifi", `{"@odata.type":"#microsoft.graph.windowsWifiConfiguration","id":"p","ssid":"S","wifiSecurityType":"wpa2Personal","preSharedKey":null}`, true, apps.WiFi, apps.RunAsSystem, true},
		{"device vpn", `{"@odata.type":"#microsoft.graph.windows10VpnConfiguration","id":"p","connectionName":"V","profileTarget":"device"}`, true, apps.VPN, apps.RunAsSystem, true},
		{"general", `{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","id":"p"}`, false, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := mapPolicy(one(t, tc.in))
			if err != nil || p.Known != tc.known || (tc.known && (p.Policy.Kind != tc.kind || p.Policy.Context() != tc.ctx || p.Policy.Tracked() != tc.tracked)) {
				t.Fatalf("policy = %+v %v", p, err)
			}
		})
	}
	s, err := mapScript(one(t, `{"id":"s","displayName":"S","fileName":"a.ps1","runAsAccount":"user","scriptContent":"V3JpdGUtSG9zdCBoaQ=="}`))
	if err != nil || s.Script.RunAsAccount != apps.RunAsUser || string(s.Script.Content) != "Write-Host hi" {
		t.Fatalf("script = %+v %v", s, err)
	}
	if s, _ := mapScript(one(t, `{"id":"s","scriptContent":null,"runAsAccount":7}`)); s.Script.RunAsAccount != apps.RunAsSystem || len(s.Script.Content) != 0 {
		t.Fatalf("script defaults = %+v", s)
	}
}
