package token

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// goodClaims is a valid payload for the fixture's service, as a map to tweak.
func goodClaims(base string) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": base + "/" + testTenant + "/v2.0", "aud": GraphAudience, "tid": testTenant,
		"oid": testAppOID, "sub": testAppOID, "appid": testClientID, "azp": testClientID,
		"idtyp": "app", "ver": "2.0", "jti": "x",
		"iat": testEpoch.Unix(), "nbf": testEpoch.Unix(), "exp": testEpoch.Add(time.Hour).Unix(),
	}
}

// sign signs claims with method and key, with the given kid.
func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	raw, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func issueApp(t *testing.T, f *fixture) string {
	t.Helper()
	tok, err := f.svc.Issue(context.Background(), IssueRequest{Principal: Principal{
		Kind: KindApp, ObjectID: testAppOID, Name: testClientID, TenantID: testTenant}})
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

func TestVerifyExpiry(t *testing.T) {
	f := newFixture(t, "https://login.example.test")
	raw := issueApp(t, f)
	ctx := context.Background()

	f.clock.Add(time.Hour + 30*time.Second) // past exp, inside the leeway
	if _, _, err := f.svc.Verify(ctx, raw); err != nil {
		t.Fatalf("inside leeway: %v", err)
	}
	f.clock.Add(31 * time.Second)
	_, _, err := f.svc.Verify(ctx, raw)
	if !errors.Is(err, ErrExpired) || errors.Is(err, ErrInvalid) {
		t.Fatalf("expired: %v", err)
	}

	f.clock.Add(-time.Hour - 61*time.Second - 2*time.Minute) // before nbf/iat beyond the leeway
	if _, _, err := f.svc.Verify(ctx, raw); !errors.Is(err, ErrInvalid) {
		t.Fatalf("not yet valid: %v", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	const base = "https://login.example.test"
	f := newFixture(t, base)
	ctx := context.Background()
	good := issueApp(t, f)
	kid := f.keys.kid
	key := f.keys.current

	other, _, _ := GenerateKey()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	rawPub, _ := key.PublicKey.Bytes()

	parts := strings.Split(good, ".")
	payload := decodeSegment(t, parts[1])
	payload["roles"] = []string{"Everything"}
	forged, _ := json.Marshal(payload)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(forged) + "." + parts[2]

	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT","kid":"` + kid + `"}`))
	with := func(k string, v any) jwt.MapClaims {
		c := goodClaims(base)
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}

	cases := map[string]string{
		"empty":              "",
		"garbage":            "not.a.jwt",
		"other key same kid": sign(t, jwt.SigningMethodES256, other, kid, goodClaims(base)),
		"unknown kid":        sign(t, jwt.SigningMethodES256, other, "nope", goodClaims(base)),
		"no kid":             sign(t, jwt.SigningMethodES256, key, "", goodClaims(base)),
		"tampered payload":   tampered,
		"truncated sig":      good[:len(good)-4],
		"alg none":           noneHeader + "." + parts[1] + ".",
		"alg none lib":       sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, kid, goodClaims(base)),
		"HS256 pem pubkey":   sign(t, jwt.SigningMethodHS256, pubPEM, kid, goodClaims(base)),
		"HS256 raw pubkey":   sign(t, jwt.SigningMethodHS256, rawPub, kid, goodClaims(base)),
		"RS256":              sign(t, jwt.SigningMethodRS256, rsaKey, kid, goodClaims(base)),
		"ES384":              sign(t, jwt.SigningMethodES384, mustP384(t), kid, goodClaims(base)),
		"wrong audience":     sign(t, jwt.SigningMethodES256, key, kid, with("aud", "api://other")),
		"no audience":        sign(t, jwt.SigningMethodES256, key, kid, with("aud", nil)),
		"wrong issuer":       sign(t, jwt.SigningMethodES256, key, kid, with("iss", "https://evil.test/"+testTenant+"/v2.0")),
		"issuer other tid":   sign(t, jwt.SigningMethodES256, key, kid, with("tid", "00000000-0000-0000-0000-000000000000")),
		"no exp":             sign(t, jwt.SigningMethodES256, key, kid, with("exp", nil)),
		"no nbf":             sign(t, jwt.SigningMethodES256, key, kid, with("nbf", nil)),
		"no iat":             sign(t, jwt.SigningMethodES256, key, kid, with("iat", nil)),
		"future iat":         sign(t, jwt.SigningMethodES256, key, kid, with("iat", testEpoch.Add(time.Hour).Unix())),
		"string exp":         sign(t, jwt.SigningMethodES256, key, kid, with("exp", "tomorrow")),
		"ver 1.0":            sign(t, jwt.SigningMethodES256, key, kid, with("ver", "1.0")),
		"no oid":             sign(t, jwt.SigningMethodES256, key, kid, with("oid", nil)),
		"bad idtyp":          sign(t, jwt.SigningMethodES256, key, kid, with("idtyp", "device")),
		"app without appid":  sign(t, jwt.SigningMethodES256, key, kid, with("appid", nil)),
		"user without upn":   sign(t, jwt.SigningMethodES256, key, kid, with("idtyp", "user")),
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			if _, _, err := f.svc.Verify(ctx, raw); !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want ErrInvalid", err)
			}
		})
	}

	// Sanity: the same helper with untouched claims verifies, and so does
	// Graph's app id as audience.
	for _, aud := range []any{GraphAudience, GraphAppID, []string{"x", GraphAudience}} {
		if _, _, err := f.svc.Verify(ctx, sign(t, jwt.SigningMethodES256, key, kid, with("aud", aud))); err != nil {
			t.Errorf("aud %v: %v", aud, err)
		}
	}
}

