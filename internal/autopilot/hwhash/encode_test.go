package hwhash

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

// synthetic returns a Hash with every field set, as whiteglove's device
// client could build it.
func synthetic() *Hash {
	ek := bytes.Repeat([]byte{0xC5}, 256)
	return &Hash{
		ToolVersion: 9, ToolBuild: "10.0.26100.1", OSBuild: "10.0.26100.2894",
		Generated: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), UTCOffset: -(5*time.Hour + 30*time.Minute),
		OSType: 2, OSArchitecture: 9,
		Processor:             &Processor{Architecture: 9, Packages: 1, Cores: 12, LogicalProcessors: 14, HyperThreading: true},
		CoreClasses:           []CoreClass{{1, 2, 4}, {0, 10, 10}},
		Memory:                &Memory{TotalGB: 16, MaxCapacityGB: 64, Slots: 2, Arrays: 1, ErrorCorrection: 3},
		ProcessorManufacturer: "GenuineIntel", ProcessorModel: "Intel(R) Core(TM) Ultra 5 225U",
		Disks:           []Disk{{512, 0x11, 0, 1}, {2048, 0xB, 0xFF, 1}},
		DiskSerials:     []string{"AAAA_BBBB.|NVMe Disk|", "WD-123|Big Disk|WDC"},
		NetworkAdapters: []NetworkAdapter{{9, "02:00:00:00:00:01", "PCI"}, {14, "02:00:00:00:00:02", "USB"}},
		MACs:            []string{"02:00:00:00:00:01", "02:00:00:00:00:02"},
		Displays:        []Display{{302, 188, 1920, 1200, 0x80000000}},
		PanelSizes:      []PanelSize{{30, 19}},
		Chassis:         &Chassis{Type: 0x0A, PowerPlatformRole: 2, Digitizer: 0xC1, MaxTouches: 10},
		TPMVersion:      "TPM-Version:2.0 -Level:0-Revision:1.59-VendorID:'NTC '-Firmware:458754.262144",
		TPMEKPublic:     ek,
		OfflineDeviceID: NewTPMOfflineDeviceID(ek),
		SMBIOSUUID:      "378d4d56-fe93-0ef5-880c-3d232ba15a41",
		SerialNumber:    "WG-0001", BIOSVendor: "Contoso BIOS", Manufacturer: "Contoso Ltd.",
		Model: "Café Book™ 14", SKU: "CB14-€", SystemFamily: "Café Book", SystemVersion: "1.0",
		BoardManufacturer: "Contoso", BoardProduct: "CB14MB", BoardVersion: "A1",
		ProductKeyID: "3556252318653", ProductKeyPkPn: "[TH]X19-99481",
		BootDiskSerial: "AAAA_BBBB.|NVMe Disk|",
		GPUs:           []GPU{{DedicatedVideoMemory: 1 << 27, RemovalPolicy: 1, InLocalMachineContainer: true}},
		GPUNames:       []string{"Contoso|Pixel 🎨 GPU"},
		Unknown35:      []byte{2, 0xFD, 0},
		Locale:         "en-US|en-US|Eastern Standard Time|en-US|0409:00000409",
		SppHWID:        []byte{8, 0, 0, 0, 8, 0, 0, 0, 1, 2, 3, 4},
		Extra:          []Record{{Type: 40, Value: []byte("future")}, {Type: 0x0101, Value: []byte{}}},
	}
}

func TestEncodeSynthetic(t *testing.T) {
	h := synthetic()
	b, err := Encode(h)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != BlobSize || string(b[:2]) != "OA" {
		t.Fatalf("blob %d bytes, magic %q", len(b), b[:2])
	}
	tl := int(binary.LittleEndian.Uint16(b[2:]))
	if string(b[tl:tl+2]) != "CS" || !bytes.Equal(resealed(b), b) {
		t.Fatal("checksum record wrong")
	}
	got, err := DecodeBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	sameFields(t, h, got)
	// The order of types is the one Windows uses.
	var types []uint16
	for off := 4; off < tl; off += int(binary.LittleEndian.Uint16(b[off+2:])) {
		types = append(types, binary.LittleEndian.Uint16(b[off:]))
	}
	want := []uint16{1, 2, 34, 5, 3, 4, 6, 6, 7, 7, 8, 8, 9, 27, 10, 13, 25, 11, 12, 14, 15, 16, 17, 18, 19, 23, 20, 21, 22, 24, 26, 28, 29, 30, 35, 36, 37, 40, 0x0101}
	if !equalU16(types, want) {
		t.Errorf("record order %v, want %v", types, want)
	}
	// Windows-1252 text is stored as single bytes.
	if !bytes.Contains(b, []byte("Caf\xe9 Book\x99 14\x00")) {
		t.Error("Model not stored as Windows-1252")
	}
	if s := EncodeString(h); s != base64.StdEncoding.EncodeToString(b) {
		t.Error("EncodeString is not the standard base64 of Encode")
	}
}

