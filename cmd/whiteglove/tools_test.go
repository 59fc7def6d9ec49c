package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/autopilot/aptest"
	"github.com/whiteglove/whiteglove/internal/server"
)

func TestAdminToolsAndImport(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	srv, err := server.New(ctx, server.Config{DataDir: data, Demo: true}, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()

	var out, errOut bytes.Buffer
	if err := run([]string{"app", "add", "--data", data, "--name", "importer", "--role", "DeviceManagementServiceConfig.ReadWrite.All"}, &out, &errOut); err != nil {
		t.Fatalf("app add: %v %s", err, errOut.String())
	}
	var clientID, secret string
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "client id:"); ok {
			clientID = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(sc.Text(), "client secret:"); ok {
			secret = strings.TrimSpace(v)
		}
	}
	if clientID == "" || secret == "" {
		t.Fatalf("app add printed %q", out.String())
	}
	if err := run([]string{"app", "add", "--data", data, "--name", "x", "--role", "Nonsense.All"}, &out, &errOut); err == nil {
		t.Fatal("unknown role accepted")
	}
	out.Reset()
	if err := run([]string{"user", "roles", "carol@contoso.example", "--data", data, "--role", "technician"}, &out, &errOut); err != nil || !strings.Contains(out.String(), "technician") {
		t.Fatalf("user roles: %v %q", err, out.String())
	}

	srv, err = server.New(ctx, server.Config{DataDir: data}, slog.New(slog.DiscardHandler), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	csv := "Device Serial Number,Windows Product ID,Hardware Hash,Group Tag\n" +
		"CLI-1,," + aptest.Hash("CLI-1") + ",Lab\n" +
		"CLI-2,,not-a-hash!,Lab\n"
	path := filepath.Join(t.TempDir(), "devices.csv")
	if err := os.WriteFile(path, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WHITEGLOVE_CLIENT_SECRET", secret)
	out.Reset()
	errOut.Reset()
	if err := run([]string{"import", "--server", ts.URL, "--client-id", clientID, "--quiet", path}, &out, &errOut); err != nil {
		t.Fatalf("import: %v %s", err, errOut.String())
	}
	var results []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("result line %q: %v", line, err)
		}
		results = append(results, m)
	}
	if len(results) != 2 || results[0]["result"] != "imported" || results[1]["result"] != "invalidRow" || results[1]["line"] != float64(3) {
		t.Fatalf("results = %v", results)
	}
	if !strings.Contains(errOut.String(), "1 imported") {
		t.Fatalf("summary = %q", errOut.String())
	}
	// A secret that is wrong gets a clear error, nothing else.
	t.Setenv("WHITEGLOVE_CLIENT_SECRET", "wrong-wrong-wrong-wrong")
	if err := run([]string{"import", "--server", ts.URL, "--client-id", clientID, "--quiet", path}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "token") {
		t.Fatalf("wrong secret: %v", err)
	}
}
