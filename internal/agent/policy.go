package agent

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// Where policies land in the emulated registry: the Policy CSP's
// PolicyManager keys, as Windows keeps them.
const (
	policyDeviceKey = `HKLM\SOFTWARE\Microsoft\PolicyManager\current\device`
	policyUserKey   = `HKCU\SOFTWARE\Microsoft\PolicyManager\current\user`
	omaKey          = `HKLM\SOFTWARE\whiteglove\OMA-URI`
	// WlidsvcKey holds the Microsoft Account sign-in assistant's start type
	// (4 = disabled), which the user flow reads.
	WlidsvcKey = `HKLM\SYSTEM\CurrentControlSet\Services\wlidsvc`
)

// applyPolicy applies a configuration profile. Settings are idempotent;
// a certificate already issued for this profile version is kept.
func (e *engine) applyPolicy(ctx context.Context, category string, it wire.Item) (bool, string, error) {
	p := it.Policy
	user := ""
	if it.Context == "user" {
		user = e.user
	}
	switch p.Kind {
	case "certificate":
		return e.applyCertificate(ctx, it, user)
	case "wifi", "vpn":
		path, err := e.env.Path(`C:\ProgramData\whiteglove\Network\`+p.Kind+"-"+it.ID+".json", user)
		if err != nil {
			return false, "", err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return false, "", err
		}
		if err := journal.WriteFile(path, p.Profile, 0o600); err != nil { // it may hold the network key
			return false, "", err
		}
		key := `HKLM\SOFTWARE\whiteglove\Network\` + it.ID
		if err := e.env.Registry().Set(key, "Version", winenv.Value{Type: "REG_DWORD", Data: fmt.Sprint(p.Version)}); err != nil {
			return false, "", err
		}
		return false, p.Kind + " profile installed", nil
	}
	n := 0
	for _, s := range p.Settings {
		key, name := settingKey(s.OMAURI)
		if strings.HasPrefix(strings.ToLower(s.OMAURI), "./user/") && user == "" {
			// A user setting in the device phase waits for the user.
			continue
		}
		v := winenv.Value{Type: "REG_SZ", Data: s.Value}
		switch s.Type {
		case "integer", "boolean":
			v.Type = "REG_DWORD"
			if s.Type == "boolean" {
				v.Data = map[bool]string{true: "1", false: "0"}[strings.EqualFold(s.Value, "true")]
			}
		}
		if err := e.env.Registry().As(user).Set(key, name, v); err != nil {
			return false, "", fmt.Errorf("writing setting %s: %w", s.OMAURI, err)
		}
		n++
		if strings.EqualFold(strings.TrimPrefix(s.OMAURI, "./Device"), "/Vendor/MSFT/Policy/Config/Accounts/AllowMicrosoftAccountSignInAssistant") && strings.TrimSpace(s.Value) == "0" {
			if err := e.env.Registry().Set(WlidsvcKey, "Start", winenv.Value{Type: "REG_DWORD", Data: "4"}); err != nil {
				return false, "", err
			}
		}
	}
	return false, fmt.Sprintf("%d settings applied", n), nil
}

// settingKey maps an OMA-URI to a registry key and value name:
// ./Device/Vendor/MSFT/Policy/Config/<Area>/<Setting> to the PolicyManager
// key of the area; other URIs under whiteglove's OMA-URI key.
func settingKey(uri string) (string, string) {
	u := strings.TrimSpace(uri)
	lower := strings.ToLower(u)
	for prefix, base := range map[string]string{
		"./device/vendor/msft/policy/config/": policyDeviceKey,
		"./vendor/msft/policy/config/":        policyDeviceKey,
		"./user/vendor/msft/policy/config/":   policyUserKey,
	} {
		if strings.HasPrefix(lower, prefix) {
			rest := u[len(prefix):]
			area, name, ok := strings.Cut(rest, "/")
			if ok && name != "" {
				return base + `\` + area, strings.ReplaceAll(name, "/", "_")
			}
		}
	}
	clean := strings.Trim(strings.ReplaceAll(u, "/", `\`), `.\`)
	i := strings.LastIndex(clean, `\`)
	if i < 0 {
		return omaKey, clean
	}
	return omaKey + `\` + clean[:i], clean[i+1:]
}

// applyCertificate generates a key on the device, asks the service's CA
// for the certificate and installs both in the machine or user store.
func (e *engine) applyCertificate(ctx context.Context, it wire.Item, user string) (bool, string, error) {
	c := it.Policy.Certificate
	if c == nil {
		return false, "", fmt.Errorf("the certificate profile has no request")
	}
	store := `C:\ProgramData\Microsoft\Crypto\whiteglove\` + it.ID
	if c.Store == "user" {
		store = `%APPDATA%\Microsoft\Crypto\whiteglove\` + it.ID
	}
	dir, err := e.env.Path(store, user)
	if err != nil {
		return false, "", err
	}
	certPath := filepath.Join(dir, fmt.Sprintf("v%d.crt", it.Policy.Version))
	if b, err := os.ReadFile(certPath); err == nil {
		if blk, _ := pem.Decode(b); blk != nil {
			if cert, err := x509.ParseCertificate(blk.Bytes); err == nil && time.Now().Before(cert.NotAfter) {
				return true, "certificate already installed: " + cert.Subject.String(), nil
			}
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return false, "", err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: it.ID}}, key)
	if err != nil {
		return false, "", err
	}
	res, err := e.api.Certificate(ctx, wire.CertificateRequest{PolicyID: it.ID, CSR: csr})
	if err != nil {
		return false, "", fmt.Errorf("requesting the certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(res.Certificate)
	if err != nil {
		return false, "", fmt.Errorf("the issued certificate: %w", err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return false, "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, "", err
	}
	if err := journal.WriteFile(filepath.Join(dir, fmt.Sprintf("v%d.key", it.Policy.Version)), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		return false, "", err
	}
	if err := journal.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: res.Certificate}), 0o644); err != nil {
		return false, "", err
	}
	return false, "certificate issued: " + cert.Subject.String(), nil
}
