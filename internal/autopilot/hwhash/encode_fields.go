package hwhash

import (
	"encoding/binary"
	"math"
)

// encode writes every record of h in the order Windows writes them:
// 1, 2, 34, 5, 3, 4, 6*, 7*, 8*, 9*, 27*, 10, 13, 25, 11, 12, 14, 15, 16, 17,
// 18, 19, 23, 20, 21, 22, 24, 26, 28, 29*, 30*, 35, 36, 37, then Extra.
func (e *encoder) encode(h *Hash) {
	le := binary.LittleEndian
	e.tool(h)
	if p := h.Processor; p != nil {
		v := make([]byte, 0, 12)
		for _, x := range [...]uint16{p.Architecture, p.Packages, p.Cores, p.LogicalProcessors} {
			v = le.AppendUint16(v, x)
		}
		e.raw(tProcessor, append(v, b2u(p.HyperThreading), 0, 0, 0))
	}
	if h.CoreClasses != nil {
		if len(h.CoreClasses) > math.MaxUint8 {
			e.fail("%d core classes, at most 255", len(h.CoreClasses))
		}
		v := []byte{byte(len(h.CoreClasses))}
		for _, c := range h.CoreClasses {
			v = le.AppendUint16(append(v, c.EfficiencyClass), c.Cores)
			v = le.AppendUint16(v, c.LogicalProcessors)
		}
		e.raw(tCoreClasses, v)
	}
	if m := h.Memory; m != nil {
		v := le.AppendUint64(make([]byte, 0, 21), m.TotalGB)
		v = le.AppendUint64(v, m.MaxCapacityGB)
		v = le.AppendUint16(v, m.Slots)
		v = le.AppendUint16(v, m.Arrays)
		e.raw(tMemory, append(v, m.ErrorCorrection))
	}
	e.ansiIfSet(tCPUVendor, h.ProcessorManufacturer, 0)
	e.ansiIfSet(tCPUModel, h.ProcessorModel, cpuModelPad(h.Processor))
	for _, d := range h.Disks {
		v := le.AppendUint64(make([]byte, 0, 12), d.CapacityGB)
		v = le.AppendUint16(v, d.BusType)
		e.raw(tDisk, append(v, d.SeekPenalty, d.TrimEnabled))
	}
	for _, s := range h.DiskSerials {
		e.ansi(tDiskSerial, s, true, 0)
	}
	e.network(h)
	for _, d := range h.Displays {
		v := make([]byte, 0, 12)
		for _, x := range [...]uint16{d.WidthMM, d.HeightMM, d.HorizontalPixels, d.VerticalPixels} {
			v = le.AppendUint16(v, x)
		}
		e.raw(tDisplay, le.AppendUint32(v, d.OutputTechnology))
	}
	for _, p := range h.PanelSizes {
		e.raw(tPanel, le.AppendUint16(le.AppendUint16(nil, p.WidthCM), p.HeightCM))
	}
	if c := h.Chassis; c != nil {
		e.raw(tChassis, []byte{c.Type, c.PowerPlatformRole, c.Flag, c.Digitizer, c.MaxTouches})
	}
	e.ansiIfSet(tTPMVersion, h.TPMVersion, 0)
	if h.TPMEKPublic != nil {
		e.raw(tEKPub, h.TPMEKPublic)
	}
	if o := h.OfflineDeviceID; o != nil {
		v := le.AppendUint32(make([]byte, 0, 10+len(o.ID)), o.Status)
		v = le.AppendUint32(append(v, o.Type, o.Flag), uint32(len(o.ID)))
		e.raw(tOfflineID, append(v, o.ID...))
	}
	if h.SMBIOSUUID != "" {
		u, ok := parseGUID(h.SMBIOSUUID)
		if !ok {
			e.fail("SMBIOSUUID %q is not a GUID", h.SMBIOSUUID)
		}
		e.raw(tUUID, u[:])
	}
	for _, typ := range ansiOrder {
		e.ansiIfSet(typ, *ansiField(h, typ), 0)
	}
	for _, g := range h.GPUs {
		v := le.AppendUint64(make([]byte, 0, 18), g.DedicatedVideoMemory)
		v = le.AppendUint64(v, g.DedicatedSystemMemory)
		e.raw(tGPU, append(v, g.RemovalPolicy, b2u(g.InLocalMachineContainer)))
	}
	for _, s := range h.GPUNames {
		e.utf16(tGPUName, s)
	}
	if h.Unknown35 != nil {
		e.raw(tUnknown35, h.Unknown35)
	}
	e.ansiIfSet(tLocale, h.Locale, 0)
	if h.SppHWID != nil {
		e.raw(tSppHWID, h.SppHWID)
	}
	for _, r := range h.Extra {
		if int(r.Type) < numTypes && fieldInfos[r.Type].name != "" {
			e.fail("Extra record has the known type %d (%s); set the field instead", r.Type, fieldInfos[r.Type].name)
		}
		e.raw(r.Type, r.Value)
	}
}

// cpuModelPad is the length T4 is NUL-padded to: an x86 CPUID brand string
// is 48 bytes; ARM devices write the bare string.
func cpuModelPad(p *Processor) int {
	if p != nil && (p.Architecture == archARM || p.Architecture == archARM64) {
		return 0
	}
	return 48
}

// PROCESSOR_ARCHITECTURE_* values of the ARM family.
const (
	archARM   = 5
	archARM64 = 12
)

// ansiIfSet writes a NUL-terminated ANSI record when s is not empty.
func (e *encoder) ansiIfSet(typ int, s string, pad int) {
	if s != "" {
		e.ansi(typ, s, false, pad)
	}
}

// network writes the T8 records from NetworkAdapters, or from MACs when
// there are no adapters.
func (e *encoder) network(h *Hash) {
	adapters := h.NetworkAdapters
	if len(adapters) == 0 {
		adapters = make([]NetworkAdapter, len(h.MACs))
		for i, m := range h.MACs {
			adapters[i].MAC = m
		}
	} else if h.MACs != nil && !sameMACs(h.MACs, adapters) {
		e.fail("MACs %q disagree with NetworkAdapters", h.MACs)
	}
	le := binary.LittleEndian
	for _, a := range adapters {
		mac, ok := parseMAC(a.MAC)
		if !ok {
			e.fail("MAC %q is not aa:bb:cc:dd:ee:ff", a.MAC)
		}
		off := e.begin(tNetwork)
		e.buf = append(le.AppendUint32(e.buf, a.Medium), mac[:]...)
		e.buf = append(e.buf, 0, 0, 0, 0)
		if a.Bus != "" {
			if e.buf, ok = appendUTF16(e.buf, a.Bus); !ok {
				e.fail("bus name %q contains NUL or invalid UTF-8", a.Bus)
			}
			e.buf = append(e.buf, 0, 0)
		}
		le.PutUint32(e.buf[off+headerLen+10:], uint32(len(e.buf)-off-headerLen-14))
		e.end(off)
	}
}

// b2u converts a bool to a byte.
func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}
