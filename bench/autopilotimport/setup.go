package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx", for the schema connection

	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/store"
)

const (
	benchSchema  = "wgbench_import"
	clientID     = "0b3c5e1a-7d2f-4e8a-9c61-5f0d2a7b9e43"
	clientSecret = "bench-secret-0123456789abcdef"
	ztdRule      = `(device.devicePhysicalIDs -any (_ -startsWith "[ZTDId]"))`
)

// tenant is one fresh whiteglove service behind a real HTTP listener, with
// a second database handle for verification and the ceiling.
type tenant struct {
	srv    *server.Server
	hs     *httptest.Server
	db     *store.DB
	client *http.Client
	tok    string
	group  string // the dynamic [ZTDId] group
	prof   string // the pre-provisioning profile assigned to it
	closed bool
	tmp    string
}

// newTenant starts a service on a fresh database: a temporary SQLite data
// directory, or the benchmark's own PostgreSQL schema (dropped and created
// again; no other schema is touched).
func newTenant(ctx context.Context, dsn string) (*tenant, error) {
	t := &tenant{}
	cfg := server.Config{TenantName: "Bench", TenantDomain: "bench.example", Seats: 10,
		BootstrapClientID: clientID, BootstrapClientSecret: clientSecret}
	sc := store.Config{}
	if dsn == "" {
		tmp, err := os.MkdirTemp("", "wg-bench-import-")
		if err != nil {
			return nil, err
		}
		t.tmp, cfg.DataDir, sc.DataDir = tmp, tmp, tmp
	} else {
		if err := resetSchema(ctx, dsn, true); err != nil {
			return nil, err
		}
		cfg.DB = withSearchPath(dsn, benchSchema)
		sc.DSN = cfg.DB
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := server.New(ctx, cfg, log, io.Discard)
	if err != nil {
		t.cleanup(ctx, dsn)
		return nil, fmt.Errorf("starting whiteglove: %w", err)
	}
	t.srv = srv
	if t.db, err = store.Open(ctx, sc); err != nil {
		t.cleanup(ctx, dsn)
		return nil, fmt.Errorf("opening a second database handle: %w", err)
	}
	t.hs = httptest.NewServer(srv.Handler())
	t.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	if t.tok, err = t.token(); err != nil {
		t.cleanup(ctx, dsn)
		return nil, err
	}
	if err := t.setupProfile(); err != nil {
		t.cleanup(ctx, dsn)
		return nil, err
	}
	return t, nil
}

// stopService stops the service (HTTP and background processor) and keeps
// the database handle open.
func (t *tenant) stopService() {
	if t.closed {
		return
	}
	t.closed = true
	if t.hs != nil {
		t.hs.Close()
	}
	if t.srv != nil {
		_ = t.srv.Close()
	}
}

// cleanup stops everything and removes the tenant's data.
func (t *tenant) cleanup(ctx context.Context, dsn string) {
	t.stopService()
	if t.db != nil {
		_ = t.db.Close()
	}
	if t.tmp != "" {
		_ = os.RemoveAll(t.tmp)
	}
	if dsn != "" {
		if err := resetSchema(ctx, dsn, false); err != nil {
			fmt.Fprintf(os.Stderr, "dropping schema %s: %v\n", benchSchema, err)
		}
	}
}

// resetSchema drops the benchmark schema and, when create is set, creates
// it empty, over a connection of its own.
func resetSchema(ctx context.Context, dsn string, create bool) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+benchSchema+" CASCADE"); err != nil {
		return fmt.Errorf("dropping schema %s: %w", benchSchema, err)
	}
	if create {
		if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+benchSchema); err != nil {
			return fmt.Errorf("creating schema %s: %w", benchSchema, err)
		}
	}
	return nil
}

func withSearchPath(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func (t *tenant) token() (string, error) {
	res, err := t.client.PostForm(t.hs.URL+"/organizations/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {clientSecret},
		"scope": {"https://graph.microsoft.com/.default"}})
	if err != nil {
		return "", fmt.Errorf("getting a token: %w", err)
	}
	defer res.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || res.StatusCode != 200 || body.AccessToken == "" {
		return "", fmt.Errorf("getting a token: HTTP %d %v", res.StatusCode, err)
	}
	return body.AccessToken, nil
}

// call sends a Graph request with the tenant's token. body is nil, []byte,
// or a value to marshal; out, when not nil, receives the JSON answer.
func (t *tenant) call(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(ctx, method, t.hs.URL+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+t.tok)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := t.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s %s: HTTP %d, not JSON: %.200q", method, path, res.StatusCode, raw)
		}
	}
	return res.StatusCode, nil
}

// setupProfile creates the dynamic [ZTDId] group and a pre-provisioning
// profile assigned to it, over Graph as an admin would.
func (t *tenant) setupProfile() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var g, p, a map[string]any
	code, err := t.call(ctx, "POST", "/v1.0/groups", map[string]any{
		"displayName": "All Autopilot devices", "mailEnabled": false, "mailNickname": "autopilot", "securityEnabled": true,
		"groupTypes": []string{"DynamicMembership"}, "membershipRule": ztdRule, "membershipRuleProcessingState": "On",
	}, &g)
	if err != nil || code != 201 {
		return fmt.Errorf("creating the dynamic group: HTTP %d %v %v", code, err, g)
	}
	t.group, _ = g["id"].(string)
	code, err = t.call(ctx, "POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles", map[string]any{
		"@odata.type": "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "displayName": "Pre-provisioned",
		"preprovisioningAllowed": true,
	}, &p)
	if err != nil || code != 201 || p["preprovisioningAllowed"] != true {
		return fmt.Errorf("creating the profile: HTTP %d %v %v", code, err, p)
	}
	t.prof, _ = p["id"].(string)
	code, err = t.call(ctx, "POST", "/beta/deviceManagement/windowsAutopilotDeploymentProfiles/"+t.prof+"/assignments", map[string]any{
		"target": map[string]any{"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": t.group},
	}, &a)
	if err != nil || code != 201 {
		return fmt.Errorf("assigning the profile: HTTP %d %v %v", code, err, a)
	}
	return nil
}
