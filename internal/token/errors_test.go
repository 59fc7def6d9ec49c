package token

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestTokenErrors(t *testing.T) {
	f := newFixture(t, "")
	with := func(base url.Values, k, v string) url.Values {
		out := url.Values{}
		for key, vals := range base {
			out[key] = vals
		}
		if v == "" {
			out.Del(k)
		} else {
			out.Set(k, v)
		}
		return out
	}
	path := "/" + testTenant + "/oauth2/v2.0/token"
	cases := []struct {
		name   string
		path   string
		form   url.Values
		status int
		code   string
		aadsts int
	}{
		{"wrong secret", path, with(appForm(), "client_secret", "wrong"), 401, "invalid_client", 7000215},
		{"unknown client", path, with(appForm(), "client_id", uuid.NewString()), 401, "invalid_client", 7000215},
		{"no secret", path, with(appForm(), "client_secret", ""), 401, "invalid_client", 7000218},
		{"no client id", path, with(appForm(), "client_id", ""), 400, "invalid_request", 900144},
		{"no scope", path, with(appForm(), "scope", ""), 400, "invalid_request", 900144},
		{"delegated scope for app", path, with(appForm(), "scope", "User.Read"), 400, "invalid_scope", 1002012},
		{"other resource", path, with(appForm(), "scope", "api://other/.default"), 400, "invalid_resource", 500011},
		{"no grant type", path, with(appForm(), "grant_type", ""), 400, "invalid_request", 900144},
		{"unsupported grant", path, with(appForm(), "grant_type", "authorization_code"), 400, "unsupported_grant_type", 70003},
		{"unknown tenant", "/fabrikam.com/oauth2/v2.0/token", appForm(), 400, "invalid_request", 90002},
		{"malformed tenant", "/bad%21tenant/oauth2/v2.0/token", appForm(), 400, "invalid_request", 900023},
		{"resolver down", "/broken.example/oauth2/v2.0/token", appForm(), 503, "temporarily_unavailable", 90033},
		{"wrong password", path, with(userForm(), "password", "hunter2"), 400, "invalid_grant", 50126},
		{"disabled user", path, with(userForm(), "username", "off@contoso.com"), 400, "invalid_grant", 50126},
		{"no username", path, with(userForm(), "username", ""), 400, "invalid_request", 900144},
		{"no password", path, with(userForm(), "password", ""), 400, "invalid_request", 900144},
		{"password no client", path, with(userForm(), "client_id", ""), 400, "invalid_request", 900144},
		{"password bad client secret", path, with(userForm(), "client_secret", "wrong"), 401, "invalid_client", 7000215},
		{"user scope other resource", path, with(userForm(), "scope", "https://management.azure.com/.default"), 400, "invalid_resource", 500011},
		{"v1 other resource", "/" + testTenant + "/oauth2/token", with(with(appForm(), "scope", ""), "resource", "https://vault.azure.net"), 400, "invalid_resource", 500011},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.post(t, tc.path, tc.form, func(r *http.Request) {
				r.Header.Set("client-request-id", "0a1b2c3d-0000-4000-8000-000000000001")
			})
			wantOAuthError(t, resp, body, tc.status, tc.code, tc.aadsts)
			if body["correlation_id"] != "0a1b2c3d-0000-4000-8000-000000000001" {
				t.Errorf("correlation_id = %v", body["correlation_id"])
			}
		})
	}
	if logs := f.logs.String(); strings.Contains(logs, testSecret) || strings.Contains(logs, "hunter2") ||
		strings.Contains(logs, testPassword) || strings.Contains(logs, "wrong\"") {
		t.Errorf("secrets in logs:\n%s", logs)
	}
}

func TestTokenRequestShape(t *testing.T) {
	f := newFixture(t, "")
	path := f.srv.URL + "/" + testTenant + "/oauth2/v2.0/token"

	// Secrets in the query string are ignored: only the body counts.
	q := appForm()
	body := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "scope": {q.Get("scope")}}
	req, _ := http.NewRequest(http.MethodPost, path+"?client_secret="+url.QueryEscape(testSecret), strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, b := f.do(t, req)
	wantOAuthError(t, resp, b, 401, "invalid_client", 7000218)

	// Repeated parameters are refused.
	rep := appForm()
	rep.Add("scope", "https://graph.microsoft.com/.default")
	resp, b = f.post(t, "/"+testTenant+"/oauth2/v2.0/token", rep, nil)
	wantOAuthError(t, resp, b, 400, "invalid_request", 90100)

	// Oversized bodies are refused.
	big := appForm()
	big.Set("padding", strings.Repeat("x", maxFormBytes))
	resp, b = f.post(t, "/"+testTenant+"/oauth2/v2.0/token", big, nil)
	wantOAuthError(t, resp, b, 400, "invalid_request", 90100)

	// GET on the token endpoint.
	resp, b = f.get(t, "/"+testTenant+"/oauth2/v2.0/token")
	wantOAuthError(t, resp, b, 405, "invalid_request", 900561)
	if resp.Header.Get("Allow") != "POST" {
		t.Errorf("Allow = %q", resp.Header.Get("Allow"))
	}
}