func equalU16(a, b []uint16) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEncodeMinimal(t *testing.T) {
	h := &Hash{SerialNumber: "S", Manufacturer: "M", MACs: []string{"AA-BB-CC-DD-EE-0F", "aabbccddee10"}, SMBIOSUUID: "{378D4D56-FE93-0EF5-880C-3D232BA15A41}"}
	s := EncodeString(h)
	if len(s) != 4000 || strings.TrimRight(s, "=") != s {
		t.Fatalf("EncodeString: %d characters", len(s))
	}
	got, err := Decode(s)
	if err != nil {
		t.Fatal(err)
	}
	wantAdapters := []NetworkAdapter{{MAC: "aa:bb:cc:dd:ee:0f"}, {MAC: "aa:bb:cc:dd:ee:10"}}
	if len(got.NetworkAdapters) != 2 || got.NetworkAdapters[0] != wantAdapters[0] || got.NetworkAdapters[1] != wantAdapters[1] ||
		strings.Join(got.MACs, ",") != "aa:bb:cc:dd:ee:0f,aa:bb:cc:dd:ee:10" {
		t.Errorf("adapters %+v, MACs %q", got.NetworkAdapters, got.MACs)
	}
	if got.SMBIOSUUID != "378d4d56-fe93-0ef5-880c-3d232ba15a41" || !got.Generated.IsZero() || got.Processor != nil {
		t.Errorf("decoded %+v", got)
	}
	if h.Fingerprint() != got.Fingerprint() {
		t.Error("fingerprint changes with the UUID's case")
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		edit   func(h *Hash)
		reason string
	}{
		{"no serial", func(h *Hash) { h.SerialNumber = "" }, "no serial number"},
		{"no manufacturer", func(h *Hash) { h.Manufacturer = " " }, "no manufacturer"},
		{"NUL", func(h *Hash) { h.Model = "a\x00b" }, "model \"a\\x00b\" contains NUL"},
		{"outside Windows-1252", func(h *Hash) { h.Model = "日本" }, "outside Windows-1252"},
		{"invalid UTF-8", func(h *Hash) { h.SKU = "\xff" }, "SKU"},
		{"NUL in GPU name", func(h *Hash) { h.GPUNames[0] = "x\x00" }, "GPU name"},
		{"bad MAC", func(h *Hash) { h.NetworkAdapters[0].MAC = "02:00:00:00:00"; h.MACs = nil }, "MAC \"02:00:00:00:00\""},
		{"mixed MAC separators", func(h *Hash) { h.NetworkAdapters = nil; h.MACs = []string{"02:00-00:00:00:01"} }, "is not aa:bb"},
		{"MACs disagree", func(h *Hash) { h.MACs = h.MACs[:1] }, "disagree with NetworkAdapters"},
		{"bad bus", func(h *Hash) { h.NetworkAdapters[0].Bus = "P\x00"; h.MACs = nil }, "bus name"},
		{"bad UUID", func(h *Hash) { h.SMBIOSUUID = "378d4d56-fe93-0ef5-880c-3d232ba15a4" }, "not a GUID"},
		{"before 2000", func(h *Hash) { h.Generated = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC) }, "outside 2000-01-01"},
		{"no Generated", func(h *Hash) { h.Generated = time.Time{} }, "Generated must be set"},
		{"odd offset", func(h *Hash) { h.UTCOffset = 10 * time.Minute }, "not a multiple of 15m0s"},
		{"offset too large", func(h *Hash) { h.ToolVersion = 3; h.UTCOffset = 3 * time.Hour }, "not a multiple of 1m0s between -128 and 127"},
		{"tool version", func(h *Hash) { h.ToolVersion = 256 }, "ToolVersion 256"},
		{"bad build", func(h *Hash) { h.OSBuild = "10.0.26100" }, "OSBuild \"10.0.26100\""},
		{"build part too large", func(h *Hash) { h.ToolBuild = "10.0.70000.1" }, "ToolBuild"},
		{"Extra with known type", func(h *Hash) { h.Extra = []Record{{Type: tSerial, Value: []byte("x")}} }, "known type 14"},
		{"too many core classes", func(h *Hash) { h.CoreClasses = make([]CoreClass, 256) }, "256 core classes"},
		{"record too long", func(h *Hash) { h.TPMEKPublic = make([]byte, 70000) }, "TPM EK public key record too long"},
		{"blob too large", func(h *Hash) { h.SppHWID = make([]byte, 60000) }, "too large: more than 49152 bytes with the SppHwid record"},
		{"total too large", func(h *Hash) {
			h.Extra = []Record{{Type: 40, Value: make([]byte, 30000)}, {Type: 41, Value: make([]byte, 30000)}}
		}, "too large"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := synthetic()
			c.edit(h)
			b, err := Encode(h)
			if b != nil {
				t.Error("non-nil blob with an error")
			}
			wantInvalid(t, err, c.reason)
			if EncodeString(h) != "" {
				t.Error("EncodeString of an invalid Hash is not empty")
			}
		})
	}
	_, err := Encode(nil)
	wantInvalid(t, err, "nil Hash")
}

