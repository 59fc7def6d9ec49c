package attest

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// LoadRoots reads every *.pem, *.crt and *.cer file in dir (not its
// subdirectories) as trusted TPM manufacturer roots, PEM (any number of
// CERTIFICATE blocks) or DER. A file that holds no certificate or a bad one
// is an error naming it.
func LoadRoots(dir string) ([]*x509.Certificate, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("load TPM roots: %w", err)
	}
	var roots []*x509.Certificate
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if e.IsDir() || !slices.Contains([]string{".pem", ".crt", ".cer"}, ext) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("load TPM roots: %w", err)
		}
		certs, err := ParseCertificates(b)
		if err != nil {
			return nil, fmt.Errorf("load TPM roots: %s: %w", path, err)
		}
		roots = append(roots, certs...)
	}
	return roots, nil
}

// ParseCertificates parses PEM CERTIFICATE blocks, or one DER certificate.
// Other PEM blocks are skipped; input with no certificate is an error.
func ParseCertificates(b []byte) ([]*x509.Certificate, error) {
	trimmed := bytes.TrimSpace(b)
	if !bytes.HasPrefix(trimmed, []byte("-----BEGIN")) {
		cert, err := x509.ParseCertificate(b)
		if err != nil {
			return nil, fmt.Errorf("neither PEM nor a DER certificate: %w", err)
		}
		return []*x509.Certificate{cert}, nil
	}
	var certs []*x509.Certificate
	rest := trimmed
	for n := 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("PEM block %d: %w", n, err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("no CERTIFICATE in PEM")
	}
	return certs, nil
}
