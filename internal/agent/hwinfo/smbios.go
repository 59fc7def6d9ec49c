package hwinfo

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// dmiDir is where Linux exposes the SMBIOS strings.
const dmiDir = "sys/class/dmi/id/"

// placeholders are SMBIOS values firmware leaves when the OEM filled in
// nothing; they are treated as missing (compared ignoring case).
var placeholders = []string{
	"to be filled by o.e.m.", "to be filled by oem", "default string", "default", "system serial number",
	"system product name", "system manufacturer", "system version", "system sku number", "base board serial number",
	"0123456789", "123456789", "1234567890", "none", "n/a", "na", "not specified", "not applicable",
	"not available", "invalid", "oem", "o.e.m.", "xxxxxxxxxxxx", "chassis serial number", "type1productconfigid",
	"type1family", "type2 - board serial number", "smbios_string_index_0", "00000000", "0", "unknown",
}

// placeholderUUIDs are UUIDs shared by many machines.
var placeholderUUIDs = []string{
	"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
	"03000200-0400-0500-0006-000700080009", "00020003-0004-0005-0006-000700080009",
}

// IsPlaceholder reports whether an SMBIOS string is empty or a value
// firmware leaves when the OEM filled in nothing ("To Be Filled By O.E.M.",
// "Default string", "0123456789" …), which Collect treats as missing.
func IsPlaceholder(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" || strings.Trim(v, "0") == "" || strings.Trim(v, "f") == "" || strings.Trim(v, "?") == "" {
		return true
	}
	for _, p := range placeholders {
		if v == p {
			return true
		}
	}
	return false
}

// dmi reads one SMBIOS string; placeholders read as "".
func dmi(fs sysFS, name string) string {
	v := fs.read(dmiDir + name)
	if IsPlaceholder(v) {
		return ""
	}
	return v
}

// readSMBIOS fills the SMBIOS fields of h.
func readSMBIOS(fs sysFS, h *hwhash.Hash) error {
	var err error
	if h.SerialNumber, err = required(fs, "product_serial"); err != nil {
		return err
	}
	uuid, err := required(fs, "product_uuid")
	if err != nil {
		return err
	}
	uuid = strings.ToLower(uuid)
	if !isGUID(uuid) || slices.Contains(placeholderUUIDs, uuid) {
		return fmt.Errorf("reading the SMBIOS UUID: %s holds %q, which is not a device UUID "+
			"(the firmware sets none); Autopilot needs one", fs.path(dmiDir+"product_uuid"), uuid)
	}
	h.SMBIOSUUID = uuid
	h.Manufacturer = dmi(fs, "sys_vendor")
	if h.Manufacturer == "" {
		h.Manufacturer = dmi(fs, "board_vendor")
	}
	if h.Manufacturer == "" {
		return fmt.Errorf("reading the system manufacturer: %s and %s are missing or placeholders; "+
			"Autopilot needs a manufacturer", fs.path(dmiDir+"sys_vendor"), fs.path(dmiDir+"board_vendor"))
	}
	h.Model = dmi(fs, "product_name")
	h.SystemVersion = dmi(fs, "product_version")
	h.SKU = dmi(fs, "product_sku")
	h.SystemFamily = dmi(fs, "product_family")
	h.BIOSVendor = dmi(fs, "bios_vendor")
	h.BoardManufacturer = dmi(fs, "board_vendor")
	h.BoardProduct = dmi(fs, "board_name")
	h.BoardVersion = dmi(fs, "board_version")
	if t, err := strconv.ParseUint(fs.read(dmiDir+"chassis_type"), 10, 8); err == nil && t > 0 {
		h.Chassis = &hwhash.Chassis{Type: uint8(t), PowerPlatformRole: powerRole(uint8(t))}
	}
	return nil
}

// required reads an SMBIOS string Autopilot cannot do without.
func required(fs sysFS, name string) (string, error) {
	path := fs.path(dmiDir + name)
	v, err := fs.readErr(dmiDir + name)
	switch {
	case errors.Is(err, os.ErrPermission):
		return "", fmt.Errorf("reading %s: %w; run as root (it is readable by root only)", path, err)
	case err != nil || v == "":
		return "", fmt.Errorf("reading %s: missing or empty; run as root (it is readable by root only) "+
			"on a machine with SMBIOS firmware", path)
	case IsPlaceholder(v):
		return "", fmt.Errorf("reading %s: it holds the placeholder %q, not a real value; "+
			"the firmware has none, and Autopilot needs one", path, v)
	}
	return v, nil
}

// powerRole derives POWER_PLATFORM_ROLE from the SMBIOS chassis type.
func powerRole(chassis uint8) uint8 {
	switch chassis {
	case 8, 9, 10, 14: // portable, laptop, notebook, sub notebook
		return 2
	case 30, 31, 32: // tablet, convertible, detachable
		return 8
	case 3, 4, 5, 6, 7, 13, 15, 16, 35, 36: // desktops, towers, all-in-one, mini PC, stick
		return 1
	case 17, 23, 25, 28, 29: // servers, blades
		return 4
	}
	return 0
}

// isGUID reports whether s is 8-4-4-4-12 hex digits.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
		} else if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}
