package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func TestRevokedAccountLosesAccessAtOnce(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), true)
	tok := e.userToken("admin@contoso.example")
	if code, _ := e.call("GET", "/v1.0/groups", tok, nil); code != 200 {
		t.Fatalf("admin before: %d", code)
	}
	_, u := e.call("GET", "/v1.0/users/admin@contoso.example", e.appToken(), nil)
	if code, _ := e.call("PATCH", "/v1.0/users/"+u["id"].(string), e.appToken(), map[string]any{"accountEnabled": false}); code != 204 {
		t.Fatalf("disable: %d", code)
	}
	if code, body := e.call("GET", "/v1.0/groups", tok, nil); code != 401 || !strings.Contains(errMsg(body), "disabled") {
		t.Fatalf("disabled admin's token: %d %v", code, body)
	}
}

func TestStrictnessOfWrites(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), true)
	tok := e.appToken()
	cases := []struct {
		name, method, path, ctype, body string
		code                            int
	}{
		{"wrong @odata.type", "POST", "/v1.0/groups", "application/json", `{"@odata.type":"#microsoft.graph.user","displayName":"G","mailEnabled":false,"mailNickname":"g","securityEnabled":true}`, 400},
		{"XML content type", "POST", "/v1.0/groups", "application/xml", `{"displayName":"G","mailEnabled":false,"mailNickname":"g","securityEnabled":true}`, 415},
		{"unknown group type", "POST", "/v1.0/groups", "application/json", `{"displayName":"G","mailEnabled":false,"mailNickname":"g","securityEnabled":true,"groupTypes":["Bogus"]}`, 400},
		{"licence without sku", "POST", "/v1.0/users/carol@contoso.example/assignLicense", "application/json", `{"addLicenses":[{}],"removeLicenses":[]}`, 400},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, e.url+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", c.ctype)
		if code, body := e.do(req); code != c.code {
			t.Errorf("%s: %d %v, want %d", c.name, code, body, c.code)
		}
	}
	_, gs := e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Pilot users'"), tok, nil)
	gid := values(t, gs)[0]["id"].(string)
	_, u := e.call("GET", "/v1.0/users/carol@contoso.example", tok, nil)
	ref := `{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/` + u["id"].(string) + `","colour":"red"}`
	if code, _ := e.call("POST", "/v1.0/groups/"+gid+"/members/$ref", tok, ref); code != 400 {
		t.Errorf("reference with an extra property: %d", code)
	}
	// members@odata.bind with one unknown object: nothing is created.
	code, _ := e.call("POST", "/v1.0/groups", tok, map[string]any{"displayName": "Bound", "mailEnabled": false, "mailNickname": "b", "securityEnabled": true,
		"members@odata.bind": []string{"https://graph.microsoft.com/v1.0/directoryObjects/" + u["id"].(string), "https://graph.microsoft.com/v1.0/directoryObjects/00000000-0000-4000-8000-000000000000"}})
	if code != 404 {
		t.Errorf("bind to a missing object: %d", code)
	}
	_, gs = e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Bound'"), tok, nil)
	if len(values(t, gs)) != 0 {
		t.Errorf("half-created group left behind: %v", gs)
	}
}

func TestExpandMembersAndMemberOf(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), true)
	tok := e.appToken()
	_, gs := e.call("GET", "/v1.0/groups?$filter="+url.QueryEscape("displayName eq 'Pilot users'")+"&$expand=members&$select=displayName", tok, nil)
	g := values(t, gs)[0]
	members, _ := g["members"].([]any)
	if len(members) != 2 || g["displayName"] != "Pilot users" {
		t.Fatalf("$expand=members: %v", g)
	}
	_, u := e.call("GET", "/v1.0/users/alice@contoso.example?$expand=memberOf", tok, nil)
	if groups, _ := u["memberOf"].([]any); len(groups) != 2 { // Sales users, Pilot users
		t.Fatalf("$expand=memberOf: %v", u["memberOf"])
	}
	if code, _ := e.call("GET", "/v1.0/users/alice@contoso.example?$expand=manager", tok, nil); code != 400 {
		t.Fatalf("unsupported $expand: %d", code)
	}
	if code, _ := e.call("GET", "/v1.0/users/alice@contoso.example?$bogus=1", tok, nil); code != 400 {
		t.Fatalf("unknown option on a single entity: %d", code)
	}
	_, sel := e.call("GET", "/v1.0/users/alice@contoso.example?$SELECT=displayName", tok, nil)
	if _, has := sel["userPrincipalName"]; has {
		t.Fatalf("$SELECT ignored on a single entity: %v", sel)
	}
	// A device's memberships are not readable through /users.
	_, ds := e.call("GET", "/v1.0/devices", tok, nil)
	dev := values(t, ds)[0]["id"].(string)
	if code, _ := e.call("GET", "/v1.0/users/"+dev+"/memberOf", tok, nil); code != 404 {
		t.Fatalf("device through /users/memberOf: %d", code)
	}
	if code, body := e.call("GET", "/v1.0/users/$count", tok, nil); code != 200 || body["text"] != "5" {
		t.Fatalf("$count: %d %v", code, body)
	}
}

