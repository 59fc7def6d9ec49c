package winenv

import (
	"fmt"
	"os"
	"strconv"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/content"
)

// DetectPackage evaluates a package manifest's detection (see
// internal/content FORMAT.md): "msi" — the product is installed (at
// MinVersion or later); "file" — the file exists (with a file version of
// MinVersion or later); "registry" — the key exists, the value ValueName
// exists, and its data equals Value (numerically for REG_DWORD and
// REG_QWORD). why explains the outcome.
func (e *Env) DetectPackage(d content.Detection, f Facts) (bool, string, error) {
	if err := CheckUser(f.User); err != nil {
		return false, "", fmt.Errorf("detecting the package: %w", err)
	}
	switch d.Type {
	case "msi":
		ok, why, err := e.productRule(d.ProductCode, apps.OpGreaterThanOrEqual, d.MinVersion)
		if err != nil {
			return false, "", fmt.Errorf("detecting the package: %w", err)
		}
		return ok, why, nil
	case "file":
		return e.detectPackageFile(d, f)
	case "registry":
		return e.detectPackageRegistry(d, f)
	}
	return false, "", fmt.Errorf("detecting the package: unknown detection type %q", d.Type)
}

func (e *Env) detectPackageFile(d content.Detection, f Facts) (bool, string, error) {
	p, err := e.Path(d.Path, f.User)
	if err != nil {
		return false, "", fmt.Errorf("detecting the package: %w", err)
	}
	if _, err := os.Stat(p); err != nil {
		if os.IsNotExist(err) {
			return false, d.Path + " does not exist", nil
		}
		return false, "", fmt.Errorf("detecting the package: %w", err)
	}
	if d.MinVersion == "" {
		return true, d.Path + " exists", nil
	}
	want, err := ParseVersion(d.MinVersion)
	if err != nil {
		return false, "", fmt.Errorf("detecting the package: minVersion: %w", err)
	}
	v, ok, err := FileVersion(p)
	switch {
	case err != nil:
		return false, "", fmt.Errorf("detecting the package: %w", err)
	case !ok:
		return false, d.Path + " has no version (no .version file next to it)", nil
	case v.Compare(want) < 0:
		return false, fmt.Sprintf("%s has version %s, below %s", d.Path, v, d.MinVersion), nil
	}
	return true, fmt.Sprintf("%s has version %s, at least %s", d.Path, v, d.MinVersion), nil
}

func (e *Env) detectPackageRegistry(d content.Detection, f Facts) (bool, string, error) {
	reg := e.reg.As(f.User)
	ok, err := reg.KeyExists(d.KeyPath)
	if err != nil {
		return false, "", fmt.Errorf("detecting the package: %w", err)
	}
	if !ok {
		return false, d.KeyPath + " does not exist", nil
	}
	if d.ValueName == "" {
		return true, d.KeyPath + " exists", nil
	}
	v, ok, err := reg.Get(d.KeyPath, d.ValueName)
	if err != nil {
		return false, "", fmt.Errorf("detecting the package: %w", err)
	}
	what := fmt.Sprintf("%s value %q", d.KeyPath, d.ValueName)
	switch {
	case !ok:
		return false, what + " does not exist", nil
	case d.Value == "":
		return true, what + " exists", nil
	case sameData(v, d.Value):
		return true, fmt.Sprintf("%s is %q", what, d.Value), nil
	}
	return false, fmt.Sprintf("%s is %q, not %q", what, v.Data, d.Value), nil
}

// sameData compares registry data with text: numerically for numbers.
func sameData(v Value, want string) bool {
	if v.Type == RegDWORD || v.Type == RegQWORD {
		w, err := parseRegNumber(want, 64)
		return err == nil && strconv.FormatUint(w, 10) == v.Data
	}
	return v.Data == want
}
