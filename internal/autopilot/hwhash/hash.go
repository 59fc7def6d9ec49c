package hwhash

import "time"

// Hash is a decoded hardware hash. Every field the format carries is
// exposed; a field whose record is absent has its zero value (nil, "" or a
// nil pointer). Field comments give the record type (Tn) and layout.
// Strings never contain NUL and are valid UTF-8: ANSI text is decoded as
// Windows-1252 (a lossless mapping of all 256 byte values), UTF-16LE text
// with invalid surrogates replaced by U+FFFD.
type Hash struct {
	// Raw is the exact decoded blob, checksum and padding included. Decode
	// sets it; Encode ignores it.
	Raw []byte

	// T1: the collecting tool and OS. Generated is zero exactly when T1 is
	// absent; Encode refuses the other T1 fields without it.

	// ToolVersion is the hash format version (3, 5, 7, 8 and 9 seen).
	ToolVersion int
	// ToolBuild is the generator's file version, "major.minor.build.rev".
	ToolBuild string
	// OSBuild is the Windows version, e.g. "10.0.26100.7705".
	OSBuild string
	// Generated is the collection time in UTC, whole seconds since 2000.
	Generated time.Time
	// UTCOffset is the device's offset from UTC at collection time; stored
	// in 15-minute units for ToolVersion >= 5, in minutes before.
	UTCOffset time.Duration
	// OSType is 2 for a full OS.
	OSType uint8
	// OSArchitecture is the OS's PROCESSOR_ARCHITECTURE_* (0 x86, 5 ARM,
	// 9 x64, 12 ARM64).
	OSArchitecture uint8

	// Processor is T2, the CPU topology.
	Processor *Processor
	// CoreClasses is T34, cores per efficiency class (Intel hybrid CPUs).
	CoreClasses []CoreClass
	// Memory is T5.
	Memory *Memory
	// ProcessorManufacturer is T3, the CPUID vendor ("GenuineIntel").
	ProcessorManufacturer string
	// ProcessorModel is T4, the CPUID brand string (NUL-padded to 48 bytes
	// except on ARM).
	ProcessorModel string

	// Disks is T6, one per internal disk.
	Disks []Disk
	// DiskSerials is T7, one per internal disk, verbatim
	// "serial|product|vendor" (no NUL); see SplitDiskSerial.
	DiskSerials []string
	// NetworkAdapters is T8, one per adapter in order. When empty, Encode
	// writes MACs instead.
	NetworkAdapters []NetworkAdapter
	// MACs are the adapters' MAC addresses, "aa:bb:cc:dd:ee:ff", in order.
	// Decode fills it from NetworkAdapters; for Encode it must be nil or
	// match them (Encode also accepts "AA-BB-…" and "aabbcc…").
	MACs []string
	// Displays is T9, one per display.
	Displays []Display
	// PanelSizes is T27: the internal panel size in cm (observed;
	// ff ff ff ff in VMware and QEMU VMs, 0 in Hyper-V).
	PanelSizes []PanelSize
	// Chassis is T10.
	Chassis *Chassis

	// TPMVersion is T13 verbatim, e.g. "TPM-Version:2.0 -Level:0-Revision:
	// 1.59-VendorID:'NTC '-Firmware:458754.262144"; see Hash.TPM. Absent
	// without a TPM.
	TPMVersion string
	// TPMEKPublic is T25, the TPM endorsement key's RSA-2048 modulus
	// (256 bytes, big-endian; the exponent is not stored). Nil without a TPM.
	TPMEKPublic []byte
	// OfflineDeviceID is T11.
	OfflineDeviceID *OfflineDeviceID

	// SMBIOSUUID is T12 as Windows shows it (Win32_ComputerSystemProduct):
	// the 16 SMBIOS bytes read as a Microsoft GUID, lower-case.
	SMBIOSUUID string
	// SerialNumber is T14, the SMBIOS system serial number (QEMU without a
	// serial gives "SMBIOS_STRING_INDEX_0"). Required.
	SerialNumber string
	// BIOSVendor is T15, the SMBIOS firmware vendor.
	BIOSVendor string
	// Manufacturer is T16, the SMBIOS system manufacturer. Required.
	Manufacturer string
	// Model is T17, the SMBIOS system product name.
	Model string
	// SKU is T18, the SMBIOS SKU number.
	SKU string
	// SystemFamily is T19.
	SystemFamily string
	// SystemVersion is T23.
	SystemVersion string
	// BoardManufacturer is T20 (SMBIOS type 2).
	BoardManufacturer string
	// BoardProduct is T21.
	BoardProduct string
	// BoardVersion is T22.
	BoardVersion string
	// ProductKeyID is T24, the 13-digit OA3 product key ID (OEM-activated
	// devices only).
	ProductKeyID string
	// ProductKeyPkPn is T26, e.g. "[TH]X19-99481".
	ProductKeyPkPn string
	// BootDiskSerial is T28, the boot disk's "serial|product|vendor" as the
	// kernel sees it.
	BootDiskSerial string

	// GPUs is T29, one per GPU.
	GPUs []GPU
	// GPUNames is T30 (UTF-16LE), one per GPU in the same order,
	// "Manufacturer|Model".
	GPUNames []string
	// Unknown35 is T35 verbatim (3 bytes on recent laptops; meaning unknown).
	Unknown35 []byte
	// Locale is T36, "OSDefaultLanguage|DefaultSystemLocale|
	// OSDefaultTimeZone|OSInstalledLanguagePacks|KeyboardCode".
	Locale string
	// SppHWID is T37 verbatim (opaque; probably the licensing hardware ID).
	SppHWID []byte

	// Extra holds records of unknown types verbatim, in order. Encode writes
	// them after all known fields.
	Extra []Record
}

