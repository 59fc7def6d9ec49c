package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func errMsg(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

func TestLenientBodiesAsPowerShellSendsThem(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		tok := e.appToken()
		_, body := e.call("GET", "/v1.0/users/bob@contoso.example", tok, nil)
		id := body["id"].(string)
		// Unquoted names, a boolean as a string, a trailing comma, read-only echoes.
		patch := `{ department: "Field Ops", accountEnabled: "True", "@odata.context": "x", id: "ignored", createdDateTime: "2020-01-01T00:00:00Z", }`
		if code, body := e.call("PATCH", "/beta/users/"+id, tok, patch); code != 204 {
			t.Fatalf("lenient PATCH: %d %v", code, body)
		}
		_, body = e.call("GET", "/v1.0/users/"+id, tok, nil)
		if body["department"] != "Field Ops" || body["accountEnabled"] != true || body["id"] != id {
			t.Fatalf("after lenient PATCH: %v", body)
		}
	})
}

func TestBadInputWritesNothing(t *testing.T) {
	eachBackend(t, false, func(t *testing.T, e *env) {
		tok := e.appToken()
		cases := []struct {
			name, body, want string
		}{
			{"unknown property", `{"displayName":"G","mailEnabled":false,"mailNickname":"g","securityEnabled":true,"colour":"red"}`, `colour`},
			{"wrong type", `{"displayName":"G","mailEnabled":"perhaps","mailNickname":"g","securityEnabled":true}`, `mailEnabled`},
			{"broken JSON", `{"displayName":"G",`, `invalid JSON`},
			{"missing required", `{"displayName":"G"}`, `mailNickname`},
			{"empty body", ``, `empty`},
			{"not an object", `[1,2]`, `object`},
			{"bad rule", `{"displayName":"G","mailEnabled":false,"mailNickname":"g","securityEnabled":true,"groupTypes":["DynamicMembership"],"membershipRule":"device.nope -eq \"x\""}`, `nope`},
			{"rule without dynamic type", `{"displayName":"G","mailEnabled":false,"mailNickname":"g","securityEnabled":true,"membershipRule":"device.displayName -eq \"x\""}`, `DynamicMembership`},
		}
		for _, c := range cases {
			code, body := e.call("POST", "/v1.0/groups", tok, c.body)
			if code != 400 || !strings.Contains(strings.ToLower(errMsg(body)), strings.ToLower(c.want)) {
				t.Errorf("%s: %d %q, want 400 naming %q", c.name, code, errMsg(body), c.want)
			}
		}
		_, body := e.call("GET", "/v1.0/groups?$count=true", tok, nil)
		if n := len(values(t, body)); n != 0 {
			t.Fatalf("%d groups written by refused requests", n)
		}
		// Oversize bodies are refused.
		big := `{"displayName":"` + strings.Repeat("x", 17<<20) + `"}`
		if code, _ := e.call("POST", "/v1.0/groups", tok, big); code != 413 {
			t.Fatalf("oversize body: %d, want 413", code)
		}
	})
}

func TestGzipBodyAndCaseInsensitiveRoutes(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), false)
	tok := e.appToken()
	body := `{"displayName":"Zipped","mailEnabled":false,"mailNickname":"z","securityEnabled":true}`
	req, _ := http.NewRequest("POST", e.url+"/BETA/GROUPS", bytes.NewReader(gz(t, body)))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	code, out := e.do(req)
	if code != 201 || out["displayName"] != "Zipped" {
		t.Fatalf("gzip create: %d %v", code, out)
	}
	req, _ = http.NewRequest("POST", e.url+"/beta/groups", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Encoding", "br")
	if code, _ := e.do(req); code != 415 {
		t.Fatalf("brotli body: %d, want 415", code)
	}
	if code, _ := e.call("GET", "/v1.0/Groups/"+out["id"].(string)+"/MEMBERS", tok, nil); code != 200 {
		t.Fatalf("mixed-case path: %d", code)
	}
	if code, _ := e.call("PUT", "/v1.0/groups", tok, nil); code != 405 {
		t.Fatalf("PUT on collection: %d, want 405", code)
	}
	if code, _ := e.call("GET", "/v1.0/nonsense", tok, nil); code != 400 {
		t.Fatalf("unknown segment: %d, want 400", code)
	}
}

