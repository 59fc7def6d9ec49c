package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/demo"
	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

const (
	clientID     = "11111111-2222-3333-4444-555555555555"
	clientSecret = "test-secret-0123456789"
)

// env is one running service under test.
type env struct {
	t   *testing.T
	srv *server.Server
	url string
}

func start(t *testing.T, sc store.Config, demoSeed bool) *env {
	t.Helper()
	cfg := server.Config{
		DataDir: sc.DataDir, DB: sc.DSN, TenantName: "Contoso", TenantDomain: "contoso.example", Seats: 10,
		BootstrapClientID: clientID, BootstrapClientSecret: clientSecret, Demo: demoSeed,
	}
	srv, err := server.New(context.Background(), cfg, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatalf("starting server: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return &env{t: t, srv: srv, url: ts.URL}
}

// eachBackend runs fn against a fresh service on SQLite and on PostgreSQL.
func eachBackend(t *testing.T, demoSeed bool, fn func(t *testing.T, e *env)) {
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			fn(t, start(t, storetest.Config(t, d), demoSeed))
		})
	}
}

func (e *env) token(form url.Values) string {
	e.t.Helper()
	res, err := http.PostForm(e.url+"/organizations/oauth2/v2.0/token", form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(res.Body).Decode(&body)
	if res.StatusCode != 200 {
		e.t.Fatalf("token: %d %v", res.StatusCode, body)
	}
	return body["access_token"].(string)
}

func (e *env) appToken() string {
	return e.token(url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {clientSecret},
		"scope": {"https://graph.microsoft.com/.default"}})
}

func (e *env) userToken(upn string) string {
	return e.token(url.Values{"grant_type": {"password"}, "client_id": {"d1ddf0e4-d672-4dae-b554-9d5bdfd93547"},
		"username": {upn}, "password": {demo.Password}, "scope": {"https://graph.microsoft.com/.default"}})
}

// call sends a request; body may be a string (sent as is), nil, or a value to marshal.
func (e *env) call(method, path, tok string, body any) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.do(req)
}

func (e *env) do(req *http.Request) (int, map[string]any) {
	e.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if len(raw) > 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") && res.StatusCode < 300 {
		return res.StatusCode, map[string]any{"text": string(raw)}
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("%s %s: non-JSON body %q", req.Method, req.URL, raw)
		}
		if res.StatusCode < 300 && !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			e.t.Fatalf("%s %s: Content-Type %q", req.Method, req.URL, res.Header.Get("Content-Type"))
		}
	}
	if res.StatusCode >= 400 {
		// Every error is Graph-shaped with a message and the request id.
		errObj, _ := out["error"].(map[string]any)
		inner, _ := errObj["innerError"].(map[string]any)
		if errObj == nil || errObj["message"] == "" || inner["request-id"] != res.Header.Get("request-id") {
			e.t.Fatalf("%s %s: error body not Graph-shaped: %s", req.Method, req.URL, raw)
		}
	}
	return res.StatusCode, out
}

func values(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	arr, ok := body["value"].([]any)
	if !ok {
		t.Fatalf("no value array in %v", body)
	}
	out := make([]map[string]any, len(arr))
	for i, v := range arr {
		out[i] = v.(map[string]any)
	}
	return out
}

func names(items []map[string]any, key string) []string {
	var out []string
	for _, it := range items {
		out = append(out, it[key].(string))
	}
	sort.Strings(out)
	return out
}

func TestClientCredentialsReadOrganization(t *testing.T) {
	eachBackend(t, false, func(t *testing.T, e *env) {
		code, body := e.call("GET", "/v1.0/organization", e.appToken(), nil)
		if code != 200 {
			t.Fatalf("organization: %d %v", code, body)
		}
		org := values(t, body)
		if len(org) != 1 || org[0]["displayName"] != "Contoso" || org[0]["id"] != e.srv.Tenant.ID {
			t.Fatalf("organization = %v", org)
		}
		if code, _ := e.call("GET", "/v1.0/organization", "", nil); code != 401 {
			t.Fatalf("unauthenticated organization: %d", code)
		}
		if code, _ := e.call("GET", "/v1.0/organization", "not.a.jwt", nil); code != 401 {
			t.Fatalf("garbage token: %d", code)
		}
		// The companion app sends the token without "Bearer ".
		req, _ := http.NewRequest("GET", e.url+"/beta/organization", nil)
		req.Header.Set("Authorization", e.appToken())
		if code, _ := e.do(req); code != 200 {
			t.Fatalf("bare token: %d", code)
		}
	})
}

