package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/server"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestHealthReadinessMetrics(t *testing.T) {
	e := start(t, storetest.Config(t, store.SQLite), false)
	if code, body := get(t, e.url+"/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Fatalf("healthz: %d %q", code, body)
	}
	if code, body := get(t, e.url+"/readyz"); code != 200 || !strings.Contains(body, "ready") {
		t.Fatalf("readyz: %d %q", code, body)
	}
	e.call("GET", "/v1.0/organization", e.appToken(), nil)
	code, body := get(t, e.url+"/metrics")
	if code != 200 {
		t.Fatalf("metrics: %d", code)
	}
	for _, want := range []string{
		`whiteglove_http_requests_total{code="200",method="GET",route="/v1.0/organization"} 1`,
		`whiteglove_http_requests_total{code="200",method="POST",route="token"}`,
		`whiteglove_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	// The database goes away: not ready, but still alive.
	e.srv.Close()
	if code, _ := get(t, e.url+"/readyz"); code != 503 {
		t.Fatalf("readyz with the database closed: %d, want 503", code)
	}
	if code, _ := get(t, e.url+"/healthz"); code != 200 {
		t.Fatalf("healthz with the database closed: %d", code)
	}
}

func TestGeneratedAdminCredentialPrintedOnce(t *testing.T) {
	sc := storetest.Config(t, store.SQLite)
	cfg := server.Config{DataDir: sc.DataDir, Listen: "127.0.0.1:0"}
	var first, second strings.Builder
	s1, err := server.New(context.Background(), cfg, slog.New(slog.DiscardHandler), &first)
	if err != nil {
		t.Fatal(err)
	}
	s1.Close()
	s2, err := server.New(context.Background(), cfg, slog.New(slog.DiscardHandler), &second)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if !strings.Contains(first.String(), "client secret:") {
		t.Fatalf("first start printed no credential: %q", first.String())
	}
	if strings.Contains(second.String(), "client secret:") {
		t.Fatalf("second start printed a credential again: %q", second.String())
	}
	if s1.Tenant.ID != s2.Tenant.ID {
		t.Fatal("a restart created a new tenant")
	}
}

func TestBootstrapCredentialsMustComeTogether(t *testing.T) {
	sc := storetest.Config(t, store.SQLite)
	_, err := server.New(context.Background(), server.Config{DataDir: sc.DataDir, BootstrapClientID: "x"}, slog.New(slog.DiscardHandler), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "must be set together") {
		t.Fatalf("lone client id: %v", err)
	}
}