func TestFingerprint(t *testing.T) {
	h := synthetic()
	b1, err := Encode(h)
	if err != nil {
		t.Fatal(err)
	}
	h.Generated = h.Generated.Add(36 * time.Hour)
	h.OSBuild = "10.0.26100.3000"
	h.MACs, h.NetworkAdapters = nil, nil // a dock unplugged
	b2, err := Encode(h)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(b1, b2) {
		t.Fatal("two collections gave identical bytes")
	}
	d1, err1 := DecodeBytes(b1)
	d2, err2 := DecodeBytes(b2)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	fp := d1.Fingerprint()
	if fp != d2.Fingerprint() || fp != h.Fingerprint() || len(fp) != 64 || strings.ToLower(fp) != fp {
		t.Errorf("fingerprints %q %q %q", fp, d2.Fingerprint(), h.Fingerprint())
	}
	for name, edit := range map[string]func(h *Hash){
		"serial":       func(h *Hash) { h.SerialNumber += "X" },
		"manufacturer": func(h *Hash) { h.Manufacturer = "Other" },
		"model":        func(h *Hash) { h.Model = "Other" },
		"UUID":         func(h *Hash) { h.SMBIOSUUID = "00000000-0000-0000-0000-000000000001" },
		"no TPM":       func(h *Hash) { h.TPMEKPublic = nil },
		"shifted":      func(h *Hash) { h.SerialNumber, h.Manufacturer = h.SerialNumber+"C", h.Manufacturer[1:] },
	} {
		c := *d1
		edit(&c)
		if c.Fingerprint() == fp {
			t.Errorf("%s: fingerprint unchanged", name)
		}
	}
	if (*Hash)(nil).Fingerprint() != "" {
		t.Error("nil Hash has a fingerprint")
	}
	// The derivation is fixed: stored fingerprints must stay valid.
	s1, err := Decode(sampleText(t, "sample01"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s1.Fingerprint(), "0ee55846df0c6baa945c90d2b1f81cd4b88c6e2ea53a0aa932101a7b48813d68"; got != want {
		t.Errorf("sample01 fingerprint %s, want %s", got, want)
	}
}

func TestWindows1252(t *testing.T) {
	var all []byte
	for c := 1; c < 256; c++ {
		all = append(all, byte(c))
	}
	s := ansiString(all)
	back, ok := appendANSI(nil, s)
	if !ok || !bytes.Equal(back, all) {
		t.Fatalf("Windows-1252 does not round-trip: %v", ok)
	}
	if ansiString([]byte("a\x80\x99\xe9\x00junk")) != "a€™é" {
		t.Errorf("got %q", ansiString([]byte("a\x80\x99\xe9\x00junk")))
	}
	if utf16String([]byte{'A', 0, 0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 'B', 0, 0, 0, 'C', 0, 'D'}) != "A😀\uFFFDB" {
		t.Error("UTF-16 decoding")
	}
}

func TestHelpers(t *testing.T) {
	for in, want := range map[string][3]string{
		"E823_8FA6.|WD PC SN740|":    {"E823_8FA6.", "WD PC SN740", ""},
		"|Virtual Disk    |Msft    ": {"", "Virtual Disk", "Msft"},
		"QM00003":                    {"QM00003", "", ""},
		"a|b|c|d":                    {"a", "b", "c|d"},
		"":                           {"", "", ""},
	} {
		s, p, v := SplitDiskSerial(in)
		if [3]string{s, p, v} != want {
			t.Errorf("SplitDiskSerial(%q) = %q %q %q", in, s, p, v)
		}
	}
	h := &Hash{TPMVersion: "TPM-Version:1.2 -Level:2-Revision:3.19-VendorID:'IFX '-Firmware:4.40"}
	if info, ok := h.TPM(); !ok || info != (TPMInfo{"1.2", "2", "3.19", "IFX", "Infineon", "4.40"}) {
		t.Errorf("TPM() = %+v, %v", info, ok)
	}
	h.TPMVersion = "garbage"
	if _, ok := h.TPM(); ok {
		t.Error("TPM() parsed garbage")
	}
	if _, ok := (*Hash)(nil).TPM(); ok {
		t.Error("TPM() of nil")
	}
}
