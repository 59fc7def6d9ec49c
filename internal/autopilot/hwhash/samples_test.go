package hwhash

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// sampleWant is what each real sample holds; serials and devices come from
// SOURCES.md and the CSV rows, the rest from reading the bytes.
var sampleWant = []struct {
	name, serial, manufacturer, model, uuid string
	macs                                    int
	disks                                   []string
	tpmVendor                               string // "" = no TPM
	toolVersion                             int
}{
	{"sample01", "PF5MT6SC", "LENOVO", "21R3001BUK", "75df607a-7bbb-492c-a31c-183d2dbad06a",
		2, []string{"8CE3_8E04_05AD_C76D.|KBG6AZNV512G LA KIOXIA|"}, "NTC", 9},
	{"sample02", "F98059756E444D56", "VMware, Inc.", "VMware20,1", "6e444d56-5975-f980-1ab4-0ed811b5cadb",
		0, nil, "VMW", 9},
	{"sample03", "VMware-56 4d 8d 37 93 fe f5 0e-88 0c 3d 23 2b a1 5a 41", "VMware, Inc.", "VMware20,1",
		"378d4d56-fe93-0ef5-880c-3d232ba15a41", 0, nil, "", 9},
	{"sample04", "PF5NRH33", "LENOVO", "21G2001VUS", "0b53f7cc-3567-11b2-a85c-d817838bfa35",
		3, []string{"5CDF_B800_0000_0000.|UMIS RPETJ1T24MHP2QDQ|"}, "NTC", 9},
	{"sample05", "SMBIOS_STRING_INDEX_0", "QEMU", "Standard PC (Q35 + ICH9, 2009)", "c3b80f86-833d-4491-af7d-8e946435da2a",
		1, []string{"QM00003|QEMU HARDDISK|"}, "IBM", 5},
	{"sample06", "SMBIOS_STRING_INDEX_0", "QEMU", "Standard PC (Q35 + ICH9, 2009)", "d2f0b533-ee33-49e3-924d-22439275217f",
		1, []string{"QM00003|QEMU HARDDISK|"}, "", 7},
	{"sample07", "5CG1457YL8", "HP", "HP EliteBook 840 G8 Notebook PC", "8e9e73e6-ef91-4ef4-aa74-130c5e4b0dc4",
		2, []string{"0000_0000_0000_0000_00E0_4C0E_07A7_F2BE.|JYS512G3000XXG3|"}, "IFX", 9},
	{"sample08", "4895-7167-4584-3623-0974-4308-48", "Microsoft Corporation", "Virtual Machine", "c84078c8-5ef1-4b4b-91b1-7c5c1d3b2441",
		2, []string{"|Virtual Disk    |Msft    "}, "MSFT", 5},
	{"sample09", "5CD349G8VJ", "HP", "HP EliteBook 650 15.6 inch G10 Notebook PC", "ec97caf5-b97c-4867-b86e-e7dbf72ea0a1",
		3, []string{"E823_8FA6_BF53_0001_001B_448B_4C7F_3946.|WD PC SN740 SDDPNQD-512G-2006|"}, "NTC", 8},
	{"sample10", "PC0NVWSH", "LENOVO", "20K5S0B700", "706a594c-2dc1-11b2-a85c-b452719adada",
		4, []string{"0008_0D02_002B_BD30.|THNSF5256GPUK TOSHIBA|"}, "STM", 3},
}

