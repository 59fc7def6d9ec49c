package hwhash

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"time"
)

// Record types.
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

var fieldInfos = [numTypes]fieldInfo{
	tTool: {"tool/OS", 24, false}, tProcessor: {"processor", 9, false},
	tCPUVendor: {"processor manufacturer", 0, false}, tCPUModel: {"processor model", 0, false},
	tMemory: {"memory", 21, false}, tDisk: {"disk", 12, true}, tDiskSerial: {"disk serial", 0, true},
	tNetwork: {"network adapter", 14, true}, tDisplay: {"display", 12, true},
	tChassis: {"chassis", 5, false}, tOfflineID: {"offline device ID", 10, false},
	tUUID: {"SMBIOS UUID", 16, false}, tTPMVersion: {"TPM version", 0, false},
	tSerial: {"serial number", 0, false}, tBIOSVendor: {"BIOS vendor", 0, false},
	tManufacturer: {"manufacturer", 0, false}, tModel: {"model", 0, false},
	tSKU: {"SKU", 0, false}, tFamily: {"system family", 0, false},
	tBoardMfr: {"board manufacturer", 0, false}, tBoardProduct: {"board product", 0, false},
	tBoardVersion: {"board version", 0, false}, tSystemVersion: {"system version", 0, false},
	tProductKeyID: {"product key ID", 0, false}, tEKPub: {"TPM EK public key", 0, false},
	tProductKeyPkPn: {"product key PkPn", 0, false}, tPanel: {"panel size", 4, true},
	tBootDisk: {"boot disk serial", 0, false}, tGPU: {"GPU", 18, true}, tGPUName: {"GPU name", 0, true},
	tCoreClasses: {"core classes", 1, false}, tUnknown35: {"type 35", 0, false},
	tLocale: {"locale", 0, false}, tSppHWID: {"SppHwid", 0, false},
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

// epoch2000 is the origin of the T1 timestamp.
var epoch2000 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// offsetUnit is the unit of the T1 UTC offset for a tool version.
func offsetUnit(toolVersion int) time.Duration {
	if toolVersion < 5 {
		return time.Minute
	}
	return 15 * time.Minute
}

// decoder accumulates records into h.
type decoder struct {
	h    *Hash
	seen [numTypes]bool
}

// field decodes one record value.
func (d *decoder) field(typ uint16, v []byte) error {
	if int(typ) >= numTypes || fieldInfos[typ].name == "" {
		d.h.Extra = append(d.h.Extra, Record{Type: typ, Value: bytes.Clone(v)})
		return nil
	}
	fi := fieldInfos[typ]
	if len(v) < fi.min {
		return invalidf("%s record (type %d) has %d value bytes, need at least %d", fi.name, typ, len(v), fi.min)
	}
	if !fi.repeats {
		if d.seen[typ] {
			return invalidf("%s record (type %d) appears twice", fi.name, typ)
		}
		d.seen[typ] = true
	}
	h, le := d.h, binary.LittleEndian
	if p := ansiField(h, int(typ)); p != nil {
		*p = ansiString(v)
		return nil
	}
	switch typ {
	case tTool:
		h.ToolBuild = version(le.Uint32(v[0:]), le.Uint32(v[4:]))
		h.OSBuild = version(le.Uint32(v[8:]), le.Uint32(v[12:]))
		h.Generated = epoch2000.Add(time.Duration(le.Uint32(v[16:])) * time.Second)
		h.ToolVersion = int(v[23])
		h.UTCOffset = time.Duration(int8(v[20])) * offsetUnit(h.ToolVersion)
		h.OSType, h.OSArchitecture = v[21], v[22]
	case tProcessor:
		h.Processor = &Processor{
			Architecture: le.Uint16(v[0:]), Packages: le.Uint16(v[2:]), Cores: le.Uint16(v[4:]),
			LogicalProcessors: le.Uint16(v[6:]), HyperThreading: v[8] != 0,
		}
	case tCoreClasses:
		n := int(v[0])
		if len(v) < 1+5*n {
			return invalidf("core classes record (type %d) has %d value bytes, too short for %d classes", typ, len(v), n)
		}
		h.CoreClasses = make([]CoreClass, n)
		for i := range h.CoreClasses {
			e := v[1+5*i:]
			h.CoreClasses[i] = CoreClass{EfficiencyClass: e[0], Cores: le.Uint16(e[1:]), LogicalProcessors: le.Uint16(e[3:])}
		}
	case tMemory:
		h.Memory = &Memory{
			TotalGB: le.Uint64(v[0:]), MaxCapacityGB: le.Uint64(v[8:]),
			Slots: le.Uint16(v[16:]), Arrays: le.Uint16(v[18:]), ErrorCorrection: v[20],
		}
	case tDisk:
		h.Disks = append(h.Disks, Disk{CapacityGB: le.Uint64(v[0:]), BusType: le.Uint16(v[8:]), SeekPenalty: v[10], TrimEnabled: v[11]})
	case tDiskSerial:
		h.DiskSerials = append(h.DiskSerials, ansiString(v))
	case tNetwork:
		n := le.Uint32(v[10:])
		if uint64(n) > uint64(len(v)-14) {
			return invalidf("network adapter record (type %d): bus name of %d bytes overruns the record", typ, n)
		}
		a := NetworkAdapter{Medium: le.Uint32(v[0:]), MAC: formatMAC(v[4:10]), Bus: utf16String(v[14 : 14+n])}
		h.NetworkAdapters = append(h.NetworkAdapters, a)
		h.MACs = append(h.MACs, a.MAC)
	case tDisplay:
		h.Displays = append(h.Displays, Display{
			WidthMM: le.Uint16(v[0:]), HeightMM: le.Uint16(v[2:]),
			HorizontalPixels: le.Uint16(v[4:]), VerticalPixels: le.Uint16(v[6:]), OutputTechnology: le.Uint32(v[8:]),
		})
	case tPanel:
		h.PanelSizes = append(h.PanelSizes, PanelSize{WidthCM: le.Uint16(v[0:]), HeightCM: le.Uint16(v[2:])})
	case tChassis:
		h.Chassis = &Chassis{Type: v[0], PowerPlatformRole: v[1], Flag: v[2], Digitizer: v[3], MaxTouches: v[4]}
	case tOfflineID:
		n := le.Uint32(v[6:])
		if uint64(n) > uint64(len(v)-10) {
			return invalidf("offline device ID record (type %d): ID of %d bytes overruns the record", typ, n)
		}
		h.OfflineDeviceID = &OfflineDeviceID{Status: le.Uint32(v[0:]), Type: v[4], Flag: v[5], ID: bytes.Clone(v[10 : 10+n])}
	case tUUID:
		h.SMBIOSUUID = formatGUID(v[:16])
	case tEKPub:
		h.TPMEKPublic = bytes.Clone(v)
	case tGPU:
		h.GPUs = append(h.GPUs, GPU{
			DedicatedVideoMemory: le.Uint64(v[0:]), DedicatedSystemMemory: le.Uint64(v[8:]),
			RemovalPolicy: v[16], InLocalMachineContainer: v[17] != 0,
		})
	case tGPUName:
		h.GPUNames = append(h.GPUNames, utf16String(v))
	case tUnknown35:
		h.Unknown35 = bytes.Clone(v)
	case tSppHWID:
		h.SppHWID = bytes.Clone(v)
	}
	return nil
}

// version formats a VS_FIXEDFILEINFO-style version pair.
func version(ms, ls uint32) string {
	b := make([]byte, 0, 24)
	b = strconv.AppendUint(b, uint64(ms>>16), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(ms&0xFFFF), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(ls>>16), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(ls&0xFFFF), 10)
	return string(b)
}

const hexDigits = "0123456789abcdef"

// formatMAC formats 6 bytes as "aa:bb:cc:dd:ee:ff".
func formatMAC(m []byte) string {
	b := make([]byte, 0, 17)
	for i, c := range m[:6] {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hexDigits[c>>4], hexDigits[c&0xF])
	}
	return string(b)
}

// guidOrder lists, for each output byte of a Microsoft GUID string, which
// SMBIOS byte it comes from: the first three groups are little-endian.
var guidOrder = [16]int{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15}

// formatGUID formats 16 SMBIOS UUID bytes as a lower-case Microsoft GUID.
func formatGUID(u []byte) string {
	b := make([]byte, 0, 36)
	for i, j := range guidOrder {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[u[j]>>4], hexDigits[u[j]&0xF])
	}
	return string(b)
}
