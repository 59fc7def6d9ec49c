package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
	"github.com/whiteglove/whiteglove/internal/token"
)

const (
	espRW     = "aaa.rw.ccc"
	espRO     = "aaa.ro.ccc"
	espTenant = "6f1c2d3e-0000-4000-8000-00000000aaaa"
	espDefID  = espTenant + esp.DefaultIDSuffix
)

// espVerifier grants the ESP read or read-write role by token.
type espVerifier struct{}

func (espVerifier) Verify(_ context.Context, raw string) (token.Principal, token.Claims, error) {
	switch raw {
	case espRW:
		return token.Principal{Roles: []string{authz.DeviceManagementServiceConfigReadWrite}}, token.Claims{}, nil
	case espRO:
		return token.Principal{Roles: []string{authz.DeviceManagementServiceConfigRead}}, token.Claims{}, nil
	}
	return token.Principal{}, token.Claims{}, fmt.Errorf("%w: unknown", token.ErrInvalid)
}

type espEnv struct {
	t  *testing.T
	rt *Router
}

func newESPEnv(t *testing.T, db *store.DB) *espEnv {
	t.Helper()
	st := sqlstore.New(db)
	svc := esp.New(st.ESP(), st, espTenant, nil)
	if _, err := svc.EnsureDefault(context.Background()); err != nil {
		t.Fatal(err)
	}
	rt := NewRouter(espVerifier{}, nil)
	NewESP(svc, nil).Register(rt)
	return &espEnv{t: t, rt: rt}
}

// call sends body as is (nil for none) and decodes the JSON answer.
func (e *espEnv) call(method, path, tok, body string) (int, map[string]any) {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	e.rt.ServeHTTP(w, req)
	var out map[string]any
	if w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			e.t.Fatalf("%s %s: non-JSON body %q", method, path, w.Body)
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			e.t.Fatalf("%s %s: Content-Type %q", method, path, ct)
		}
	}
	return w.Code, out
}

func (e *espEnv) list(path string) []map[string]any {
	e.t.Helper()
	code, body := e.call("GET", path, espRO, "")
	if code != 200 {
		e.t.Fatalf("GET %s: %d %v", path, code, body)
	}
	var out []map[string]any
	for _, v := range body["value"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

func (e *espEnv) create(name string) string {
	e.t.Helper()
	code, body := e.call("POST", "/beta/deviceManagement/deviceEnrollmentConfigurations", espRW,
		`{"@odata.type":"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration","displayName":"`+name+`"}`)
	if code != 201 {
		e.t.Fatalf("create %s: %d %v", name, code, body)
	}
	return body["id"].(string)
}

func errText(body map[string]any) string {
	m, _ := body["error"].(map[string]any)
	s, _ := m["message"].(string)
	return s
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		if k != "@odata.context" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func TestESPGraphShapes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newESPEnv(t, db)
		v1 := e.list("/v1.0/deviceManagement/deviceEnrollmentConfigurations")
		want := []string{"@odata.type", "allowNonBlockingAppInstallation", "createdDateTime", "description", "displayName", "id",
			"lastModifiedDateTime", "priority", "version"}
		if len(v1) != 1 || !slices.Equal(keys(v1[0]), want) {
			t.Fatalf("v1.0 default profile = %v", v1)
		}
		d := v1[0]
		if d["@odata.type"] != espODataTyp || d["id"] != espDefID || d["priority"] != 0.0 || d["displayName"] != esp.DefaultDisplayName {
			t.Fatalf("v1.0 default profile = %v", d)
		}
		code, beta := e.call("GET", "/beta/deviceManagement/deviceEnrollmentConfigurations/"+espDefID, espRO, "")
		if code != 200 {
			t.Fatalf("get default: %d %v", code, beta)
		}
		for _, k := range []string{"showInstallationProgress", "blockDeviceSetupRetryByUser", "allowDeviceResetOnInstallFailure",
			"allowLogCollectionOnInstallFailure", "allowDeviceUseOnInstallFailure", "allowNonBlockingAppInstallation",
			"installQualityUpdates", "trackInstallProgressForAutopilotOnly", "disableUserStatusTrackingAfterFirstUser"} {
			if beta[k] != false {
				t.Errorf("beta %s = %#v, want false", k, beta[k])
			}
		}
		if beta["@odata.type"] != espODataTyp || beta["deviceEnrollmentConfigurationType"] != "defaultWindows10EnrollmentCompletionPageConfiguration" ||
			beta["customErrorMessage"] != esp.DefaultErrorMessage || beta["installProgressTimeoutInMinutes"] != 60.0 ||
			fmt.Sprint(beta["selectedMobileAppIds"]) != "[]" || fmt.Sprint(beta["roleScopeTagIds"]) != "[0]" ||
			!strings.HasSuffix(beta["@odata.context"].(string), "/beta/$metadata#deviceManagement/deviceEnrollmentConfigurations/$entity") {
			t.Fatalf("beta default profile = %v", beta)
		}
		id := e.create("Kiosk")
		_, got := e.call("GET", "/beta/deviceManagement/deviceEnrollmentConfigurations/"+strings.ToUpper(id), espRO, "")
		if got["deviceEnrollmentConfigurationType"] != "windows10EnrollmentCompletionPageConfiguration" || got["priority"] != 1.0 || got["version"] != 1.0 {
			t.Fatalf("created profile = %v", got)
		}
		// $select keeps @odata.type; $filter and $orderby work on base properties.
		_, sel := e.call("GET", "/beta/deviceManagement/deviceEnrollmentConfigurations/"+id+"?$select=displayName", espRO, "")
		if !slices.Equal(keys(sel), []string{"@odata.type", "displayName"}) {
			t.Fatalf("$select = %v", sel)
		}
		q := url.Values{"$filter": {"priority ge 1"}, "$orderby": {"displayName desc"}}
		if items := e.list("/v1.0/deviceManagement/deviceEnrollmentConfigurations?" + q.Encode()); len(items) != 1 || items[0]["id"] != id {
			t.Fatalf("$filter = %v", items)
		}
	})
}

