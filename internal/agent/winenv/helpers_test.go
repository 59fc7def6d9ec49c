package winenv

import (
	"os"
	"path/filepath"
	"testing"
)

// newEnv opens an Env in a temporary directory.
func newEnv(t testing.TB) *Env {
	t.Helper()
	e, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// writeFile writes a file under the emulated C: drive ("Program Files/X/a.exe").
func writeFile(t testing.TB, e *Env, rel, data string) string {
	t.Helper()
	p := filepath.Join(e.Root, "C", filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