func TestPagingFilterSelectCount(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), false)
	tok := e.appToken()
	for i := 0; i < 25; i++ {
		code, body := e.call("POST", "/v1.0/devices", tok, map[string]any{"accountEnabled": true, "displayName": fmt.Sprintf("PC-%02d", i),
			"deviceId": newGUID(t), "physicalIds": []string{fmt.Sprintf("[ZTDID]:%d", i)}})
		if code != 201 {
			t.Fatalf("device: %d %v", code, body)
		}
	}
	seen := map[string]bool{}
	next := "/v1.0/devices?$top=10&$count=true&$orderby=displayName%20desc&$select=displayName,id"
	pages := 0
	for next != "" {
		code, body := e.call("GET", next, tok, nil)
		if code != 200 {
			t.Fatalf("page %d: %d %v", pages, code, body)
		}
		if body["@odata.count"] != float64(25) {
			t.Fatalf("count = %v", body["@odata.count"])
		}
		for _, v := range values(t, body) {
			if _, has := v["physicalIds"]; has {
				t.Fatalf("$select ignored: %v", v)
			}
			seen[v["displayName"].(string)] = true
		}
		next = ""
		if l, ok := body["@odata.nextLink"].(string); ok {
			if !strings.HasPrefix(l, e.url+"/v1.0/devices?") {
				t.Fatalf("nextLink %q is not absolute on the request host", l)
			}
			next = strings.TrimPrefix(l, e.url)
		}
		pages++
	}
	if pages != 3 || len(seen) != 25 {
		t.Fatalf("pages = %d, distinct = %d", pages, len(seen))
	}
	f := url.QueryEscape("physicalIds/any(p: startswith(p, '[ztdid]:1'))")
	_, body := e.call("GET", "/v1.0/devices?$filter="+f, tok, nil)
	if n := len(values(t, body)); n != 11 { // 1, 10..19
		t.Fatalf("lambda filter matched %d, want 11", n)
	}
	if code, body := e.call("GET", "/v1.0/devices?$filter="+url.QueryEscape("colour eq 'red'"), tok, nil); code != 400 || !strings.Contains(errMsg(body), "colour") {
		t.Fatalf("unknown filter property: %d %v", code, body)
	}
	if code, _ := e.call("GET", "/v1.0/devices?$skiptoken=forged", tok, nil); code != 400 {
		t.Fatalf("forged skip token: %d", code)
	}
}

func TestUsersAndLicences(t *testing.T) {
	eachBackend(t, true, func(t *testing.T, e *env) {
		tok := e.appToken()
		code, body := e.call("POST", "/v1.0/users", tok, map[string]any{
			"accountEnabled": true, "displayName": "Dana", "mailNickname": "dana", "userPrincipalName": "dana@contoso.example",
			"department": "Sales", "passwordProfile": map[string]any{"forceChangePasswordNextSignIn": false, "password": "Str0ng-Passw0rd"},
		})
		if code != 201 || body["userPrincipalName"] != "dana@contoso.example" {
			t.Fatalf("create user: %d %v", code, body)
		}
		if _, leaked := body["passwordProfile"]; leaked {
			t.Fatal("password profile returned")
		}
		id := body["id"].(string)
		if code, _ := e.call("POST", "/v1.0/users", tok, map[string]any{"accountEnabled": true, "displayName": "D2", "mailNickname": "d",
			"userPrincipalName": "DANA@contoso.example", "passwordProfile": map[string]any{"password": "Str0ng-Passw0rd"}}); code != 400 {
			t.Fatalf("duplicate UPN: %d", code)
		}
		if code, _ := e.call("POST", "/v1.0/users", tok, map[string]any{"accountEnabled": true, "displayName": "D3", "mailNickname": "d3",
			"userPrincipalName": "d3@contoso.example", "passwordProfile": map[string]any{"password": "weak"}}); code != 400 {
			t.Fatalf("weak password: %d", code)
		}
		// The new user can sign in, and is in the dynamic "Sales users" group.
		e.token(url.Values{"grant_type": {"password"}, "client_id": {"x"}, "username": {"dana@contoso.example"}, "password": {"Str0ng-Passw0rd"}})
		_, body = e.call("GET", "/v1.0/users/"+id+"/memberOf", tok, nil)
		if got := names(values(t, body), "displayName"); strings.Join(got, ",") != "Sales users" {
			t.Fatalf("memberOf = %v", got)
		}
		_, body = e.call("GET", "/v1.0/subscribedSkus", tok, nil)
		sku := values(t, body)[0]
		used := sku["consumedUnits"].(float64)
		skuID := sku["skuId"].(string)
		code, body = e.call("POST", "/v1.0/users/"+id+"/assignLicense", tok, map[string]any{"addLicenses": []map[string]any{{"skuId": skuID, "disabledPlans": []string{}}}, "removeLicenses": []string{}})
		if code != 200 || len(body["assignedLicenses"].([]any)) != 1 {
			t.Fatalf("assignLicense: %d %v", code, body)
		}
		_, body = e.call("GET", "/v1.0/subscribedSkus", tok, nil)
		if values(t, body)[0]["consumedUnits"].(float64) != used+1 {
			t.Fatalf("consumedUnits did not grow: %v", body)
		}
		if code, _ := e.call("POST", "/v1.0/users/"+id+"/assignLicense", tok, map[string]any{"addLicenses": []map[string]any{{"skuId": newGUID(t)}}, "removeLicenses": []string{}}); code != 400 {
			t.Fatalf("unknown sku: %d", code)
		}
		_, body = e.call("GET", "/v1.0/users?$filter="+url.QueryEscape("startswith(userPrincipalName,'car')"), tok, nil)
		if got := values(t, body); len(got) != 1 || len(got[0]["assignedLicenses"].([]any)) != 0 {
			t.Fatalf("carol (unlicensed) = %v", got)
		}
	})
}