func TestESPLenientBodiesAsPowerShellSendsThem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newESPEnv(t, db)
		// Add-EnrollmentStatusPage: booleans and ints as strings, a trailing comma.
		add := `{
    "@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
    "displayName": "Autopilot ESP",
    "description": "",
    "showInstallationProgress": "True",
    "blockDeviceSetupRetryByUser": "False",
    "allowDeviceResetOnInstallFailure": "True",
    "allowLogCollectionOnInstallFailure": "True",
    "customErrorMessage": "",
    "installProgressTimeoutInMinutes": "60",
    "allowDeviceUseOnInstallFailure": "False",
}`
		code, body := e.call("POST", "/beta/deviceManagement/deviceEnrollmentConfigurations", espRW, add)
		if code != 201 || body["showInstallationProgress"] != true || body["allowDeviceResetOnInstallFailure"] != true ||
			body["installProgressTimeoutInMinutes"] != 60.0 || body["customErrorMessage"] != esp.DefaultErrorMessage || body["description"] != nil {
			t.Fatalf("Add-EnrollmentStatusPage: %d %v", code, body)
		}
		id := body["id"].(string)
		// Set-EnrollmentStatusPage sends "" for the names it was not given.
		set := `{
    "@odata.type": "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration",
    "displayName": "",
    "description": "",
    "showInstallationProgress": "True",
    "blockDeviceSetupRetryByUser": "True",
    "allowDeviceResetOnInstallFailure": "False",
    "allowLogCollectionOnInstallFailure": "True",
    "customErrorMessage": "Call the service desk",
    "installProgressTimeoutInMinutes": "120",
    "allowDeviceUseOnInstallFailure": "False"
}`
		for _, target := range []string{id, espDefID} {
			code, body = e.call("PATCH", "/beta/deviceManagement/deviceEnrollmentConfigurations/"+target, espRW, set)
			if code != 200 || body["installProgressTimeoutInMinutes"] != 120.0 || body["blockDeviceSetupRetryByUser"] != true ||
				body["customErrorMessage"] != "Call the service desk" || body["displayName"] == "" || body["version"] != 2.0 {
				t.Fatalf("Set-EnrollmentStatusPage on %s: %d %v", target, code, body)
			}
		}
		// The SDKs send @odata.type first and only what changed; unquoted names are fine too.
		code, body = e.call("PATCH", "/v1.0/deviceManagement/deviceEnrollmentConfigurations/"+id, espRW,
			`{"@odata.type":"microsoft.graph.windows10EnrollmentCompletionPageConfiguration", allowNonBlockingAppInstallation: true, priority: 1}`)
		if code != 200 || body["allowNonBlockingAppInstallation"] != true || body["showInstallationProgress"] != nil {
			t.Fatalf("v1.0 PATCH: %d %v", code, body)
		}
	})
}

func TestESPBadInputWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newESPEnv(t, db)
		id := e.create("Kept")
		const typ = `"@odata.type":"#microsoft.graph.windows10EnrollmentCompletionPageConfiguration"`
		apps := make([]string, 101)
		for i := range apps {
			apps[i] = fmt.Sprintf(`"00000000-0000-4000-8000-%012d"`, i)
		}
		cases := []struct{ version, body, want string }{
			{"beta", `{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration","displayName":"L","limit":5}`, "not supported by whiteglove"},
			{"beta", `{"displayName":"No type"}`, "@odata.type"},
			{"beta", `{` + typ + `,"description":"no name"}`, "displayName"},
			{"beta", `{` + typ + `,"displayName":"X","installProgressTimeoutInMinutes":"0"}`, "installProgressTimeoutInMinutes"},
			{"beta", `{` + typ + `,"displayName":"X","installProgressTimeoutInMinutes":1441}`, "installProgressTimeoutInMinutes"},
			{"beta", `{` + typ + `,"displayName":"X","installProgressTimeoutInMinutes":"1.5"}`, "installProgressTimeoutInMinutes"},
			{"beta", `{` + typ + `,"displayName":"X","customErrorMessage":"` + strings.Repeat("x", 10001) + `"}`, "customErrorMessage"},
			{"beta", `{` + typ + `,"displayName":"X","selectedMobileAppIds":["notepad"]}`, "selectedMobileAppIds"},
			{"beta", `{` + typ + `,"displayName":"X","selectedMobileAppIds":[` + strings.Join(apps, ",") + `]}`, "selectedMobileAppIds"},
			{"beta", `{` + typ + `,"displayName":"X","showInstallationProgress":"maybe"}`, "showInstallationProgress"},
			{"beta", `{` + typ + `,"displayName":"X","colour":"red"}`, "colour"},
			{"beta", `{` + typ + `,"displayName":"X",`, "invalid JSON"},
			{"beta", ``, "empty"},
			{"v1.0", `{` + typ + `,"displayName":"X","showInstallationProgress":true}`, "showInstallationProgress"},
		}
		for _, c := range cases {
			code, body := e.call("POST", "/"+c.version+"/deviceManagement/deviceEnrollmentConfigurations", espRW, c.body)
			if code != 400 || !strings.Contains(errText(body), c.want) {
				t.Errorf("POST %.60s: %d %q, want 400 naming %q", c.body, code, errText(body), c.want)
			}
		}
		patches := []struct{ body, want string }{
			{`{"@odata.type":"#microsoft.graph.deviceEnrollmentLimitConfiguration"}`, "not supported"},
			{`{"installProgressTimeoutInMinutes":0}`, "installProgressTimeoutInMinutes"},
			{`{"priority":2}`, "setPriority"},
			{`{"displayName":null}`, "displayName"},
		}
		for _, c := range patches {
			code, body := e.call("PATCH", "/beta/deviceManagement/deviceEnrollmentConfigurations/"+id, espRW, c.body)
			if code != 400 || !strings.Contains(errText(body), c.want) {
				t.Errorf("PATCH %s: %d %q, want 400 naming %q", c.body, code, errText(body), c.want)
			}
		}
		items := e.list("/beta/deviceManagement/deviceEnrollmentConfigurations")
		if len(items) != 2 || items[0]["version"] != 1.0 || items[0]["installProgressTimeoutInMinutes"] != 60.0 {
			t.Fatalf("refused requests wrote: %v", items)
		}
		if code, _ := e.call("POST", "/beta/deviceManagement/deviceEnrollmentConfigurations", espRO, `{`+typ+`,"displayName":"X"}`); code != 403 {
			t.Fatalf("create with a read-only token: %d", code)
		}
		if code, _ := e.call("PATCH", "/beta/deviceManagement/deviceEnrollmentConfigurations/nope", espRW, `{"displayName":"X"}`); code != 404 {
			t.Fatalf("PATCH of a missing profile: %d", code)
		}
	})
}

