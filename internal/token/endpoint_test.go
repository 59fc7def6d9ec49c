package token

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestClientCredentials(t *testing.T) {
	for _, issuer := range []string{"", "https://login.example.test/"} {
		t.Run("issuer="+issuer, func(t *testing.T) {
			f := newFixture(t, issuer)
			resp, body := f.post(t, "/"+testTenant+"/oauth2/v2.0/token", appForm(), nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %v", resp.StatusCode, body)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q", cc)
			}
			if len(body) != 4 || body["token_type"] != "Bearer" || body["expires_in"] != 3599.0 || body["ext_expires_in"] != 3599.0 {
				t.Errorf("body = %v", body)
			}
			raw := body["access_token"].(string)
			parts := strings.Split(raw, ".")
			if len(parts) != 3 {
				t.Fatalf("not a JWT: %q", raw)
			}
			hdr := decodeSegment(t, parts[0])
			if hdr["alg"] != "ES256" || hdr["typ"] != "JWT" || hdr["kid"] != f.keys.kid || len(hdr) != 3 {
				t.Errorf("header = %v", hdr)
			}
			base := strings.TrimSuffix(issuer, "/")
			if base == "" {
				base = f.srv.URL
			}
			c := decodeSegment(t, parts[1])
			want := map[string]any{
				"iss": base + "/" + testTenant + "/v2.0", "aud": "https://graph.microsoft.com",
				"tid": testTenant, "oid": testAppOID, "sub": testAppOID, "ver": "2.0", "idtyp": "app",
				"appid": testClientID, "azp": testClientID,
				"iat": float64(testEpoch.Unix()), "nbf": float64(testEpoch.Unix()),
				"exp": float64(testEpoch.Add(time.Hour).Unix()),
			}
			for k, v := range want {
				if c[k] != v {
					t.Errorf("claim %s = %v, want %v", k, c[k], v)
				}
			}
			if roles, _ := c["roles"].([]any); len(roles) != 1 || roles[0] != "DeviceManagementServiceConfig.ReadWrite.All" {
				t.Errorf("roles = %v", c["roles"])
			}
			if _, err := uuid.Parse(c["jti"].(string)); err != nil {
				t.Errorf("jti = %v", c["jti"])
			}
			for _, k := range []string{"upn", "name", "scp"} {
				if _, ok := c[k]; ok {
					t.Errorf("app token has %s", k)
				}
			}
			if len(c) != len(want)+2 { // + roles, jti
				t.Errorf("unexpected claims: %v", c)
			}

			p, claims, err := f.svc.Verify(context.Background(), raw)
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != KindApp || p.ObjectID != testAppOID || p.Name != testClientID || p.TenantID != testTenant || len(p.Roles) != 1 {
				t.Errorf("principal = %+v", p)
			}
			if !claims.Expiry.Equal(testEpoch.Add(time.Hour)) || claims.TokenID != c["jti"] || claims.AppID != testClientID {
				t.Errorf("claims = %+v", claims)
			}
			verifyWithServedJWKS(t, f, raw)
		})
	}
}

// verifyWithServedJWKS checks the signature with the JWKS fetched over HTTP,
// using only crypto/ecdsa, not the JWT library or this package.
func verifyWithServedJWKS(t *testing.T, f *fixture, raw string) {
	t.Helper()
	resp, set := f.get(t, "/common/discovery/v2.0/keys")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("keys: %d", resp.StatusCode)
	}
	parts := strings.Split(raw, ".")
	kid := decodeSegment(t, parts[0])["kid"]
	for _, k := range set["keys"].([]any) {
		jwk := k.(map[string]any)
		if jwk["kid"] != kid {
			continue
		}
		x, _ := base64.RawURLEncoding.DecodeString(jwk["x"].(string))
		y, _ := base64.RawURLEncoding.DecodeString(jwk["y"].(string))
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			t.Fatal(err)
		}
		sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
		digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
		if len(sig) != 64 || !ecdsa.Verify(pub, digest[:], r, s) {
			t.Fatal("signature does not verify against the served JWKS")
		}
		return
	}
	t.Fatalf("kid %v not in served JWKS %v", kid, set)
}

func TestClientCredentialsBasicAuth(t *testing.T) {
	f := newFixture(t, "")
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"https://graph.microsoft.com/.default"}}
	for name, edit := range map[string]func(*http.Request){
		"raw":     func(r *http.Request) { r.SetBasicAuth(testClientID, testSecret) },
		"encoded": func(r *http.Request) { r.SetBasicAuth(url.QueryEscape(testClientID), url.QueryEscape(testSecret)) },
	} {
		resp, body := f.post(t, "/"+testDomain+"/oauth2/v2.0/token", form, edit)
		if resp.StatusCode != http.StatusOK || body["access_token"] == nil {
			t.Errorf("%s: %d %v", name, resp.StatusCode, body)
		}
	}
	resp, body := f.post(t, "/"+testTenant+"/oauth2/v2.0/token", form, func(r *http.Request) { r.SetBasicAuth(testClientID, "nope") })
	wantOAuthError(t, resp, body, http.StatusUnauthorized, "invalid_client", 7000215)
	if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("WWW-Authenticate = %q", resp.Header.Get("WWW-Authenticate"))
	}
	both := appForm()
	resp, body = f.post(t, "/"+testTenant+"/oauth2/v2.0/token", both, func(r *http.Request) { r.SetBasicAuth(testClientID, testSecret) })
	wantOAuthError(t, resp, body, http.StatusBadRequest, "invalid_request", 90100)
}

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

