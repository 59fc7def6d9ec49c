package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ManifestName is the manifest's name at the root of every package.
const ManifestName = "whiteglove-app.json"

// ManifestSchema is the manifest schema this package reads.
const ManifestSchema = 1

const (
	maxManifestSize = 64 << 10 // bytes
	maxCommandLen   = 1024     // Intune's limit for a command line
	maxLabelLen     = 256      // name, version
)

// Manifest is whiteglove-app.json: what a device runs from the extracted
// package (working directory: the package root). FORMAT.md specifies it.
type Manifest struct {
	Schema           int        `json:"schema"`                     // must be 1
	Name             string     `json:"name,omitempty"`             // display name; optional
	Version          string     `json:"version,omitempty"`          // display version; optional
	Installer        string     `json:"installer"`                  // relative path of the installer file
	InstallCommand   string     `json:"installCommand"`             // command line that installs
	UninstallCommand string     `json:"uninstallCommand,omitempty"` // empty means the app cannot be uninstalled
	Detection        *Detection `json:"detection,omitempty"`        // nil means the app object's rules decide
}

// Detection says how a device tells the app is installed. Type selects the
// fields that apply:
//
//	"msi":      ProductCode ({GUID}); MinVersion compares the product version
//	"file":     Path (absolute, %VARS% allowed); MinVersion compares the file version
//	"registry": KeyPath (HKLM\… or HKCU\…); ValueName must exist if set; Value must equal it if set
type Detection struct {
	Type        string `json:"type"`
	ProductCode string `json:"productCode,omitempty"`
	Path        string `json:"path,omitempty"`
	KeyPath     string `json:"keyPath,omitempty"`
	ValueName   string `json:"valueName,omitempty"`
	Value       string `json:"value,omitempty"`
	MinVersion  string `json:"minVersion,omitempty"`
}

// parseManifest decodes and validates the manifest; files holds the names
// of the package's regular files.
func parseManifest(data []byte, files map[string]bool) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, manifestError("not valid JSON for schema 1: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Manifest{}, manifestError("data after the JSON object")
	}
	switch {
	case m.Schema == 0:
		return Manifest{}, manifestError(`"schema" is missing: set "schema": %d`, ManifestSchema)
	case m.Schema != ManifestSchema:
		return Manifest{}, manifestError("schema %d is not supported (this server reads %d)", m.Schema, ManifestSchema)
	case len(m.Name) > maxLabelLen || len(m.Version) > maxLabelLen:
		return Manifest{}, manifestError("name and version are limited to %d bytes", maxLabelLen)
	case m.Installer == "":
		return Manifest{}, manifestError(`"installer" is missing: name the installer file, relative to the package root`)
	}
	if name, _, err := cleanName(m.Installer, false); err != nil || name != m.Installer {
		return Manifest{}, manifestError("installer %q is not a clean relative path", m.Installer)
	}
	if m.Installer == ManifestName || !files[m.Installer] {
		return Manifest{}, manifestError("installer %q is not a file in the package", m.Installer)
	}
	if err := checkCommand("installCommand", m.InstallCommand, true); err != nil {
		return Manifest{}, err
	}
	if err := checkCommand("uninstallCommand", m.UninstallCommand, false); err != nil {
		return Manifest{}, err
	}
	if m.Detection != nil {
		if err := m.Detection.validate(); err != nil {
			return Manifest{}, manifestError("detection: %v", err)
		}
	}
	return m, nil
}

func manifestError(format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidPackage, ManifestName, fmt.Sprintf(format, args...))
}

func checkCommand(field, cmd string, required bool) error {
	switch {
	case cmd == "" && required:
		return manifestError("%q is missing", field)
	case len(cmd) > maxCommandLen:
		return manifestError("%q is longer than %d bytes", field, maxCommandLen)
	case strings.ContainsFunc(cmd, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return manifestError("%q contains a control character (a line break?)", field)
	}
	return nil
}

func (d *Detection) validate() error {
	set := func(s string) bool { return s != "" }
	switch d.Type {
	case "msi":
		if !isGUID(d.ProductCode) || set(d.Path) || set(d.KeyPath) || set(d.ValueName) || set(d.Value) {
			return fmt.Errorf(`type "msi" takes "productCode" ({XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}) and optionally "minVersion"`)
		}
	case "file":
		if !isWindowsAbs(d.Path) || set(d.ProductCode) || set(d.KeyPath) || set(d.ValueName) || set(d.Value) {
			return fmt.Errorf(`type "file" takes "path" (absolute, like C:\… or %%ProgramFiles%%\…) and optionally "minVersion"`)
		}
	case "registry":
		upper := strings.ToUpper(d.KeyPath)
		hive := strings.HasPrefix(upper, `HKLM\`) || strings.HasPrefix(upper, `HKEY_LOCAL_MACHINE\`) ||
			strings.HasPrefix(upper, `HKCU\`) || strings.HasPrefix(upper, `HKEY_CURRENT_USER\`)
		if !hive || set(d.ProductCode) || set(d.Path) || set(d.MinVersion) || (set(d.Value) && !set(d.ValueName)) {
			return fmt.Errorf(`type "registry" takes "keyPath" (HKLM\… or HKCU\…), optionally "valueName", and "value" only with "valueName"`)
		}
	default:
		return fmt.Errorf(`"type" must be "msi", "file" or "registry", not %q`, d.Type)
	}
	if d.MinVersion != "" && !isVersion(d.MinVersion) {
		return fmt.Errorf("minVersion %q is not 1 to 4 dot-separated numbers", d.MinVersion)
	}
	for _, s := range []string{d.Path, d.KeyPath, d.ValueName, d.Value} {
		if len(s) > maxCommandLen || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 }) {
			return fmt.Errorf("a field is longer than %d bytes or contains a control character", maxCommandLen)
		}
	}
	return nil
}

// isGUID reports whether s is {8-4-4-4-12} hex digits in braces.
func isGUID(s string) bool {
	if len(s) != 38 || s[0] != '{' || s[37] != '}' {
		return false
	}
	for i := 1; i < 37; i++ {
		c := s[i]
		if i == 9 || i == 14 || i == 19 || i == 24 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// isWindowsAbs reports whether p is an absolute Windows path (C:\…) or
// starts with an environment variable (%ProgramFiles%\…).
func isWindowsAbs(p string) bool {
	if len(p) >= 3 && p[1] == ':' && p[2] == '\\' && ('a' <= p[0]|0x20 && p[0]|0x20 <= 'z') {
		return true
	}
	if rest, ok := strings.CutPrefix(p, "%"); ok {
		v, _, ok := strings.Cut(rest, "%")
		return ok && v != ""
	}
	return false
}

// isVersion reports whether v is 1 to 4 dot-separated decimal numbers.
func isVersion(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) > 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 9 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}