func TestESPPriorityAndAssignments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newESPEnv(t, db)
		const base = "/beta/deviceManagement/deviceEnrollmentConfigurations/"
		a, b, c := e.create("A"), e.create("B"), e.create("C")
		if code, body := e.call("POST", base+c+"/setPriority", espRW, `{"priority":"1"}`); code != 204 {
			t.Fatalf("setPriority: %d %v", code, body)
		}
		order := func() string {
			var out []string
			for _, it := range e.list("/v1.0/deviceManagement/deviceEnrollmentConfigurations?$orderby=priority") {
				out = append(out, fmt.Sprintf("%v:%v", it["displayName"], it["priority"]))
			}
			return strings.Join(out, " ")
		}
		if got := order(); got != esp.DefaultDisplayName+":0 C:1 A:2 B:3" {
			t.Fatalf("after setPriority: %s", got)
		}
		for _, bad := range []struct{ id, body, want string }{
			{espDefID, `{"priority":1}`, "default"},
			{a, `{"priority":4}`, "between 1 and 3"},
			{a, `{}`, "priority is required"},
		} {
			if code, body := e.call("POST", base+bad.id+"/microsoft.graph.setPriority", espRW, bad.body); code != 400 || !strings.Contains(errText(body), bad.want) {
				t.Errorf("setPriority %s %s: %d %v", bad.id, bad.body, code, body)
			}
		}
		if code, body := e.call("DELETE", base+espDefID, espRW, ""); code != 400 || !strings.Contains(errText(body), "cannot be deleted") {
			t.Fatalf("delete default: %d %v", code, body)
		}
		// The documented assign body; the nested @odata.type comes without '#'.
		group := "0d2f1c5e-1111-4222-8333-444455556666"
		assignBody := `{"enrollmentConfigurationAssignments":[{"@odata.type":"#microsoft.graph.enrollmentConfigurationAssignment",
			"id":"705b021c-021c-705b-1c02-5b701c025b70","target":{"@odata.type":"microsoft.graph.groupAssignmentTarget","groupId":"` + group + `"}},
			{"target":{"@odata.type":"#microsoft.graph.exclusionGroupAssignmentTarget","groupId":"` + strings.ToUpper(group[:35]) + `7"}},]}`
		if code, body := e.call("POST", base+a+"/assign", espRW, assignBody); code != 204 {
			t.Fatalf("assign: %d %v", code, body)
		}
		as := e.list(base + a + "/assignments")
		if len(as) != 2 || as[0]["id"] != "705b021c-021c-705b-1c02-5b701c025b70" || as[0]["@odata.type"] != "#microsoft.graph.enrollmentConfigurationAssignment" {
			t.Fatalf("assignments = %v", as)
		}
		tg := as[0]["target"].(map[string]any)
		if tg["@odata.type"] != "#microsoft.graph.groupAssignmentTarget" || tg["groupId"] != group || tg["deviceAndAppManagementAssignmentFilterType"] != "none" {
			t.Fatalf("target = %v", tg)
		}
		v1 := e.list("/v1.0/deviceManagement/deviceEnrollmentConfigurations/" + a + "/assignments")
		if _, beta := v1[0]["target"].(map[string]any)["deviceAndAppManagementAssignmentFilterType"]; beta || v1[0]["source"] != nil {
			t.Fatalf("v1.0 assignment = %v", v1[0])
		}
		if code, one := e.call("GET", base+a+"/assignments/705B021C-021C-705B-1C02-5B701C025B70", espRO, ""); code != 200 || one["id"] != as[0]["id"] {
			t.Fatalf("get assignment: %d %v", code, one)
		}
		for _, bad := range []struct{ id, body, want string }{
			{a, `{"enrollmentConfigurationAssignments":[{"target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget"}}]}`, "groupId"},
			{a, `{"enrollmentConfigurationAssignments":[{"target":{"@odata.type":"#microsoft.graph.somethingElse"}}]}`, "enrollmentConfigurationAssignments[0].target"},
			{a, `{"enrollmentConfigurationAssignments":[{"id":"x"}]}`, "target is required"},
			{a, `{"assignments":[]}`, "assignments"},
			{espDefID, `{"enrollmentConfigurationAssignments":[{"target":{"@odata.type":"#microsoft.graph.allDevicesAssignmentTarget"}}]}`, "cannot be assigned"},
		} {
			if code, body := e.call("POST", base+bad.id+"/assign", espRW, bad.body); code != 400 || !strings.Contains(errText(body), bad.want) {
				t.Errorf("assign %s: %d %q, want %q", bad.body, code, errText(body), bad.want)
			}
		}
		if got := e.list(base + a + "/assignments"); len(got) != 2 {
			t.Fatalf("refused assign changed the set: %v", got)
		}
		if code, _ := e.call("GET", base+"nope/assignments", espRO, ""); code != 404 {
			t.Fatalf("assignments of a missing profile: %d", code)
		}
		// Deleting closes the priority gap.
		if code, _ := e.call("DELETE", base+c, espRW, ""); code != 204 {
			t.Fatalf("delete: %d", code)
		}
		if got := order(); got != esp.DefaultDisplayName+":0 A:1 B:2" {
			t.Fatalf("after delete: %s", got)
		}
		_ = b
	})
}
