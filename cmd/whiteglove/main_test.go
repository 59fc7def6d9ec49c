package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunCommands(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run([]string{"version"}, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "whiteglove ") {
		t.Fatalf("version: %v %q", err, out.String())
	}
	if err := run(nil, &out, &errOut); err == nil {
		t.Fatal("no command accepted")
	}
	if err := run([]string{"frobnicate"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
	if err := run([]string{"serve", "extra"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "no arguments") {
		t.Fatalf("serve with arguments: %v", err)
	}
	if err := run([]string{"serve", "--log-format", "xml"}, &out, &errOut); err == nil || !strings.Contains(err.Error(), "text or json") {
		t.Fatalf("bad log format: %v", err)
	}
	conf := filepath.Join(t.TempDir(), "wg.conf")
	if err := os.WriteFile(conf, []byte("listn = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"serve", "--config", conf}, &out, &errOut); err == nil || !strings.Contains(err.Error(), `unknown setting "listn"`) {
		t.Fatalf("settings typo: %v", err)
	}
}

func TestServeRefusesBadDatabase(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run([]string{"serve", "--db", "mysql://x", "--data", t.TempDir()}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "unsupported database") {
		t.Fatalf("mysql DSN: %v", err)
	}
}
