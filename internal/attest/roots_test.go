package attest_test

import (
	"bytes"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/attest"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

func pemCert(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestLoadRoots(t *testing.T) {
	t.Parallel()
	sim := tpm.SimulationCA().Raw
	other, err := tpm.NewManufacturerCA("Other Vendor")
	if err != nil {
		t.Fatal(err)
	}
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})
	tests := []struct {
		name    string
		files   map[string][]byte
		want    int
		wantErr string // a file the error must name
	}{
		{"empty directory", nil, 0, ""},
		{"one PEM", map[string][]byte{"sim.pem": pemCert(sim)}, 1, ""},
		{"DER .cer and PEM .crt", map[string][]byte{"a.cer": sim, "b.crt": pemCert(other.Cert.Raw)}, 2, ""},
		{"bundle of two", map[string][]byte{"bundle.pem": append(pemCert(sim), pemCert(other.Cert.Raw)...)}, 2, ""},
		{"upper-case extension", map[string][]byte{"A.PEM": pemCert(sim)}, 1, ""},
		{"other blocks skipped", map[string][]byte{"mixed.pem": append(key, pemCert(sim)...)}, 1, ""},
		{"other extensions ignored", map[string][]byte{"readme.txt": []byte("hello"), "sim.pem": pemCert(sim)}, 1, ""},
		{"garbage", map[string][]byte{"ok.pem": pemCert(sim), "bad.crt": []byte("garbage")}, 0, "bad.crt"},
		{"PEM with no certificate", map[string][]byte{"key.pem": key}, 0, "key.pem"},
		{"corrupt PEM certificate", map[string][]byte{"corrupt.pem": pemCert(sim[:len(sim)-5])}, 0, "corrupt.pem"},
		{"empty file", map[string][]byte{"empty.cer": nil}, 0, "empty.cer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, b := range tc.files {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Mkdir(filepath.Join(dir, "sub.pem"), 0o755); err != nil {
				t.Fatal(err)
			}
			roots, err := attest.LoadRoots(dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(roots) != tc.want {
				t.Fatalf("%d roots, want %d", len(roots), tc.want)
			}
		})
	}
	if _, err := attest.LoadRoots(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("a missing directory loaded")
	}
}

func FuzzParseCertificates(f *testing.F) {
	sim := tpm.SimulationCA().Raw
	f.Add(sim)
	f.Add(pemCert(sim))
	f.Add(append(pemCert(sim), pemCert(sim)...))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		certs, err := attest.ParseCertificates(b)
		if err != nil {
			if len(certs) != 0 {
				t.Fatal("certificates returned with an error")
			}
			return
		}
		if len(certs) == 0 {
			t.Fatal("no certificates and no error")
		}
		for _, c := range certs {
			if !bytes.Contains(b, c.Raw) && !bytes.HasPrefix(bytes.TrimSpace(b), []byte("-----BEGIN")) {
				t.Fatal("a DER certificate that is not the input")
			}
		}
	})
}
