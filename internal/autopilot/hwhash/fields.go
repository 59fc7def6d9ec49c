package hwhash

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"time"
)

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
