package graph

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

const wlidOffBody = `{"@odata.type":"#microsoft.graph.windows10CustomConfiguration","displayName":"Kiosk lockdown","description":"",
  "omaSettings":[
    {"@odata.type":"#microsoft.graph.omaSettingInteger","displayName":"No MSA sign-in assistant",
     "omaUri":"./Device/Vendor/MSFT/Policy/Config/Accounts/AllowMicrosoftAccountSignInAssistant","value":0},
    {"@odata.type":"microsoft.graph.omaSettingString","displayName":"Lock screen text","omaUri":"./Device/Vendor/MSFT/Policy/Config/X/Y","value":"Contoso"},
    {"@odata.type":"#microsoft.graph.omaSettingBoolean","displayName":"Flag","omaUri":"./User/Vendor/MSFT/Policy/Config/X/Z","value":"true"}]}`

func TestDeviceConfigurationShapes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newCatalogEnv(t, db)
		const base = "/beta/deviceManagement/deviceConfigurations"
		c := e.must(201, "POST", "/v1.0/deviceManagement/deviceConfigurations", catCfgRW, wlidOffBody)
		id := c["id"].(string)
		oma := c["omaSettings"].([]any)
		if c["@odata.type"] != "#microsoft.graph.windows10CustomConfiguration" || c["version"] != 1.0 || c["description"] != nil || len(oma) != 3 ||
			field(oma[0].(map[string]any), "@odata.type") != "#microsoft.graph.omaSettingInteger" || field(oma[0].(map[string]any), "value") != 0.0 ||
			field(oma[2].(map[string]any), "value") != true || field(oma[1].(map[string]any), "value") != "Contoso" {
			t.Fatalf("created = %v", c)
		}
		if p, _ := e.svc.Policy(ctx, id); p.Kind != apps.SigninAssistant || !p.DisablesSigninAssistant() || p.Tracked() {
			t.Fatalf("stored policy = %+v", p)
		}
		// Beta-only types: created in beta, listed with base properties in v1.0.
		cert := e.must(201, "POST", base, catCfgRW, `{"@odata.type":"#microsoft.graph.windows10PkcsCertificateProfile","displayName":"Device cert",
			"subjectNameFormat":"custom","subjectNameFormatString":"CN={{AAD_Device_ID}},O=Contoso","certificateValidityPeriodValue":"2",
			"certificateValidityPeriodScale":"years","renewalThresholdPercentage":20,"keyStorageProvider":"useTpmKspOtherwiseFail",
			"extendedKeyUsages":[{"@odata.type":"microsoft.graph.extendedKeyUsage","name":"Client Authentication","objectIdentifier":"1.3.6.1.5.5.7.3.2"}],
			"certificationAuthority":"ignored.contoso.example","customSubjectAlternativeNames":[],"deviceManagementApplicabilityRuleOsEdition":null}`)
		if cert["subjectNameFormatString"] != "CN={{AAD_Device_ID}},O=Contoso" || cert["certificateStore"] != "machine" || cert["keyStorageProvider"] != "useTpmKspOtherwiseFail" ||
			field(cert["extendedKeyUsages"].([]any)[0].(map[string]any), "objectIdentifier") != "1.3.6.1.5.5.7.3.2" || cert["supportsScopeTags"] != true {
			t.Fatalf("certificate = %v", cert)
		}
		wifi := e.must(201, "POST", base, catCfgRW, `{"@odata.type":"#microsoft.graph.windowsWifiConfiguration","displayName":"Office","ssid":"Contoso",
			"wifiSecurityType":"wpa2Personal","preSharedKey":"correct horse battery","connectAutomatically":true}`)
		if wifi["preSharedKey"] != nil || wifi["networkName"] != "Contoso" || wifi["connectAutomatically"] != true {
			t.Fatalf("wifi = %v", wifi)
		}
		vpn := e.must(201, "POST", base, catCfgRW, `{"@odata.type":"#microsoft.graph.windows10VpnConfiguration","displayName":"VPN","connectionName":"Contoso VPN",
			"servers":[{"address":"vpn.contoso.example","description":"main","isDefaultServer":true}],"connectionType":"ikEv2","profileTarget":"device",
			"authenticationMethod":"certificate","enableAlwaysOn":true,"enableDeviceTunnel":true,"dnsSuffixes":["corp.contoso.example"]}`)
		if field(vpn["servers"].([]any)[0].(map[string]any), "isDefaultServer") != true || vpn["enableDeviceTunnel"] != true {
			t.Fatalf("vpn = %v", vpn)
		}
		v1 := e.list("/v1.0/deviceManagement/deviceConfigurations")
		if len(v1) != 4 || v1[1]["@odata.type"] != "#microsoft.graph.windows10PkcsCertificateProfile" || v1[1]["subjectNameFormat"] != nil ||
			v1[2]["ssid"] != nil || v1[0]["omaSettings"] == nil || v1[0]["roleScopeTagIds"] != nil {
			t.Fatalf("v1.0 list = %v", v1)
		}
		if code, body := e.call("POST", "/v1.0/deviceManagement/deviceConfigurations", catCfgRW, `{"@odata.type":"#microsoft.graph.windowsWifiConfiguration","displayName":"W","ssid":"x"}`); code != 400 || !strings.Contains(catErr(body), "beta API only") {
			t.Fatalf("v1.0 Wi-Fi create: %d %v", code, body)
		}
		// PATCH answers the new version; the Wi-Fi key survives a PATCH that does not send it.
		p := e.must(200, "PATCH", base+"/"+wifi["id"].(string), catCfgRW, `{"@odata.type":"#microsoft.graph.windowsWifiConfiguration","displayName":"Office Wi-Fi"}`)
		if p["version"] != 2.0 || p["displayName"] != "Office Wi-Fi" {
			t.Fatalf("patched = %v", p)
		}
		if w, _ := e.svc.Policy(ctx, wifi["id"].(string)); w.WiFi.PreSharedKey != "correct horse battery" {
			t.Fatalf("PATCH lost the key: %+v", w.WiFi)
		}
		for _, c := range []struct{ method, path, body, want string }{
			{"POST", base, `{"@odata.type":"#microsoft.graph.windows10GeneralConfiguration","displayName":"G"}`, "not supported by whiteglove"},
			{"POST", base, `{"displayName":"no type"}`, "@odata.type is required"},
			{"POST", base, `{"@odata.type":"#microsoft.graph.windows10CustomConfiguration","displayName":"C","omaSettings":[{"displayName":"x","omaUri":"./Device/x","value":1}]}`, "omaSettings[0] needs an @odata.type"},
			{"POST", base, `{"@odata.type":"#microsoft.graph.windows10CustomConfiguration","displayName":"C","omaSettings":[{"@odata.type":"#microsoft.graph.omaSettingInteger","displayName":"x","omaUri":"./Device/x","value":"one"}]}`, "not a 32-bit integer"},
			{"POST", base, `{"@odata.type":"#microsoft.graph.windows10PkcsCertificateProfile","displayName":"C","subjectNameFormatString":"CN={{Nope}}"}`, "unknown variable"},
			{"POST", base, `{"@odata.type":"#microsoft.graph.windows10PkcsCertificateProfile","displayName":"C","customSubjectAlternativeNames":[{"sanType":"domainNameService","name":"x"}]}`, "customSubjectAlternativeNames"},
			{"POST", base, `{"@odata.type":"#microsoft.graph.windowsWifiConfiguration","displayName":"W","ssid":"x","preSharedKey":"short"}`, "preSharedKey"},
			{"POST", base, `{"@odata.type":"#microsoft.graph.windows10VpnConfiguration","displayName":"V","connectionName":"V","servers":[]}`, "servers needs"},
			{"POST", base, `{"@odata.type":"#microsoft.graph.windows10CustomConfiguration","displayName":"C","deviceManagementApplicabilityRuleOsVersion":{"minOSVersion":"10.0"}}`, "not supported"},
			{"PATCH", base + "/" + id, `{"@odata.type":"#microsoft.graph.windowsWifiConfiguration"}`, "cannot change"},
			{"PATCH", base + "/" + id, `{"omaSettings":[]}`, "at least one setting"},
		} {
			if code, body := e.call(c.method, c.path, catCfgRW, c.body); code != 400 || !strings.Contains(catErr(body), c.want) {
				t.Errorf("%s %.80s: %d %q, want 400 naming %q", c.method, c.body, code, catErr(body), c.want)
			}
		}
		if got := e.list(base); len(got) != 4 || got[0]["version"] != 1.0 {
			t.Fatalf("refused requests wrote: %v", got)
		}
		if code, _ := e.call("POST", base, catAppsRW, wlidOffBody); code != 403 {
			t.Fatalf("create with an apps-only token: %d", code)
		}
	})
}

