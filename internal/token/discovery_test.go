package token

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestDiscovery(t *testing.T) {
	for _, issuer := range []string{"", "https://login.example.test"} {
		f := newFixture(t, issuer)
		base := issuer
		if base == "" {
			base = f.srv.URL
		}
		for _, tenant := range []string{testTenant, "Contoso.com", "common", "organizations"} {
			resp, doc := f.get(t, "/"+tenant+"/v2.0/.well-known/openid-configuration")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %v", tenant, resp.StatusCode, doc)
			}
			want := map[string]string{
				"issuer":                 base + "/" + testTenant + "/v2.0",
				"token_endpoint":         base + "/" + testTenant + "/oauth2/v2.0/token",
				"jwks_uri":               base + "/" + testTenant + "/discovery/v2.0/keys",
				"authorization_endpoint": base + "/" + testTenant + "/oauth2/v2.0/authorize",
			}
			for k, v := range want {
				if doc[k] != v {
					t.Errorf("%s: %s = %v, want %s", tenant, k, doc[k], v)
				}
			}
			lists := map[string][]string{
				"id_token_signing_alg_values_supported": {"ES256"},
				"grant_types_supported":                 {"client_credentials", "password"},
				"token_endpoint_auth_methods_supported": {"client_secret_post", "client_secret_basic"},
				"subject_types_supported":               {"pairwise"},
			}
			for k, v := range lists {
				if got := strs(doc[k]); !slices.Equal(got, v) {
					t.Errorf("%s = %v, want %v", k, got, v)
				}
			}
			if len(strs(doc["response_types_supported"])) == 0 {
				t.Error("response_types_supported empty")
			}
		}
	}
}

func TestDiscoveryErrors(t *testing.T) {
	f := newFixture(t, "")
	resp, body := f.get(t, "/fabrikam.com/v2.0/.well-known/openid-configuration")
	wantOAuthError(t, resp, body, http.StatusBadRequest, "invalid_tenant", 90002)
	resp, body = f.post(t, "/common/discovery/v2.0/keys", nil, nil)
	wantOAuthError(t, resp, body, http.StatusMethodNotAllowed, "invalid_request", 900561)
	resp, body = f.get(t, "/fabrikam.com/discovery/v2.0/keys")
	wantOAuthError(t, resp, body, http.StatusBadRequest, "invalid_request", 90002)
	r, err := f.srv.Client().Get(f.srv.URL + "/" + testTenant + "/oauth2/v2.0/authorize")
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(string(msg), "password grant") {
		t.Errorf("authorize: %d %q", r.StatusCode, msg)
	}
}

func TestJWKS(t *testing.T) {
	f := newFixture(t, "")
	f.keys.rotate(t)
	for _, p := range []string{"/common/discovery/v2.0/keys", "/" + testTenant + "/discovery/v2.0/keys", "/CONTOSO.COM/discovery/keys"} {
		resp, set := f.get(t, p)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		keys, _ := set["keys"].([]any)
		if len(keys) != 2 {
			t.Fatalf("%s: %d keys", p, len(keys))
		}
		for _, k := range keys {
			j := k.(map[string]any)
			if j["kty"] != "EC" || j["crv"] != "P-256" || j["use"] != "sig" || j["alg"] != "ES256" || len(j) != 7 {
				t.Errorf("jwk = %v", j)
			}
			pub, err := ParseJWK(JWK{Kty: "EC", Crv: "P-256", X: j["x"].(string), Y: j["y"].(string)})
			if err != nil {
				t.Fatal(err)
			}
			if kid, _ := KeyID(pub); kid != j["kid"] {
				t.Errorf("kid %v does not match key (%s)", j["kid"], kid)
			}
		}
	}
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
