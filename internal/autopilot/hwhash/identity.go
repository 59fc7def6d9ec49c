package hwhash

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"strings"
)

// fingerprintLabel separates the fingerprint from other SHA-256 uses.
const fingerprintLabel = "whiteglove/hwhash/fingerprint/v1"

// Fingerprint is a stable identity of the device across re-collections: 64
// lower-case hex digits of SHA-256 over the length-prefixed serial number,
// manufacturer, model, SMBIOS UUID (in canonical form) and TPM EK public key. These
// fields do not change between two collections on one device, unlike the
// raw bytes (which contain the collection time), so equal fingerprints mean
// a duplicate. It changes when the firmware's SMBIOS data changes or a TPM is
// enabled or replaced. The derivation is fixed; stored fingerprints stay
// valid across versions of this package.
func (h *Hash) Fingerprint() string {
	if h == nil {
		return ""
	}
	d := sha256.New()
	field := func(b []byte) {
		d.Write(binary.BigEndian.AppendUint32(nil, uint32(len(b))))
		d.Write(b)
	}
	field([]byte(fingerprintLabel))
	field([]byte(h.SerialNumber))
	field([]byte(h.Manufacturer))
	field([]byte(h.Model))
	uuid := strings.ToLower(h.SMBIOSUUID)
	if u, ok := parseGUID(uuid); ok {
		uuid = formatGUID(u[:])
	}
	field([]byte(uuid))
	field(h.TPMEKPublic)
	return hex.EncodeToString(d.Sum(nil))
}

// NewTPMOfflineDeviceID returns the T11 record Windows writes for a device
// with a TPM: method TPM_EK, ID = SHA-256 of the EK public key (as observed in
// every real hash with a TPM).
func NewTPMOfflineDeviceID(ekPublic []byte) *OfflineDeviceID {
	sum := sha256.Sum256(ekPublic)
	return &OfflineDeviceID{Type: 1, ID: sum[:]}
}

// SplitDiskSerial splits a DiskSerials or BootDiskSerial entry,
// "serial|product|vendor", into its trimmed parts; missing parts are "".
func SplitDiskSerial(s string) (serial, product, vendor string) {
	parts := strings.SplitN(s, "|", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])
}

// TPMInfo is the parsed TPMVersion string.
type TPMInfo struct {
	SpecVersion  string // "2.0"
	Level        string // "0"
	Revision     string // "1.59"
	VendorID     string // TCG vendor ID, trimmed: "NTC", "IFX", "MSFT" …
	Manufacturer string // the vendor's name when VendorID is well known, else ""
	Firmware     string // as Windows prints it, e.g. "458754.262144"
}

// tpmKeys are the keys of the TPMVersion string, in order.
var tpmKeys = [...]string{"TPM-Version:", "-Level:", "-Revision:", "-VendorID:", "-Firmware:"}

// tpmVendors maps TCG TPM vendor IDs to manufacturer names.
var tpmVendors = map[string]string{
	"AMD": "AMD", "ATML": "Atmel", "BRCM": "Broadcom", "CSCO": "Cisco",
	"GOOG": "Google", "HPE": "HPE", "IBM": "IBM", "IFX": "Infineon",
	"INTC": "Intel", "LEN": "Lenovo", "MSFT": "Microsoft", "NSM": "National Semiconductor",
	"NTC": "Nuvoton", "NTZ": "Nationz", "QCOM": "Qualcomm", "SMSC": "SMSC",
	"SMSN": "Samsung", "SNS": "Sinosun", "STM": "STMicroelectronics",
	"TXN": "Texas Instruments", "VMW": "VMware", "WEC": "Winbond",
}

// TPM parses TPMVersion ("TPM-Version:2.0 -Level:0-Revision:1.59-VendorID:
// 'NTC '-Firmware:458754.262144"). ok is false when the device has no TPM
// record or the string has none of the expected keys.
func (h *Hash) TPM() (info TPMInfo, ok bool) {
	if h == nil {
		return info, false
	}
	s := h.TPMVersion
	var vals [len(tpmKeys)]string
	for i, k := range tpmKeys {
		j := strings.Index(s, k)
		if j < 0 {
			continue
		}
		ok = true
		rest := s[j+len(k):]
		end := len(rest)
		for _, next := range tpmKeys[i+1:] {
			if n := strings.Index(rest, next); n >= 0 {
				end = n
				break
			}
		}
		vals[i] = strings.TrimSpace(rest[:end])
	}
	info = TPMInfo{SpecVersion: vals[0], Level: vals[1], Revision: vals[2], VendorID: strings.TrimSpace(strings.Trim(vals[3], "'")), Firmware: vals[4]}
	info.Manufacturer = tpmVendors[info.VendorID]
	return info, ok
}