// Processor is record T2.
type Processor struct {
	Architecture      uint16 // PROCESSOR_ARCHITECTURE_*
	Packages          uint16
	Cores             uint16
	LogicalProcessors uint16
	HyperThreading    bool
}

// CoreClass is one entry of record T34.
type CoreClass struct {
	EfficiencyClass   uint8
	Cores             uint16
	LogicalProcessors uint16
}

// Memory is record T5. Sizes are in GB.
type Memory struct {
	TotalGB         uint64
	MaxCapacityGB   uint64
	Slots           uint16
	Arrays          uint16
	ErrorCorrection uint8 // SMBIOS: 3 none, 4 parity, 5 single-bit, 6 multi-bit, 7 CRC
}

// Disk is one record T6.
type Disk struct {
	CapacityGB  uint64
	BusType     uint16 // STORAGE_BUS_TYPE: 1 SCSI, 3 ATA, 8 RAID, 0xB SATA, 0x11 NVMe …
	SeekPenalty uint8  // 0 no, 0xFF unknown
	TrimEnabled uint8
}

// NetworkAdapter is one record T8.
type NetworkAdapter struct {
	// Medium is the NDIS_PHYSICAL_MEDIUM: 0 unspecified, 1 WLAN, 8 WWAN,
	// 9 Native 802.11, 10 Bluetooth, 14 802.3.
	Medium uint32
	// MAC is "aa:bb:cc:dd:ee:ff".
	MAC string
	// Bus is the bus name ("PCI", "USB", "BTH", "VMBUS"), UTF-16LE.
	Bus string
}

// Display is one record T9.
type Display struct {
	WidthMM, HeightMM                uint16
	HorizontalPixels, VerticalPixels uint16
	OutputTechnology                 uint32 // 0x80000000 internal; 0xFFFFFFFF in VMs
}

// PanelSize is one record T27.
type PanelSize struct {
	WidthCM, HeightCM uint16
}

// Chassis is record T10.
type Chassis struct {
	Type              uint8 // SMBIOS chassis type: 3 desktop, 0x0A notebook …
	PowerPlatformRole uint8 // POWER_PLATFORM_ROLE: 1 desktop, 2 mobile, 8 slate …
	Flag              uint8 // meaning unverified (an optical drive flag per one decoder)
	Digitizer         uint8 // SM_DIGITIZER flags
	MaxTouches        uint8
}

// OfflineDeviceID is record T11.
type OfflineDeviceID struct {
	Status uint32 // HRESULT, 0
	// Type is the method: 1 TPM_EK, 2 UEFI_VARIABLE_TPM, 3 UEFI_VARIABLE_RANDOMSEED.
	Type uint8
	Flag uint8
	// ID is the 32-byte ODUID; with Type 1 it is SHA-256 of TPMEKPublic.
	ID []byte
}

// GPU is one record T29.
type GPU struct {
	DedicatedVideoMemory    uint64 // bytes
	DedicatedSystemMemory   uint64 // bytes
	RemovalPolicy           uint8  // 1 no removal, 3 (DisplayLink USB)
	InLocalMachineContainer bool
}

// Record is a field record of a type this package does not know.
type Record struct {
	Type  uint16
	Value []byte
}
