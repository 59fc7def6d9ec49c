package hwinfo

import (
	"bytes"
	"crypto/sha256"
	"strings"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// fillTPM fills T13, T25 and T11. Without an EK the offline device ID is
// a method-3 (UEFI_VARIABLE_RANDOMSEED) ID derived from the UUID and serial
// number, so it is stable across collections.
func fillTPM(h *hwhash.Hash, ek []byte, manufacturer, version string) {
	if ek == nil {
		sum := sha256.Sum256([]byte("whiteglove/hwinfo/oduid/v1\x00" + h.SMBIOSUUID + "\x00" + h.SerialNumber))
		h.OfflineDeviceID = &hwhash.OfflineDeviceID{Type: 3, Flag: 1, ID: sum[:]}
		return
	}
	h.TPMEKPublic = bytes.Clone(ek)
	h.OfflineDeviceID = hwhash.NewTPMOfflineDeviceID(ek)
	h.TPMVersion = TPMVersionString(manufacturer, version)
}

// TPMVersionString returns the T13 string Windows writes for a TPM 2.0
// with this TCG vendor ID and firmware version:
// "TPM-Version:2.0 -Level:0-Revision:1.59-VendorID:'NTC '-Firmware:458754.262144".
// A firmware argument that is already such a string is returned as is.
// Characters the hash cannot carry become '?'.
func TPMVersionString(vendorID, firmware string) string {
	if strings.HasPrefix(firmware, "TPM-Version:") {
		return clean([]byte(firmware))
	}
	v := clean([]byte(vendorID))
	for len(v) < 4 {
		v += " "
	}
	return "TPM-Version:2.0 -Level:0-Revision:1.59-VendorID:'" + v + "'-Firmware:" + clean([]byte(firmware))
}