func TestSamples(t *testing.T) {
	if got := len(sampleNames(t)); got != len(sampleWant) {
		t.Fatalf("%d samples on disk, %d in the table", got, len(sampleWant))
	}
	for _, w := range sampleWant {
		t.Run(w.name, func(t *testing.T) {
			h, err := Decode(sampleText(t, w.name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(h.Raw, sampleRaw(t, w.name)) || len(h.Raw) != BlobSize {
				t.Errorf("Raw is not the %d decoded bytes", BlobSize)
			}
			check := func(what, got, want string) {
				if got != want {
					t.Errorf("%s = %q, want %q", what, got, want)
				}
			}
			check("SerialNumber", h.SerialNumber, w.serial)
			check("Manufacturer", h.Manufacturer, w.manufacturer)
			check("Model", h.Model, w.model)
			check("SMBIOSUUID", h.SMBIOSUUID, w.uuid)
			if len(h.MACs) != w.macs || len(h.NetworkAdapters) != w.macs {
				t.Errorf("%d MACs, %d adapters, want %d", len(h.MACs), len(h.NetworkAdapters), w.macs)
			}
			for i, m := range h.MACs {
				if len(m) != 17 || m != strings.ToLower(m) || m != h.NetworkAdapters[i].MAC {
					t.Errorf("MAC %d = %q", i, m)
				}
			}
			if strings.Join(h.DiskSerials, "\n") != strings.Join(w.disks, "\n") || len(h.Disks) != len(w.disks) {
				t.Errorf("DiskSerials = %q (%d disks), want %q", h.DiskSerials, len(h.Disks), w.disks)
			}
			if h.ToolVersion != w.toolVersion {
				t.Errorf("ToolVersion = %d, want %d", h.ToolVersion, w.toolVersion)
			}
			if h.Generated.Before(time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)) || h.Generated.After(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("Generated = %v", h.Generated)
			}
			if !strings.HasPrefix(h.OSBuild, "10.0.") || !strings.HasPrefix(h.ToolBuild, "10.0.") {
				t.Errorf("OSBuild %q, ToolBuild %q", h.OSBuild, h.ToolBuild)
			}
			checkTPM(t, h, w.tpmVendor)
		})
	}
}

// checkTPM asserts TPM presence and the observed EK/ODUID relationship.
func checkTPM(t *testing.T, h *Hash, vendor string) {
	t.Helper()
	info, ok := h.TPM()
	if vendor == "" {
		if h.TPMEKPublic != nil || h.TPMVersion != "" || ok {
			t.Errorf("no-TPM device has TPM fields: %q, %d EK bytes", h.TPMVersion, len(h.TPMEKPublic))
		}
		if h.OfflineDeviceID == nil || h.OfflineDeviceID.Type != 3 || len(h.OfflineDeviceID.ID) != 32 {
			t.Errorf("no-TPM OfflineDeviceID = %+v, want a random-seed ID (type 3)", h.OfflineDeviceID)
		}
		return
	}
	ek := h.TPMEKPublic
	if len(ek) != 256 || ek[0]&0x80 == 0 || ek[255]&1 == 0 {
		t.Errorf("TPMEKPublic is not an RSA-2048 modulus: %d bytes", len(ek))
	}
	if !ok || info.VendorID != vendor || info.SpecVersion != "2.0" || info.Manufacturer == "" {
		t.Errorf("TPM() = %+v, %v; want vendor %q", info, ok, vendor)
	}
	sum := sha256.Sum256(ek)
	o := h.OfflineDeviceID
	if o == nil || o.Type != 1 || !bytes.Equal(o.ID, sum[:]) {
		t.Errorf("OfflineDeviceID = %+v, want TPM_EK with SHA-256 of the EK", o)
	}
	if n := NewTPMOfflineDeviceID(ek); o != nil && (n.Type != o.Type || n.Flag != o.Flag || !bytes.Equal(n.ID, o.ID)) {
		t.Errorf("NewTPMOfflineDeviceID = %+v, want %+v", n, o)
	}
}

// TestSampleBytesByHand checks a few values against offsets read by hand.
func TestSampleBytesByHand(t *testing.T) {
	raw := sampleRaw(t, "sample01")
	// "OA", TotalLength 0x0497 = 1175; T1 at offset 4, its value at 8; the
	// timestamp at value offset 16 is de 8b 67 31 = 828869598 s after 2000,
	// the offset byte 04 = 4 × 15 min.
	if string(raw[:2]) != "OA" || raw[2] != 0x97 || raw[3] != 0x04 || !bytes.Equal(raw[24:29], []byte{0xde, 0x8b, 0x67, 0x31, 0x04}) {
		t.Fatalf("unexpected bytes % x", raw[:29])
	}
	h, err := DecodeBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 4, 7, 9, 33, 18, 0, time.UTC); !h.Generated.Equal(want) || h.UTCOffset != time.Hour {
		t.Errorf("Generated %v %v, want %v +1h", h.Generated, h.UTCOffset, want)
	}
	if h.ToolBuild != "10.0.26100.7705" || h.OSArchitecture != 9 || h.OSType != 2 {
		t.Errorf("T1 = %q arch %d type %d", h.ToolBuild, h.OSArchitecture, h.OSType)
	}
	// The serial record: 0e 00 0d 00 "PF5MT6SC" 00.
	if !bytes.Contains(raw, append([]byte{0x0e, 0, 0x0d, 0}, "PF5MT6SC\x00"...)) {
		t.Error("serial record not found by hand")
	}
	// sample10 is a tool-version-3 hash whose offset byte 120 is minutes.
	h10, err := Decode(sampleText(t, "sample10"))
	if err != nil {
		t.Fatal(err)
	}
	if h10.UTCOffset != 2*time.Hour || !h10.Generated.Equal(time.Date(2018, 7, 4, 16, 35, 49, 0, time.UTC)) {
		t.Errorf("sample10 Generated %v %v", h10.Generated, h10.UTCOffset)
	}
	// sample03's VMware serial spells the SMBIOS UUID bytes in SMBIOS order;
	// the GUID form swaps the first three groups.
	h3, err := Decode(sampleText(t, "sample03"))
	if err != nil {
		t.Fatal(err)
	}
	smbios := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimPrefix(h3.SerialNumber, "VMware-"))
	if smbios != "564d8d3793fef50e880c3d232ba15a41" || h3.SMBIOSUUID != "378d4d56-fe93-0ef5-880c-3d232ba15a41" {
		t.Errorf("serial %q, UUID %q", smbios, h3.SMBIOSUUID)
	}
	// sample04 (Intel hybrid): the core classes add up to T2.
	h4, err := Decode(sampleText(t, "sample04"))
	if err != nil {
		t.Fatal(err)
	}
	var cores, threads uint16
	for _, c := range h4.CoreClasses {
		cores, threads = cores+c.Cores, threads+c.LogicalProcessors
	}
	if h4.Processor == nil || cores != h4.Processor.Cores || threads != h4.Processor.LogicalProcessors || len(h4.GPUs) != 2 || len(h4.GPUNames) != 2 {
		t.Errorf("sample04 processor %+v, classes %+v, GPUs %d/%d", h4.Processor, h4.CoreClasses, len(h4.GPUs), len(h4.GPUNames))
	}
	if h4.GPUNames[0] != "NVIDIA|NVIDIA RTX 500 Ada Generation Laptop GPU" || h4.NetworkAdapters[1] != (NetworkAdapter{Medium: 14, MAC: "c8:53:09:e5:ae:da", Bus: "PCI"}) {
		t.Errorf("sample04 GPU %q, adapter %+v", h4.GPUNames[0], h4.NetworkAdapters[1])
	}
}

