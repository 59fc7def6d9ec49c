package token

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testTenant   = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	testDomain   = "contoso.com"
	testClientID = "5b1c6a0e-2f4d-4e8a-9c3b-7d6e5f4a3b2c"
	testSecret   = "s3cr3t~Val.ue_with-odd+chars%2F"
	testAppOID   = "0f0e0d0c-0b0a-0908-0706-050403020100"
	testUPN      = "admin@contoso.com"
	testPassword = "Correct Horse Battery Staple!"
	testUserOID  = "11111111-2222-3333-4444-555555555555"
	publicClient = "d1ddf0e4-d672-4dae-b554-9d5bdfd93547"
)

var testEpoch = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// fakeAuthn knows one app and two users (one disabled).
type fakeAuthn struct{}

func (fakeAuthn) AuthenticateClient(_ context.Context, tid, id, secret string) (Principal, error) {
	if tid != testTenant || id != testClientID || secret != testSecret {
		return Principal{}, ErrInvalidClient
	}
	return Principal{Kind: KindApp, ObjectID: testAppOID, Name: id, TenantID: tid,
		Roles: []string{"DeviceManagementServiceConfig.ReadWrite.All"}}, nil
}

func (fakeAuthn) AuthenticateUser(_ context.Context, tid, user, password string) (Principal, error) {
	if tid != testTenant || !strings.EqualFold(user, testUPN) || password != testPassword {
		return Principal{}, ErrInvalidGrant // includes the disabled "off@contoso.com"
	}
	return Principal{Kind: KindUser, ObjectID: testUserOID, Name: testUPN, TenantID: tid,
		Roles: []string{"Intune Administrator"}}, nil
}

// fakeTenants resolves the tenant id, its domain and the multi-tenant aliases.
type fakeTenants struct{}

func (fakeTenants) ResolveTenant(_ context.Context, name string) (string, error) {
	switch strings.ToLower(name) {
	case testTenant, testDomain, "organizations", "common":
		return testTenant, nil
	case "broken.example":
		return "", errors.New("database down")
	}
	return "", ErrUnknownTenant
}

// fakeKeys holds a current key and any number of older ones.
type fakeKeys struct {
	mu      sync.Mutex
	current *ecdsa.PrivateKey
	kid     string
	public  map[string]*ecdsa.PublicKey
	reads   int
	fail    error
}

func newFakeKeys(t testing.TB) *fakeKeys {
	k := &fakeKeys{public: map[string]*ecdsa.PublicKey{}}
	k.rotate(t)
	return k
}

// rotate makes a new current key, keeping the old ones published.
func (k *fakeKeys) rotate(t testing.TB) {
	priv, kid, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.current, k.kid = priv, kid
	k.public[kid] = &priv.PublicKey
}

func (k *fakeKeys) SigningKey(context.Context) (*ecdsa.PrivateKey, string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.current, k.kid, nil
}

func (k *fakeKeys) PublicKeys(context.Context) (map[string]*ecdsa.PublicKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.reads++
	if k.fail != nil {
		return nil, k.fail
	}
	out := make(map[string]*ecdsa.PublicKey, len(k.public))
	for kid, p := range k.public {
		out[kid] = p
	}
	return out, nil
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// fixture is a running service over the fakes.
type fixture struct {
	svc   *Service
	srv   *httptest.Server
	keys  *fakeKeys
	clock *fakeClock
	logs  *syncBuffer
}

// newFixture starts a service; issuer "" means derive it from requests.
func newFixture(t testing.TB, issuer string) *fixture {
	t.Helper()
	f := &fixture{keys: newFakeKeys(t), clock: &fakeClock{now: testEpoch}, logs: &syncBuffer{}}
	svc, err := New(Config{
		Issuer: issuer, Clock: f.clock.Now, Authn: fakeAuthn{}, Tenants: fakeTenants{}, Keys: f.keys,
		Logger: slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	f.srv = httptest.NewServer(svc.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// post sends a form to path and decodes the JSON reply.
func (f *fixture) post(t testing.TB, path string, form url.Values, edit func(*http.Request)) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if edit != nil {
		edit(req)
	}
	return f.do(t, req)
}

func (f *fixture) get(t testing.TB, path string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f.do(t, req)
}

func (f *fixture) do(t testing.TB, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("%s %s: status %d, body %q is not JSON: %v", req.Method, req.URL.Path, resp.StatusCode, raw, err)
	}
	return resp, body
}

// appForm is a valid client-credentials request body.
func appForm() url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID},
		"client_secret": {testSecret}, "scope": {"https://graph.microsoft.com/.default"}}
}

// userForm is a valid password request body.
func userForm() url.Values {
	return url.Values{"grant_type": {"password"}, "client_id": {publicClient}, "username": {testUPN},
		"password": {testPassword}, "scope": {"https://graph.microsoft.com/.default openid offline_access"}}
}

// decodeSegment decodes one base64url JWT segment into a JSON object.
func decodeSegment(t testing.TB, seg string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatalf("segment %q: %v", seg, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("segment %s: %v", raw, err)
	}
	return m
}

// wantOAuthError checks an Entra-style error response.
func wantOAuthError(t testing.TB, resp *http.Response, body map[string]any, status int, code string, aadsts int) {
	t.Helper()
	if resp.StatusCode != status || body["error"] != code {
		t.Fatalf("got %d %v, want %d %s (body %v)", resp.StatusCode, body["error"], status, code, body)
	}
	codes, _ := body["error_codes"].([]any)
	if len(codes) != 1 || codes[0] != float64(aadsts) {
		t.Errorf("error_codes = %v, want [%d]", body["error_codes"], aadsts)
	}
	desc, _ := body["error_description"].(string)
	if !strings.HasPrefix(desc, "AADSTS"+itoa(aadsts)+": ") || !strings.Contains(desc, "Trace ID: ") {
		t.Errorf("error_description = %q", desc)
	}
	for _, k := range []string{"timestamp", "trace_id", "correlation_id"} {
		if s, _ := body[k].(string); s == "" {
			t.Errorf("%s missing", k)
		}
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