func TestEveryRouteRefusesAnonymousCalls(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), true)
	routes := e.srv.Router().Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	tech := e.userToken("tech@contoso.example")
	for _, rt := range routes {
		for _, v := range rt.Versions {
			path := "/" + v + rt.Pattern
			for strings.Contains(path, "{") {
				i, j := strings.Index(path, "{"), strings.Index(path, "}")
				path = path[:i] + "00000000-0000-4000-8000-000000000000" + path[j+1:]
			}
			code, _ := e.call(rt.Method, path, "", nil)
			if rt.Policy.IsPublic() {
				continue
			}
			if code != 401 {
				t.Errorf("%s %s without a token: %d, want 401", rt.Method, path, code)
			}
			// Technicians may read the organization, nothing else here.
			code, _ = e.call(rt.Method, path, tech, nil)
			if rt.Policy.Allows([]string{"WhiteGlove.Technician"}) {
				continue
			}
			if code != 403 {
				t.Errorf("%s %s as technician: %d, want 403", rt.Method, path, code)
			}
		}
	}
}

func TestDynamicGroupOverGraph(t *testing.T) {
	eachBackend(t, false, func(t *testing.T, e *env) {
		tok := e.appToken()
		mk := func(name string, pids ...string) string {
			code, body := e.call("POST", "/v1.0/devices", tok, map[string]any{
				"accountEnabled": true, "displayName": name, "deviceId": newGUID(t),
				"alternativeSecurityIds": []map[string]any{{"type": 2, "key": "a2V5"}}, "physicalIds": pids,
			})
			if code != 201 {
				t.Fatalf("create device: %d %v", code, body)
			}
			return body["id"].(string)
		}
		mk("PC-1", "[ZTDID]:a", "[OrderId]:Kiosk")
		mk("PC-2", "[ZTDID]:b", "[OrderId]:Sales")
		mk("PC-3", "[OrderId]:Kiosk")
		code, body := e.call("POST", "/v1.0/groups", tok, map[string]any{
			"displayName": "Kiosk Autopilot devices", "mailEnabled": false, "mailNickname": "kiosk", "securityEnabled": true,
			"groupTypes": []string{"DynamicMembership"}, "membershipRuleProcessingState": "On",
			"membershipRule": `(device.devicePhysicalIds -any _ -eq "[OrderID]:kiosk") and (device.devicePhysicalIds -any (_ -startsWith "[ZTDId]"))`,
		})
		if code != 201 {
			t.Fatalf("create group: %d %v", code, body)
		}
		gid := body["id"].(string)
		code, body = e.call("GET", "/v1.0/groups/"+gid+"/members", tok, nil)
		if code != 200 {
			t.Fatalf("members: %d %v", code, body)
		}
		if got := names(values(t, body), "displayName"); strings.Join(got, ",") != "PC-1" {
			t.Fatalf("members = %v, want PC-1", got)
		}
		// A device registered later joins at once.
		mk("PC-4", "[ZTDID]:d", "[OrderID]:KIOSK")
		_, body = e.call("GET", "/beta/groups/"+gid+"/members", tok, nil)
		if got := names(values(t, body), "displayName"); strings.Join(got, ",") != "PC-1,PC-4" {
			t.Fatalf("members after new device = %v", got)
		}
		// A rule with a syntax error is refused with its column, and nothing changes.
		code, body = e.call("PATCH", "/v1.0/groups/"+gid, tok, map[string]any{"membershipRule": `(device.devicePhysicalIds -any _ -eq )`})
		if code != 400 || !strings.Contains(body["error"].(map[string]any)["message"].(string), "column") {
			t.Fatalf("bad rule: %d %v", code, body)
		}
		_, body = e.call("GET", "/v1.0/groups/"+gid+"?$select=membershipRule", tok, nil)
		if !strings.Contains(body["membershipRule"].(string), "kiosk") {
			t.Fatalf("rule changed by a refused PATCH: %v", body)
		}
		// Filter by display name, as the tooling looks groups up.
		_, body = e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'kiosk autopilot devices'"), tok, nil)
		if len(values(t, body)) != 1 {
			t.Fatalf("filter by displayName = %v", body)
		}
	})
}