func TestDeviceConfigurationAndScriptAssign(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newCatalogEnv(t, db)
		const base = "/beta/deviceManagement/deviceConfigurations/"
		id := e.must(201, "POST", base[:len(base)-1], catCfgRW, wlidOffBody)["id"].(string)
		g := e.group("Kiosk devices")
		// The documented assign answers 200 with the new set as {"value": […]}.
		out := e.must(200, "POST", base+id+"/assign", catCfgRW, `{"assignments":[{"@odata.type":"#microsoft.graph.deviceConfigurationAssignment",
			"id":"a1","target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"`+g+`"}},
			{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}]}`)
		vals, _ := out["value"].([]any)
		if len(vals) != 2 || field(vals[0].(map[string]any), "@odata.type") != "#microsoft.graph.deviceConfigurationAssignment" ||
			field(vals[0].(map[string]any), "target", "@odata.type") != "#microsoft.graph.groupAssignmentTarget" ||
			field(vals[1].(map[string]any), "target", "@odata.type") != "#microsoft.graph.allDevicesAssignmentTarget" ||
			!strings.HasSuffix(out["@odata.context"].(string), "$metadata#Collection(microsoft.graph.deviceConfigurationAssignment)") {
			t.Fatalf("assign answer = %v", out)
		}
		if as := e.list(base + id + "/assignments"); len(as) != 2 || as[0]["id"] != "a1" || as[0]["intent"] != "apply" {
			t.Fatalf("assignments = %v", as)
		}
		v1 := e.must(200, "POST", "/v1.0/deviceManagement/deviceConfigurations/"+id+"/microsoft.graph.assign", catCfgRW, `{"assignments":[],"deviceConfigurationGroupAssignments":[{"targetGroupId":"`+g+`","excludeGroup":true}]}`)
		if vals := v1["value"].([]any); len(vals) != 1 || field(vals[0].(map[string]any), "target", "@odata.type") != "#microsoft.graph.exclusionGroupAssignmentTarget" || field(vals[0].(map[string]any), "intent") != nil {
			t.Fatalf("v1.0 assign with a legacy group assignment = %v", v1)
		}
		missing := "0d2f1c5e-1111-4222-8333-444455556666"
		if code, body := e.call("POST", base+id+"/assign", catCfgRW, `{"assignments":[{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"`+missing+`"}}]}`); code != 400 || !strings.Contains(catErr(body), "assignments[0].target: group "+missing+" does not exist") {
			t.Fatalf("assign to a missing group: %d %v", code, body)
		}
		one := e.must(201, "POST", base+id+"/assignments", catCfgRW, `{"target":{"@odata.type":"#microsoft.graph.allLicensedUsersAssignmentTarget"}}`)
		e.must(204, "DELETE", base+id+"/assignments/"+one["id"].(string), catCfgRW, "")
		// Scripts: beta only; assign answers 204; lists leave the content out.
		content := base64.StdEncoding.EncodeToString([]byte("Write-Output 'hello'\n"))
		s := e.must(201, "POST", "/beta/deviceManagement/deviceManagementScripts", catCfgRW, `{"@odata.type":"#microsoft.graph.deviceManagementScript",
			"displayName":"Hello","fileName":"hello.ps1","scriptContent":"`+content+`","runAsAccount":"user","enforceSignatureCheck":"false","runAs32Bit":false}`)
		sid := s["id"].(string)
		if s["scriptContent"] != content || s["runAsAccount"] != "user" {
			t.Fatalf("script = %v", s)
		}
		if l := e.list("/beta/deviceManagement/deviceManagementScripts"); len(l) != 1 || l[0]["scriptContent"] != nil {
			t.Fatalf("script list = %v", l)
		}
		if code, _ := e.call("GET", "/v1.0/deviceManagement/deviceManagementScripts", catRO, ""); code == 200 {
			t.Fatal("scripts served in v1.0")
		}
		e.must(204, "POST", "/beta/deviceManagement/deviceManagementScripts/"+sid+"/assign", catCfgRW, `{"deviceManagementScriptAssignments":[
			{"@odata.type":"#microsoft.graph.deviceManagementScriptAssignment","id":"s1","target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}],
			"deviceManagementScriptGroupAssignments":[{"@odata.type":"#microsoft.graph.deviceManagementScriptGroupAssignment","targetGroupId":"`+g+`"}]}`)
		sa := e.list("/beta/deviceManagement/deviceManagementScripts/" + sid + "/assignments")
		if len(sa) != 2 || sa[0]["@odata.type"] != "#microsoft.graph.deviceManagementScriptAssignment" || field(sa[1], "target", "groupId") != g {
			t.Fatalf("script assignments = %v", sa)
		}
		for _, c := range []struct{ body, want string }{
			{`{"displayName":"x","fileName":"x.cmd","scriptContent":"` + content + `"}`, "fileName"},
			{`{"displayName":"x","fileName":"x.ps1","scriptContent":"not base64!"}`, "base64"},
			{`{"displayName":"x","fileName":"x.ps1"}`, "scriptContent is required"},
		} {
			if code, body := e.call("POST", "/beta/deviceManagement/deviceManagementScripts", catCfgRW, c.body); code != 400 || !strings.Contains(catErr(body), c.want) {
				t.Errorf("script %s: %d %q, want %q", c.body, code, catErr(body), c.want)
			}
		}
		p := e.must(200, "PATCH", "/beta/deviceManagement/deviceManagementScripts/"+sid, catCfgRW, `{"runAsAccount":"system"}`)
		if p["runAsAccount"] != "system" || p["scriptContent"] != content {
			t.Fatalf("patched script = %v", p)
		}
		e.must(204, "DELETE", "/beta/deviceManagement/deviceManagementScripts/"+sid, catCfgRW, "")
		e.must(204, "DELETE", base+id, catCfgRW, "")
		c, err := e.svc.Snapshot(context.Background())
		if err != nil || len(c.Policies)+len(c.Scripts) != 0 {
			t.Fatalf("snapshot after deletes = %+v, %v", c, err)
		}
	})
}
