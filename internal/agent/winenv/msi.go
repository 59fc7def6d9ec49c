package winenv

import (
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// uninstallKey is where installed products are listed; uninstallKey32 is
// its 32-bit view on 64-bit Windows.
const (
	uninstallKey   = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\`
	uninstallKey32 = `HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\`
)

// NormalizeProductCode returns an MSI product code as {XXXXXXXX-…} in upper
// case (braces optional on input).
func NormalizeProductCode(code string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	c = "{" + strings.TrimSuffix(strings.TrimPrefix(c, "{"), "}") + "}"
	if len(c) != 38 {
		return "", fmt.Errorf("product code %q is not a GUID such as {23170F69-40C1-2702-2201-000001000000}", code)
	}
	for i, r := range c[1:37] {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if r != '-' {
				return "", fmt.Errorf("product code %q is not a GUID such as {23170F69-40C1-2702-2201-000001000000}", code)
			}
		} else if !strings.ContainsRune("0123456789ABCDEF", r) {
			return "", fmt.Errorf("product code %q is not a GUID such as {23170F69-40C1-2702-2201-000001000000}", code)
		}
	}
	return c, nil
}

// RegisterProduct records an installed product as an MSI does: the key
// HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{GUID} with
// DisplayName, DisplayVersion and WindowsInstaller = 1.
func (e *Env) RegisterProduct(productCode, name, version string) error {
	code, err := NormalizeProductCode(productCode)
	if err != nil {
		return fmt.Errorf("registering a product: %w", err)
	}
	if _, err := ParseVersion(version); err != nil {
		return fmt.Errorf("registering product %s: %w", code, err)
	}
	for _, v := range []struct {
		name string
		v    Value
	}{{"DisplayName", Value{RegSZ, name}}, {"DisplayVersion", Value{RegSZ, version}}, {"WindowsInstaller", Value{RegDWORD, "1"}}} {
		if err := e.reg.Set(uninstallKey+code, v.name, v.v); err != nil {
			return fmt.Errorf("registering product %s: %w", code, err)
		}
	}
	return nil
}

// installedVersion returns the DisplayVersion of an installed product
// (64-bit view first); found is false when it is not installed.
func (e *Env) installedVersion(code string) (version string, found bool, err error) {
	for _, base := range []string{uninstallKey, uninstallKey32} {
		ok, err := e.reg.KeyExists(base + code)
		if err != nil || !ok {
			if err != nil {
				return "", false, err
			}
			continue
		}
		v, _, err := e.reg.Get(base+code, "DisplayVersion")
		return v.Data, true, err
	}
	return "", false, nil
}

// MSIDetect reports whether the product is installed, at minVersion or
// later when minVersion is not "".
func (e *Env) MSIDetect(productCode, minVersion string) (bool, error) {
	ok, _, err := e.productRule(productCode, apps.OpGreaterThanOrEqual, minVersion)
	return ok, err
}

// evalProductCode evaluates a product code rule.
func (e *Env) evalProductCode(r apps.Rule) (bool, string, error) {
	op := r.Operator
	if r.ProductVersion == "" {
		op = apps.OpNotConfigured
	}
	return e.productRule(r.ProductCode, op, r.ProductVersion)
}

// productRule checks that a product is installed and, unless op is
// OpNotConfigured or "" or want is "", that its version compares as op says.
func (e *Env) productRule(productCode string, op apps.Operator, want string) (bool, string, error) {
	code, err := NormalizeProductCode(productCode)
	if err != nil {
		return false, "", err
	}
	have, found, err := e.installedVersion(code)
	if err != nil {
		return false, "", fmt.Errorf("looking up product %s: %w", code, err)
	}
	if !found {
		return false, "product " + code + " is not installed", nil
	}
	if op == "" || op == apps.OpNotConfigured || want == "" {
		return true, "product " + code + " is installed", nil
	}
	w, err := ParseVersion(want)
	if err != nil {
		return false, "", err
	}
	h, err := ParseVersion(have)
	if err != nil {
		return false, fmt.Sprintf("product %s is installed with version %q, which is not a version", code, have), nil
	}
	ok, err := holds(op, h.Compare(w))
	if err != nil {
		return false, "", err
	}
	return ok, fmt.Sprintf("product %s version %s %s %s %s", code, have, opText(op), want, verdict(ok)), nil
}
