package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/token"
)

// fakeVerifier maps raw tokens to outcomes; it stands in for the token
// service, which has its own tests.
type fakeVerifier map[string]error

func (f fakeVerifier) Verify(_ context.Context, raw string) (token.Principal, token.Claims, error) {
	if err, ok := f[raw]; ok && err != nil {
		return token.Principal{}, token.Claims{}, err
	}
	if raw == "aaa.reader.ccc" {
		return token.Principal{Roles: []string{authz.GroupRead}}, token.Claims{}, nil
	}
	return token.Principal{}, token.Claims{}, fmt.Errorf("%w: unknown", token.ErrInvalid)
}

func newTestRouter() *Router {
	rt := NewRouter(fakeVerifier{
		"aaa.expired.ccc": fmt.Errorf("%w: exp", token.ErrExpired),
		"aaa.broken.ccc":  errors.New("key store down"),
	}, nil)
	write := func(name string) HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request, p Params) {
			writeJSON(w, 200, map[string]any{"route": name, "params": p})
		}
	}
	rt.Handle("GET", "/groups/{id}/members/{memberId}", authz.ReadGroups, write("member"))
	rt.Handle("GET", "/groups/{id}/members/$ref", authz.ReadGroups, write("ref"))
	rt.HandleVersions(BetaOnly, "POST", "/things/{id}/UpdateDeviceProperties", authz.Public(), write("action"))
	rt.Handle("GET", "/boom", authz.Public(), func(http.ResponseWriter, *http.Request, Params) { panic("boom") })
	rt.Handle("GET", "/forgot", authz.Policy{}, write("forgot"))
	return rt
}

func TestRouter(t *testing.T) {
	rt := newTestRouter()
	cases := []struct {
		method, path, tok string
		code              int
		route, errCode    string
	}{
		{"GET", "/v1.0/groups/g1/members/$ref", "aaa.reader.ccc", 200, "ref", ""},
		{"GET", "/v1.0/Groups/g1/MEMBERS/m1", "aaa.reader.ccc", 200, "member", ""},
		{"POST", "/beta/devicemanagement/../things/x/updatedeviceproperties", "", 400, "", CodeBadRequest},
		{"POST", "/beta/things/x/updatedeviceproperties", "", 200, "action", ""},
		{"POST", "/BETA/things/x/UPDATEDEVICEPROPERTIES", "", 200, "action", ""},
		{"POST", "/v1.0/things/x/updateDeviceProperties", "", 400, "", CodeBadRequest}, // beta only
		{"DELETE", "/v1.0/groups/g1/members/$ref", "aaa.reader.ccc", 405, "", CodeMethodNotAllowed},
		{"GET", "/v1.0/groups/g1/members/$ref", "", 401, "", CodeUnauthenticated},
		{"GET", "/v1.0/groups/g1/members/$ref", "aaa.expired.ccc", 401, "", CodeUnauthenticated},
		{"GET", "/v1.0/groups/g1/members/$ref", "aaa.broken.ccc", 503, "", "ServiceUnavailable"},
		{"GET", "/v1.0/forgot", "aaa.reader.ccc", 403, "", CodeForbidden},
		{"GET", "/v2.0/groups", "", 400, "", CodeBadRequest},
		{"GET", "/beta/boom", "", 500, "", CodeInternal},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, c.path, nil)
		if c.tok != "" {
			req.Header.Set("Authorization", "Bearer "+c.tok)
		}
		req.Header.Set("client-request-id", "cid-1")
		w := httptest.NewRecorder()
		rt.ServeHTTP(w, req)
		if w.Code != c.code {
			t.Errorf("%s %s: %d, want %d (%s)", c.method, c.path, w.Code, c.code, w.Body)
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Errorf("%s %s: body %q", c.method, c.path, w.Body)
			continue
		}
		if w.Header().Get("request-id") == "" || w.Header().Get("client-request-id") != "cid-1" {
			t.Errorf("%s %s: request ids not echoed: %v", c.method, c.path, w.Header())
		}
		if c.route != "" && body["route"] != c.route {
			t.Errorf("%s %s: routed to %v, want %s", c.method, c.path, body["route"], c.route)
		}
		if c.errCode != "" {
			e := body["error"].(map[string]any)
			inner := e["innerError"].(map[string]any)
			if e["code"] != c.errCode || inner["client-request-id"] != "cid-1" || inner["request-id"] != w.Header().Get("request-id") {
				t.Errorf("%s %s: error %v", c.method, c.path, e)
			}
		}
	}
	if got := (&Router{}).Routes(); len(got) != 0 {
		t.Fatal("empty router has routes")
	}
}

func TestDuplicateRoutePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("registering a route twice must panic")
		}
	}()
	rt := NewRouter(fakeVerifier{}, nil)
	rt.Handle("GET", "/a/{id}", authz.Public(), nil)
	rt.Handle("GET", "/A/{other}", authz.Public(), nil)
}

func TestObjectIDFromURL(t *testing.T) {
	id := "0d2f1c5e-1111-4222-8333-444455556666"
	for in, ok := range map[string]bool{
		"https://graph.microsoft.com/v1.0/directoryObjects/" + id: true,
		"https://graph.microsoft.com/beta/DirectoryObjects/" + id: true,
		"directoryObjects/" + id:                                  true,
		"https://graph.microsoft.com/v1.0/users/" + id:            true,
		"https://graph.microsoft.com/v1.0/directoryObjects/xyz":   false,
		"": false,
		id: false,
	} {
		got, gotOK := objectIDFromURL(in)
		if gotOK != ok || (ok && got != id) {
			t.Errorf("objectIDFromURL(%q) = %q, %v", in, got, gotOK)
		}
	}
}
