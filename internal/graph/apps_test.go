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

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/sqlstore"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
	"github.com/whiteglove/whiteglove/internal/token"
)

// Tokens of the catalog tests: app writer, configuration writer, reader.
const (
	catAppsRW = "cat.apps.rw"
	catCfgRW  = "cat.cfg.rw"
	catRO     = "cat.ro.x"
)

type catalogVerifier struct{}

func (catalogVerifier) Verify(_ context.Context, raw string) (token.Principal, token.Claims, error) {
	roles := map[string]string{catAppsRW: authz.DeviceManagementAppsReadWrite, catCfgRW: authz.DeviceManagementConfigReadWrite, catRO: authz.DeviceManagementServiceConfigRead}
	if r, ok := roles[raw]; ok {
		return token.Principal{Roles: []string{r}}, token.Claims{}, nil
	}
	return token.Principal{}, token.Claims{}, fmt.Errorf("%w: unknown", token.ErrInvalid)
}

// catalogEnv serves the catalog endpoints over a real store.
type catalogEnv struct {
	t   *testing.T
	rt  *Router
	svc *apps.Service
	dir *directory.Service
}

func newCatalogEnv(t *testing.T, db *store.DB) *catalogEnv {
	t.Helper()
	st := sqlstore.New(db)
	svc := apps.New(st.Catalog(), st, nil)
	rt := NewRouter(catalogVerifier{}, nil)
	NewApps(svc, nil).Register(rt)
	NewPolicies(svc, nil).Register(rt)
	return &catalogEnv{t: t, rt: rt, svc: svc, dir: directory.New(st, nil)}
}

func (e *catalogEnv) group(name string) string {
	e.t.Helper()
	g, err := e.dir.CreateGroup(context.Background(), directory.Group{DisplayName: name, MailNickname: name, SecurityEnabled: true})
	if err != nil {
		e.t.Fatal(err)
	}
	return g.ID
}

