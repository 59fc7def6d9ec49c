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