func mustP384(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestVerifyIssuerUnconfigured(t *testing.T) {
	f := newFixture(t, "")
	key, kid := f.keys.current, f.keys.kid
	ok := []string{"http://127.0.0.1:8080", "https://login.corp.example", "http://[::1]:9000"}
	for _, base := range ok {
		if _, _, err := f.svc.Verify(context.Background(), sign(t, jwt.SigningMethodES256, key, kid, goodClaims(base))); err != nil {
			t.Errorf("%s: %v", base, err)
		}
	}
	for _, iss := range []string{
		"ftp://host/" + testTenant + "/v2.0", "https://host/" + testTenant, "https://host/x/" + testTenant + "/v2.0",
		"https://host/" + testTenant + "/v2.0?x=1", "https://u@host/" + testTenant + "/v2.0", "/" + testTenant + "/v2.0",
	} {
		c := goodClaims("")
		c["iss"] = iss
		if _, _, err := f.svc.Verify(context.Background(), sign(t, jwt.SigningMethodES256, key, kid, c)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v", iss, err)
		}
	}
}

func TestVerifyKeyRotationAndStoreErrors(t *testing.T) {
	f := newFixture(t, "")
	ctx := context.Background()
	old := issueApp(t, f)
	if _, _, err := f.svc.Verify(ctx, old); err != nil {
		t.Fatal(err)
	}
	f.keys.rotate(t) // new kid: the cached key set must refresh
	fresh := issueApp(t, f)
	for _, raw := range []string{old, fresh} {
		if _, _, err := f.svc.Verify(ctx, raw); err != nil {
			t.Fatalf("after rotation: %v", err)
		}
	}
	reads := f.keys.reads
	for range 5 { // random kids must not hammer the store
		_, _, _ = f.svc.Verify(ctx, sign(t, jwt.SigningMethodES256, f.keys.current, "unknown", goodClaims("http://h")))
	}
	if f.keys.reads > reads+1 {
		t.Errorf("store read %d times for unknown kids", f.keys.reads-reads)
	}

	// A rotation done elsewhere (another replica) is picked up on an unknown
	// kid once the refresh throttle has passed.
	f.keys.rotate(t)
	elsewhere := sign(t, jwt.SigningMethodES256, f.keys.current, f.keys.kid, goodClaims("http://h"))
	f.clock.Add(2 * time.Second)
	if _, _, err := f.svc.Verify(ctx, elsewhere); err != nil {
		t.Fatalf("key rotated elsewhere: %v", err)
	}

	f.clock.Add(DefaultKeyCacheTTL + time.Second)
	f.keys.fail = errors.New("db down")
	_, _, err := f.svc.Verify(ctx, fresh)
	if err == nil || errors.Is(err, ErrInvalid) || errors.Is(err, ErrExpired) {
		t.Fatalf("store failure must not look like a bad token: %v", err)
	}
}

func TestFromRequest(t *testing.T) {
	const jwtish = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"
	cases := []struct {
		header []string
		want   string
		ok     bool
	}{
		{[]string{"Bearer " + jwtish}, jwtish, true},
		{[]string{"bearer " + jwtish}, jwtish, true},
		{[]string{"BEARER   " + jwtish + " "}, jwtish, true},
		{[]string{jwtish}, jwtish, true},
		{[]string{" " + jwtish}, jwtish, true},
		{nil, "", false},
		{[]string{""}, "", false},
		{[]string{"Bearer"}, "", false},
		{[]string{"Bearer "}, "", false},
		{[]string{"Basic dXNlcjpwYXNz"}, "", false},
		{[]string{"Bearer a.b"}, "", false},
		{[]string{"Bearer a..c"}, "", false},
		{[]string{"Bearer a.b.c d"}, "", false},
		{[]string{"a.b+c.d"}, "", false},
		{[]string{"Bearer " + jwtish, "Bearer " + jwtish}, "", false},
	}
	for _, tc := range cases {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		for _, h := range tc.header {
			r.Header.Add("Authorization", h)
		}
		got, ok := FromRequest(r)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%q: got %q %v, want %q %v", tc.header, got, ok, tc.want, tc.ok)
		}
	}
}

// TestFromRequestThenVerify runs a real token through both header forms.
func TestFromRequestThenVerify(t *testing.T) {
	f := newFixture(t, "")
	raw := issueApp(t, f)
	for _, h := range []string{"Bearer " + raw, raw} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", h)
		got, ok := FromRequest(r)
		if !ok {
			t.Fatalf("%.20q not accepted", h)
		}
		if _, _, err := f.svc.Verify(context.Background(), got); err != nil {
			t.Fatal(err)
		}
	}
}
