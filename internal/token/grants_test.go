package token

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

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
