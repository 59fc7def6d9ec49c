package hwhash

// Record types, named after the Hash field each fills.
const (
	tTool           = 1
	tProcessor      = 2
	tCPUVendor      = 3
	tCPUModel       = 4
	tMemory         = 5
	tDisk           = 6
	tDiskSerial     = 7
	tNetwork        = 8
	tDisplay        = 9
	tChassis        = 10
	tOfflineID      = 11
	tUUID           = 12
	tTPMVersion     = 13
	tSerial         = 14
	tBIOSVendor     = 15
	tManufacturer   = 16
	tModel          = 17
	tSKU            = 18
	tFamily         = 19
	tBoardMfr       = 20
	tBoardProduct   = 21
	tBoardVersion   = 22
	tSystemVersion  = 23
	tProductKeyID   = 24
	tEKPub          = 25
	tProductKeyPkPn = 26
	tPanel          = 27
	tBootDisk       = 28
	tGPU            = 29
	tGPUName        = 30
	tCoreClasses    = 34
	tUnknown35      = 35
	tLocale         = 36
	tSppHWID        = 37
	numTypes        = 38
)

// fieldInfo describes a known record type.
type fieldInfo struct {
	name    string
	min     int  // minimum value length
	repeats bool // may appear more than once
}

// fieldInfos describes the known types; a zero entry is an unknown type.
var fieldInfos = [numTypes]fieldInfo{
	tTool:           {"tool/OS", 24, false},
	tProcessor:      {"processor", 9, false},
	tCPUVendor:      {"processor manufacturer", 0, false},
	tCPUModel:       {"processor model", 0, false},
	tMemory:         {"memory", 21, false},
	tDisk:           {"disk", 12, true},
	tDiskSerial:     {"disk serial", 0, true},
	tNetwork:        {"network adapter", 14, true},
	tDisplay:        {"display", 12, true},
	tChassis:        {"chassis", 5, false},
	tOfflineID:      {"offline device ID", 10, false},
	tUUID:           {"SMBIOS UUID", 16, false},
	tTPMVersion:     {"TPM version", 0, false},
	tSerial:         {"serial number", 0, false},
	tBIOSVendor:     {"BIOS vendor", 0, false},
	tManufacturer:   {"manufacturer", 0, false},
	tModel:          {"model", 0, false},
	tSKU:            {"SKU", 0, false},
	tFamily:         {"system family", 0, false},
	tBoardMfr:       {"board manufacturer", 0, false},
	tBoardProduct:   {"board product", 0, false},
	tBoardVersion:   {"board version", 0, false},
	tSystemVersion:  {"system version", 0, false},
	tProductKeyID:   {"product key ID", 0, false},
	tEKPub:          {"TPM EK public key", 0, false},
	tProductKeyPkPn: {"product key PkPn", 0, false},
	tPanel:          {"panel size", 4, true},
	tBootDisk:       {"boot disk serial", 0, false},
	tGPU:            {"GPU", 18, true},
	tGPUName:        {"GPU name", 0, true},
	tCoreClasses:    {"core classes", 1, false},
	tUnknown35:      {"type 35", 0, false},
	tLocale:         {"locale", 0, false},
	tSppHWID:        {"SppHwid", 0, false},
}

// ansiField returns the Hash field that holds the NUL-terminated ANSI string
// record typ, or nil if typ is not one.
func ansiField(h *Hash, typ int) *string {
	switch typ {
	case tCPUVendor:
		return &h.ProcessorManufacturer
	case tCPUModel:
		return &h.ProcessorModel
	case tTPMVersion:
		return &h.TPMVersion
	case tSerial:
		return &h.SerialNumber
	case tBIOSVendor:
		return &h.BIOSVendor
	case tManufacturer:
		return &h.Manufacturer
	case tModel:
		return &h.Model
	case tSKU:
		return &h.SKU
	case tFamily:
		return &h.SystemFamily
	case tBoardMfr:
		return &h.BoardManufacturer
	case tBoardProduct:
		return &h.BoardProduct
	case tBoardVersion:
		return &h.BoardVersion
	case tSystemVersion:
		return &h.SystemVersion
	case tProductKeyID:
		return &h.ProductKeyID
	case tProductKeyPkPn:
		return &h.ProductKeyPkPn
	case tBootDisk:
		return &h.BootDiskSerial
	case tLocale:
		return &h.Locale
	}
	return nil
}