func TestPasswordGrant(t *testing.T) {
	f := newFixture(t, "")
	resp, body := f.post(t, "/organizations/oauth2/v2.0/token", userForm(), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", resp.StatusCode, body)
	}
	wantScope := "DeviceManagementServiceConfig.ReadWrite.All DeviceManagementManagedDevices.ReadWrite.All Directory.Read.All User.Read openid"
	if body["scope"] != wantScope || body["expires_in"] != 3599.0 || body["token_type"] != "Bearer" || len(body) != 5 {
		t.Errorf("body = %v", body)
	}
	raw := body["access_token"].(string)
	c := decodeSegment(t, strings.Split(raw, ".")[1])
	for k, v := range map[string]any{"idtyp": "user", "upn": testUPN, "name": testUPN, "oid": testUserOID,
		"sub": testUserOID, "tid": testTenant, "appid": publicClient, "azp": publicClient, "scp": wantScope,
		"aud": GraphAudience, "iss": f.srv.URL + "/" + testTenant + "/v2.0"} {
		if c[k] != v {
			t.Errorf("claim %s = %v, want %v", k, c[k], v)
		}
	}
	p, claims, err := f.svc.Verify(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != KindUser || p.Name != testUPN || p.ObjectID != testUserOID || !slices.Equal(p.Roles, []string{"Intune Administrator"}) {
		t.Errorf("principal = %+v", p)
	}
	if !slices.Contains(claims.Scopes, "User.Read") || claims.UPN != testUPN {
		t.Errorf("claims = %+v", claims)
	}
	verifyWithServedJWKS(t, f, raw)

	// Explicit delegated scopes are recorded as asked, prefix stripped.
	form := userForm()
	form.Set("scope", "https://graph.microsoft.com/DeviceManagementServiceConfig.Read.All User.Read profile")
	_, body = f.post(t, "/"+testTenant+"/oauth2/v2.0/token", form, nil)
	if body["scope"] != "DeviceManagementServiceConfig.Read.All User.Read profile" {
		t.Errorf("scope = %v", body["scope"])
	}
	// No scope at all: the default set.
	form.Del("scope")
	_, body = f.post(t, "/"+testTenant+"/oauth2/v2.0/token", form, nil)
	if body["scope"] != strings.Join(DefaultDelegatedScopes, " ") {
		t.Errorf("default scope = %v", body["scope"])
	}
	if logs := f.logs.String(); strings.Contains(logs, testPassword) {
		t.Errorf("password in logs:\n%s", logs)
	}
}

func TestV1Endpoint(t *testing.T) {
	f := newFixture(t, "")
	form := appForm()
	form.Del("scope")
	form.Set("resource", "00000003-0000-0000-c000-000000000000")
	resp, body := f.post(t, "/"+testTenant+"/oauth2/token", form, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %v", resp.StatusCode, body)
	}
	if body["expires_in"] != "3599" || body["ext_expires_in"] != "3599" || body["resource"] != GraphAppID ||
		body["expires_on"] != itoa(int(testEpoch.Add(time.Hour).Unix())) || body["not_before"] != itoa(int(testEpoch.Unix())) {
		t.Errorf("body = %v", body)
	}
	if _, _, err := f.svc.Verify(context.Background(), body["access_token"].(string)); err != nil {
		t.Fatal(err)
	}
	uf := userForm()
	uf.Del("scope")
	resp, body = f.post(t, "/"+testTenant+"/oauth2/token", uf, nil)
	if resp.StatusCode != http.StatusOK || body["resource"] != GraphAudience || body["scope"] == nil {
		t.Errorf("v1 password: %d %v", resp.StatusCode, body)
	}
}

func TestTenantPathCaseInsensitive(t *testing.T) {
	f := newFixture(t, "")
	for _, p := range []string{
		"/CONTOSO.COM/oauth2/v2.0/token",
		"/Organizations/OAuth2/V2.0/Token",
		"/" + strings.ToUpper(testTenant) + "/oauth2/v2.0/token",
		"/Common/oauth2/token",
	} {
		resp, body := f.post(t, p, appForm(), nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d %v", p, resp.StatusCode, body)
			continue
		}
		c := decodeSegment(t, strings.Split(body["access_token"].(string), ".")[1])
		if c["iss"] != f.srv.URL+"/"+testTenant+"/v2.0" {
			t.Errorf("%s: iss = %v", p, c["iss"])
		}
	}
}