func TestStaticMembersByReference(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		tok := e.appToken()
		code, body := e.call("POST", "/v1.0/groups", tok, map[string]any{"displayName": "Pilot", "mailEnabled": false, "mailNickname": "pilot", "securityEnabled": true})
		if code != 201 {
			t.Fatalf("create: %d %v", code, body)
		}
		gid := body["id"].(string)
		_, body = e.call("GET", "/v1.0/users/alice@contoso.example", tok, nil)
		uid := body["id"].(string)
		ref := map[string]any{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/" + uid}
		if code, body := e.call("POST", "/v1.0/groups/"+gid+"/members/$ref", tok, ref); code != 204 {
			t.Fatalf("add member: %d %v", code, body)
		}
		if code, _ := e.call("POST", "/v1.0/groups/"+gid+"/members/$ref", tok, ref); code != 400 {
			t.Fatalf("second add: %d", code)
		}
		_, body = e.call("GET", "/v1.0/groups/"+gid+"/members", tok, nil)
		if got := names(values(t, body), "userPrincipalName"); strings.Join(got, ",") != "alice@contoso.example" {
			t.Fatalf("members = %v", got)
		}
		if code, _ := e.call("DELETE", "/v1.0/groups/"+gid+"/members/"+uid+"/$ref", tok, nil); code != 204 {
			t.Fatalf("remove member: %d", code)
		}
		_, body = e.call("GET", "/v1.0/groups/"+gid+"/members", tok, nil)
		if len(values(t, body)) != 0 {
			t.Fatalf("members after removal = %v", body)
		}
	})
}

func TestTwoReplicasOnOnePostgres(t *testing.T) {
	sc := storetest.Config(t, store.Postgres)
	a := start(t, sc, false)
	b := start(t, sc, false)
	if a.srv.Tenant.ID != b.srv.Tenant.ID {
		t.Fatalf("replicas bootstrapped two tenants: %s and %s", a.srv.Tenant.ID, b.srv.Tenant.ID)
	}
	// A token from one replica is accepted by the other (shared signing key).
	tok := a.appToken()
	code, body := a.call("POST", "/v1.0/groups", tok, map[string]any{"displayName": "Made on A", "mailEnabled": false, "mailNickname": "a", "securityEnabled": true})
	if code != 201 {
		t.Fatalf("create on A: %d %v", code, body)
	}
	code, body = b.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Made on A'"), tok, nil)
	if code != 200 || len(values(t, body)) != 1 {
		t.Fatalf("list on B: %d %v", code, body)
	}
	// A rule change on B is seen by the next device write on A.
	code, body = b.call("POST", "/v1.0/groups", b.appToken(), map[string]any{"displayName": "Dyn", "mailEnabled": false, "mailNickname": "d",
		"securityEnabled": true, "groupTypes": []string{"DynamicMembership"}, "membershipRule": `device.displayName -startsWith "ab"`})
	if code != 201 {
		t.Fatalf("create dynamic on B: %d %v", code, body)
	}
	gid := body["id"].(string)
	if code, body := a.call("POST", "/v1.0/devices", tok, map[string]any{"accountEnabled": true, "displayName": "ABC", "deviceId": newGUID(t)}); code != 201 {
		t.Fatalf("device on A: %d %v", code, body)
	}
	_, body = b.call("GET", "/v1.0/groups/"+gid+"/members", tok, nil)
	if got := names(values(t, body), "displayName"); strings.Join(got, ",") != "ABC" {
		t.Fatalf("members seen on B = %v", got)
	}
}

func newGUID(t *testing.T) string { return uuid.NewString() }

func gz(t *testing.T, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.Bytes()
}