// TestSampleCSVs reads the original Get-WindowsAutopilotInfo CSVs (UTF-16LE
// with BOM): every hash decodes to a sample, and a non-empty serial column
// equals the hash's serial number.
func TestSampleCSVs(t *testing.T) {
	byRaw := map[string]string{}
	for _, n := range sampleNames(t) {
		byRaw[string(sampleRaw(t, n))] = n
	}
	files, err := filepath.Glob(filepath.Join("testdata", "samples", "csv", "*.csv"))
	if err != nil || len(files) != len(byRaw) {
		t.Fatalf("%d CSVs for %d samples: %v", len(files), len(byRaw), err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 2 || b[0] != 0xFF || b[1] != 0xFE || len(b)%2 != 0 {
			t.Fatalf("%s: not UTF-16LE with BOM", f)
		}
		u := make([]uint16, len(b)/2-1)
		for i := range u {
			u[i] = uint16(b[2+2*i]) | uint16(b[3+2*i])<<8
		}
		lines := strings.Split(strings.TrimSpace(string(utf16.Decode(u))), "\r\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "Device Serial Number,Windows Product ID,Hardware Hash") {
			t.Fatalf("%s: unexpected layout %q", f, lines[0])
		}
		cols := strings.Split(lines[1], ",")
		h, err := Decode(cols[2])
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name, ok := byRaw[string(h.Raw)]
		if !ok {
			t.Fatalf("%s: hash matches no sample", f)
		}
		seen[name] = true
		if cols[0] != "" && cols[0] != h.SerialNumber {
			t.Errorf("%s: CSV serial %q, hash serial %q", f, cols[0], h.SerialNumber)
		}
	}
	if len(seen) != len(byRaw) {
		t.Errorf("CSVs cover %d of %d samples", len(seen), len(byRaw))
	}
}

// TestSamplesReencode: Encode of a decoded real hash reproduces its bytes.
func TestSamplesReencode(t *testing.T) {
	for _, n := range sampleNames(t) {
		h, err := Decode(sampleText(t, n))
		if err != nil {
			t.Fatal(n, err)
		}
		enc, err := Encode(h)
		if err != nil {
			t.Fatal(n, err)
		}
		if !bytes.Equal(enc, h.Raw) {
			i := 0
			for i < len(enc) && i < len(h.Raw) && enc[i] == h.Raw[i] {
				i++
			}
			t.Errorf("%s: re-encoded bytes differ from offset %d", n, i)
		}
		h2, err := Decode(EncodeString(h))
		if err != nil {
			t.Fatal(n, err)
		}
		sameFields(t, h, h2)
	}
}