// call sends body as is ("" for none) and decodes the JSON answer.
func (e *catalogEnv) call(method, path, tok, body string) (int, map[string]any) {
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

// must sends a request that must answer want.
func (e *catalogEnv) must(want int, method, path, tok, body string) map[string]any {
	e.t.Helper()
	code, out := e.call(method, path, tok, body)
	if code != want {
		e.t.Fatalf("%s %s: %d %v, want %d", method, path, code, out, want)
	}
	return out
}

func (e *catalogEnv) list(path string) []map[string]any {
	e.t.Helper()
	body := e.must(200, "GET", path, catRO, "")
	var out []map[string]any
	for _, v := range body["value"].([]any) {
		out = append(out, v.(map[string]any))
	}
	return out
}

func catErr(body map[string]any) string {
	m, _ := body["error"].(map[string]any)
	s, _ := m["message"].(string)
	return s
}

func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

const apps7zip = `{
  "@odata.type": "#microsoft.graph.win32LobApp",
  "displayName": "7-Zip", "description": "File archiver", "publisher": "Igor Pavlov",
  "fileName": "7z.intunewin", "setupFilePath": "7z.exe", "isFeatured": "False", "largeIcon": null,
  "developer": "", "owner": "", "notes": "", "informationUrl": null, "privacyInformationUrl": null,
  "installCommandLine": "7z.exe /S",
  "uninstallCommandLine": "\"C:\\Program Files\\7-Zip\\Uninstall.exe\" /S",
  "applicableArchitectures": "x64,x86",
  "minimumSupportedOperatingSystem": {"@odata.type": "#microsoft.graph.windowsMinimumOperatingSystem", "v10_1607": true},
  "minimumFreeDiskSpaceInMB": "500", "minimumMemoryInMB": null,
  "installExperience": {"runAsAccount": "system", "deviceRestartBehavior": "suppress", "maxRunTimeInMinutes": 30},
  "detectionRules": [{"@odata.type": "#microsoft.graph.win32LobAppFileSystemDetection", "path": "C:\\Program Files\\7-Zip",
    "fileOrFolderName": "7z.exe", "check32BitOn64System": false, "detectionType": "version", "operator": "greaterThanOrEqual", "detectionValue": "22.01"}],
  "requirementRules": [{"@odata.type": "#microsoft.graph.win32LobAppRegistryRequirement", "keyPath": "HKEY_LOCAL_MACHINE\\SOFTWARE\\Contoso",
    "valueName": "Ring", "detectionType": "string", "operator": "equal", "detectionValue": "pilot", "check32BitOn64System": "false"}],
  "returnCodes": [{"returnCode": 0, "type": "success"}, {"returnCode": "3010", "type": "softReboot"}],
  "msiInformation": null,
}`

func TestMobileAppGraphShapes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newCatalogEnv(t, db)
		const base = "/beta/deviceAppManagement/mobileApps"
		w := e.must(201, "POST", base, catAppsRW, apps7zip)
		id := w["id"].(string)
		if w["@odata.type"] != "#microsoft.graph.win32LobApp" || field(w, "installExperience", "runAsAccount") != "system" ||
			field(w, "installExperience", "maxRunTimeInMinutes") != 30.0 || w["minimumFreeDiskSpaceInMB"] != 500.0 ||
			w["applicableArchitectures"] != "x64,x86" || field(w, "minimumSupportedOperatingSystem", "v10_1607") != true ||
			w["minimumSupportedWindowsRelease"] != "1607" || w["publishingState"] != "notPublished" || w["size"] != 0.0 ||
			w["isAssigned"] != false || !strings.HasSuffix(w["@odata.context"].(string), "/beta/$metadata#deviceAppManagement/mobileApps/$entity") {
			t.Fatalf("created = %v", w)
		}
		det := w["detectionRules"].([]any)[0].(map[string]any)
		req := w["requirementRules"].([]any)[0].(map[string]any)
		if det["@odata.type"] != "#microsoft.graph.win32LobAppFileSystemDetection" || det["detectionValue"] != "22.01" ||
			req["@odata.type"] != "#microsoft.graph.win32LobAppRegistryRequirement" || req["detectionType"] != "string" {
			t.Fatalf("beta rules = %v / %v", det, req)
		}
		rules := w["rules"].([]any)
		if len(rules) != 2 || field(rules[0].(map[string]any), "@odata.type") != "#microsoft.graph.win32LobAppFileSystemRule" ||
			field(rules[0].(map[string]any), "ruleType") != "detection" || field(rules[1].(map[string]any), "ruleType") != "requirement" ||
			field(rules[1].(map[string]any), "comparisonValue") != "pilot" {
			t.Fatalf("rules = %v", rules)
		}
		// v1.0 has rules but none of the beta-only properties.
		v1 := e.must(200, "GET", "/v1.0/deviceAppManagement/mobileApps/"+strings.ToUpper(id), catRO, "")
		for _, k := range []string{"detectionRules", "requirementRules", "minimumSupportedOperatingSystem", "roleScopeTagIds", "isAssigned"} {
			if _, ok := v1[k]; ok {
				t.Errorf("v1.0 shows beta-only %s", k)
			}
		}
		if len(v1["rules"].([]any)) != 2 || field(v1, "installExperience", "deviceRestartBehavior") != "suppress" || field(v1, "installExperience", "maxRunTimeInMinutes") != nil {
			t.Fatalf("v1.0 app = %v", v1)
		}
		// An MSI, and a type whiteglove lists but does not install.
		msi := e.must(201, "POST", "/v1.0/deviceAppManagement/mobileApps", catAppsRW, `{"@odata.type":"microsoft.graph.windowsMobileMSI","displayName":"Agent",
			"productCode":"{23170F69-40C1-2702-2201-000001000000}","productVersion":"2.1","commandLine":"/qn"}`)
		if msi["@odata.type"] != "#microsoft.graph.windowsMobileMSI" || msi["commandLine"] != "/qn" || msi["useDeviceContext"] != nil {
			t.Fatalf("MSI = %v", msi)
		}
		if b := e.must(200, "GET", base+"/"+msi["id"].(string), catRO, ""); b["useDeviceContext"] != false {
			t.Fatalf("beta MSI = %v", b)
		}
		e.must(201, "POST", base, catAppsRW, `{"@odata.type":"#microsoft.graph.webApp","displayName":"Portal","publisher":"Contoso"}`)
		e.must(201, "POST", base, catAppsRW, `{"@odata.type":"#microsoft.graph.win32CatalogApp","displayName":"Catalog"}`)
		names := func(path string) string {
			var out []string
			for _, it := range e.list(path) {
				out = append(out, it["displayName"].(string))
			}
			return strings.Join(out, ",")
		}
		for filter, want := range map[string]string{
			"":                                    "7-Zip,Agent,Portal,Catalog",
			"isof('microsoft.graph.win32LobApp')": "7-Zip,Catalog",
			"(isof('microsoft.graph.win32LobApp') and not(isof('microsoft.graph.win32CatalogApp')))":   "7-Zip",
			"isof('#microsoft.graph.mobileLobApp') and startswith(displayName,'a')":                    "Agent",
			"(isof('microsoft.graph.windowsMobileMSI') or isof('microsoft.graph.webApp'))":             "Agent,Portal",
			"publisher eq 'contoso' or displayName eq 'isof(x)'":                                       "Portal",
			"isof('microsoft.graph.mobileApp') and (displayName eq 'Agent' or displayName eq '7-Zip')": "7-Zip,Agent",
		} {
			path := "/v1.0/deviceAppManagement/mobileApps"
			if filter != "" {
				path += "?" + url.Values{"$filter": {filter}}.Encode()
			}
			if got := names(path); got != want {
				t.Errorf("$filter=%s: %s, want %s", filter, got, want)
			}
		}
		if got := names(base + "/microsoft.graph.win32LobApp"); got != "7-Zip,Catalog" {
			t.Errorf("type-cast list = %s", got)
		}
		// isof() survives paging: the next page applies it too.
		page := e.must(200, "GET", base+"?"+url.Values{"$filter": {"isof('microsoft.graph.win32LobApp')"}, "$top": {"1"}}.Encode(), catRO, "")
		next, _ := page["@odata.nextLink"].(string)
		u, err := url.Parse(next)
		if len(page["value"].([]any)) != 1 || err != nil {
			t.Fatalf("first page = %v", page)
		}
		page = e.must(200, "GET", u.RequestURI(), catRO, "")
		if vals := page["value"].([]any); len(vals) != 1 || vals[0].(map[string]any)["displayName"] != "Catalog" || page["@odata.nextLink"] != nil {
			t.Fatalf("second page = %v", page)
		}
		for _, bad := range []string{"isof('microsoft.graph.win32LobApp') or displayName eq 'x'", "isof('microsoft.graph.notAnApp')"} {
			if code, body := e.call("GET", base+"?"+url.Values{"$filter": {bad}}.Encode(), catRO, ""); code != 400 || !strings.Contains(catErr(body), "isof") {
				t.Errorf("$filter=%s: %d %v", bad, code, body)
			}
		}
		// PATCH answers the updated app; the type must stay.
		p := e.must(200, "PATCH", base+"/"+id, catAppsRW, `{"@odata.type":"#microsoft.graph.win32LobApp","installCommandLine":"7z.exe /S /D=C:\\7z","size":99}`)
		if p["installCommandLine"] != `7z.exe /S /D=C:\7z` || p["size"] != 0.0 || len(p["detectionRules"].([]any)) != 1 {
			t.Fatalf("patched = %v", p)
		}
		if code, body := e.call("PATCH", base+"/"+id, catAppsRW, `{"@odata.type":"#microsoft.graph.windowsMobileMSI"}`); code != 400 || !strings.Contains(catErr(body), "cannot change") {
			t.Fatalf("type change: %d %v", code, body)
		}
		// $select keeps @odata.type.
		sel := e.must(200, "GET", base+"/"+id+"?$select=displayName,publisher", catRO, "")
		if k := slices.Sorted(func(yield func(string) bool) {
			for k := range sel {
				if k != "@odata.context" && !yield(k) {
					return
				}
			}
		}); strings.Join(k, ",") != "@odata.type,displayName,publisher" {
			t.Fatalf("$select = %v", sel)
		}
	})
}
