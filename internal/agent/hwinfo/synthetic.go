package hwinfo

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

// model is a device the simulator can pretend to be.
type model struct {
	manufacturer, name, sku, family, version, bios, boardProduct string
	cpuVendor, cpu                                               string
	cores, threads                                               uint16
	oui                                                          [3]byte
	tpmVendor, tpmFirmware, diskModel, diskVendor                string
}

// models are common Autopilot laptops.
var models = []model{
	{"LENOVO", "21HDCTO1WW", "LENOVO_MT_21HD_BU_Think_FM_ThinkPad T14 Gen 4", "ThinkPad T14 Gen 4", "ThinkPad T14 Gen 4", "LENOVO", "21HDCTO1WW",
		"GenuineIntel", "13th Gen Intel(R) Core(TM) i7-1365U", 10, 12, [3]byte{0x8c, 0x8c, 0xaa}, "STM", "458752.131072", "SAMSUNG MZVL4512HBLU-00BL7", ""},
	{"HP", "HP EliteBook 840 14 inch G10 Notebook PC", "8A3F6EA#ABA", "103C_5336AN HP EliteBook", "", "HP", "8B41",
		"GenuineIntel", "13th Gen Intel(R) Core(TM) i5-1345U", 10, 12, [3]byte{0x64, 0x4e, 0xd7}, "IFX", "458753.262144", "KIOXIA KXG80ZNV512G", ""},
	{"Dell Inc.", "Latitude 7440", "0C0B", "Latitude", "", "Dell Inc.", "0WMYHX",
		"GenuineIntel", "13th Gen Intel(R) Core(TM) i7-1365U", 10, 12, [3]byte{0x90, 0x09, 0xdf}, "NTC", "458754.262144", "PM9B1 NVMe Samsung 512GB", ""},
	{"Microsoft Corporation", "Surface Laptop 5", "Surface_Laptop_5_1950", "Surface", "124000000000000000000000D:0B:08F:1C:03P:38S:01E:0Y:0K:0U:00", "Microsoft Corporation", "Surface Laptop 5",
		"GenuineIntel", "12th Gen Intel(R) Core(TM) i5-1245U", 10, 12, [3]byte{0x28, 0x16, 0x7f}, "IFX", "458760.327680", "SK hynix BC711 HFM256GD3JX013N", ""},
}

// Synthetic returns a realistic, encodable hardware hash for a simulated
// device with this serial number: the model, UUID, MACs, disk, memory,
// collection time and TPM vendor are all derived from the serial, so the
// same serial always gives the same hash. ekModulus is the simulated TPM's
// EK modulus, or nil for a device without a TPM.
func Synthetic(serial string, ekModulus []byte) *hwhash.Hash {
	seed := sha256.Sum256([]byte("whiteglove/hwinfo/synthetic/v1\x00" + serial))
	rng := rand.New(rand.NewChaCha8(seed))
	m := models[rng.IntN(len(models))]
	u := make([]byte, 16)
	for i := range u {
		u[i] = byte(rng.Uint32())
	}
	u[6], u[8] = u[6]&0x0f|0x40, u[8]&0x3f|0x80
	memGB := []uint64{8, 16, 16, 32, 32, 64}[rng.IntN(6)]
	h := &hwhash.Hash{
		ToolVersion: toolVersion, ToolBuild: toolBuild, OSBuild: fmt.Sprintf("10.0.26100.%d", 2000+rng.IntN(3000)),
		Generated: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(365*86400)) * time.Second),
		UTCOffset: time.Duration(rng.IntN(9)-4) * time.Hour, OSType: 2, OSArchitecture: 9,
		Processor:             &hwhash.Processor{Architecture: 9, Packages: 1, Cores: m.cores, LogicalProcessors: m.threads, HyperThreading: true},
		Memory:                &hwhash.Memory{TotalGB: memGB, MaxCapacityGB: 64, Slots: 2, Arrays: 1, ErrorCorrection: 3},
		ProcessorManufacturer: m.cpuVendor, ProcessorModel: m.cpu,
		Disks:       []hwhash.Disk{{CapacityGB: []uint64{256, 512, 1024}[rng.IntN(3)], BusType: busNVMe, TrimEnabled: 1}},
		DiskSerials: []string{fmt.Sprintf("%016X.|%s|%s", rng.Uint64(), m.diskModel, m.diskVendor)},
		NetworkAdapters: []hwhash.NetworkAdapter{
			{Medium: mediumNative80211, MAC: syntheticMAC(m.oui, rng), Bus: "PCI"},
			{Medium: 10, MAC: syntheticMAC(m.oui, rng), Bus: "USB"},
		},
		Displays:          []hwhash.Display{{WidthMM: 309, HeightMM: 174, HorizontalPixels: 1920, VerticalPixels: 1200, OutputTechnology: 0x80000000}},
		PanelSizes:        []hwhash.PanelSize{{WidthCM: 31, HeightCM: 17}},
		Chassis:           &hwhash.Chassis{Type: 10, PowerPlatformRole: 2},
		SMBIOSUUID:        fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16]),
		SerialNumber:      serial,
		BIOSVendor:        m.bios,
		Manufacturer:      m.manufacturer,
		Model:             m.name,
		SKU:               m.sku,
		SystemFamily:      m.family,
		SystemVersion:     m.version,
		BoardManufacturer: m.manufacturer,
		BoardProduct:      m.boardProduct,
		GPUs:              []hwhash.GPU{{DedicatedVideoMemory: 128 << 20, RemovalPolicy: 1, InLocalMachineContainer: true}},
		GPUNames:          []string{"Intel Corporation|Intel(R) Iris(R) Xe Graphics"},
	}
	h.BootDiskSerial = h.DiskSerials[0]
	if ekModulus != nil {
		h.TPMEKPublic = bytes.Clone(ekModulus)
		h.OfflineDeviceID = hwhash.NewTPMOfflineDeviceID(ekModulus)
		h.TPMVersion = TPMVersionString(m.tpmVendor, m.tpmFirmware)
	} else {
		fillTPM(h, nil, "", "")
	}
	return h
}

// syntheticMAC returns a MAC with the vendor's OUI.
func syntheticMAC(oui [3]byte, rng *rand.Rand) string {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], rng.Uint64())
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", oui[0], oui[1], oui[2], b[0], b[1], b[2])
}