func TestPublicURLShapesLinks(t *testing.T) {
	sc := storetest.Config(t, store.SQLite)
	srv, err := server.New(context.Background(), server.Config{DataDir: sc.DataDir, PublicURL: "https://wg.example.com",
		BootstrapClientID: clientID, BootstrapClientSecret: clientSecret, Demo: true}, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); srv.Close() })
	e := &env{t: t, srv: srv, url: ts.URL}
	_, body := e.call("GET", "/v1.0/users?$top=2", e.appToken(), nil)
	if l, _ := body["@odata.nextLink"].(string); !strings.HasPrefix(l, "https://wg.example.com/v1.0/users?") {
		t.Fatalf("nextLink = %q", l)
	}
	if c, _ := body["@odata.context"].(string); !strings.HasPrefix(c, "https://wg.example.com/v1.0/$metadata#users") {
		t.Fatalf("context = %q", c)
	}
}

// TestConcurrentWritesOnReplicas races licence grants and membership
// changes against deletes across two replicas on PostgreSQL.
func TestConcurrentWritesOnReplicas(t *testing.T) {
	sc := storetest.Config(t, store.Postgres)
	a := start(t, sc, false)
	b := start(t, sc, false)
	ctx := context.Background()
	// Seats: 10. Fifteen users ask for a licence at once on two replicas.
	var ids []string
	for i := 0; i < 15; i++ {
		u, err := a.srv.Directory().CreateUser(ctx, directory.NewUser{User: directory.User{UPN: fmt.Sprintf("u%d@contoso.example", i), DisplayName: "U", AccountEnabled: true}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	tenant, _ := a.srv.Directory().Store().Tenant(ctx)
	var wg sync.WaitGroup
	for i, id := range ids {
		e := a
		if i%2 == 1 {
			e = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := map[string]any{"addLicenses": []map[string]any{{"skuId": tenant.SkuID}}, "removeLicenses": []string{}}
			e.call("POST", "/v1.0/users/"+id+"/assignLicense", e.appToken(), body)
		}()
	}
	wg.Wait()
	if n, _ := a.srv.Directory().Store().LicensedUsers(ctx); n > tenant.Seats {
		t.Fatalf("%d licences granted for %d seats", n, tenant.Seats)
	}
	// Add devices to a group on one replica while deleting them on the other.
	g, err := a.srv.Directory().CreateGroup(ctx, directory.Group{DisplayName: "Race", SecurityEnabled: true})
	if err != nil {
		t.Fatal(err)
	}
	var devs []string
	for i := 0; i < 40; i++ {
		d, err := a.srv.Directory().CreateDevice(ctx, directory.Device{DisplayName: fmt.Sprintf("R%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		devs = append(devs, d.ID)
	}
	for _, id := range devs {
		wg.Add(2)
		go func() { defer wg.Done(); _ = a.srv.Directory().AddMember(ctx, g.ID, id) }()
		go func() { defer wg.Done(); _ = b.srv.Directory().DeleteDevice(ctx, id) }()
	}
	wg.Wait()
	ms, err := a.srv.Directory().Store().Members(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 0 {
		t.Fatalf("%d memberships of deleted devices left behind", len(ms))
	}
	if code, _ := a.call("GET", "/v1.0/groups/"+g.ID+"/members", a.appToken(), nil); code != 200 {
		t.Fatalf("members after the race: %d", code)
	}
}
