package hwinfo

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
)

var fixedNow = func() time.Time { return time.Date(2026, 3, 4, 10, 20, 30, 0, time.FixedZone("EST", -5*3600)) }

func TestCollectGoodMachine(t *testing.T) {
	files, links := goodMachine()
	root := tree(t, files, links)
	h, err := Collect(context.Background(), Options{SysRoot: root, EKModulus: ek(), TPMManufacturer: "STM", TPMVersion: "458752.131072", Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"SerialNumber", h.SerialNumber, "PF3ABCDE"},
		{"SMBIOSUUID", h.SMBIOSUUID, "4c4c4544-0042-3610-8052-b4c04f4b4e32"},
		{"Manufacturer", h.Manufacturer, "LENOVO"},
		{"Model", h.Model, "21HDCTO1WW"},
		{"SystemVersion", h.SystemVersion, "ThinkPad T14 Gen 4"},
		{"SKU", h.SKU, "LENOVO_MT_21HD_BU_Think_FM_ThinkPad T14 Gen 4"},
		{"SystemFamily", h.SystemFamily, "ThinkPad T14 Gen 4"},
		{"BIOSVendor", h.BIOSVendor, "LENOVO"},
		{"BoardProduct", h.BoardProduct, "21HDCTO1WW"},
		{"BoardVersion", h.BoardVersion, "SDK0T76530 WIN"},
		{"Chassis", *h.Chassis, hwhash.Chassis{Type: 10, PowerPlatformRole: 2}},
		{"NetworkAdapters", h.NetworkAdapters, []hwhash.NetworkAdapter{
			{Medium: 14, MAC: "8c:8c:aa:01:02:03", Bus: "PCI"}, {Medium: 9, MAC: "70:cd:0d:aa:bb:cc", Bus: "PCI"}}},
		{"Disks", h.Disks, []hwhash.Disk{{CapacityGB: 512, BusType: busNVMe, TrimEnabled: 1}}},
		{"DiskSerials", h.DiskSerials, []string{"S6ZBNF0W123456|SAMSUNG MZVL4512HBLU-00BL7|"}},
		{"Memory", *h.Memory, hwhash.Memory{TotalGB: 32}},
		{"Processor", *h.Processor, hwhash.Processor{Architecture: uint16(h.OSArchitecture), Packages: 1, Cores: 10, LogicalProcessors: 12, HyperThreading: true}},
		{"ProcessorManufacturer", h.ProcessorManufacturer, "GenuineIntel"},
		{"ProcessorModel", h.ProcessorModel, "13th Gen Intel(R) Core(TM) i7-1365U"},
		{"TPMEKPublic", h.TPMEKPublic, ek()},
		{"OfflineDeviceID", h.OfflineDeviceID, hwhash.NewTPMOfflineDeviceID(ek())},
		{"TPMVersion", h.TPMVersion, "TPM-Version:2.0 -Level:0-Revision:1.59-VendorID:'STM '-Firmware:458752.131072"},
		{"Generated", h.Generated, fixedNow().UTC()},
		{"UTCOffset", h.UTCOffset, -5 * time.Hour},
		{"OSBuild", h.OSBuild, DefaultOSBuild},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	if info, ok := h.TPM(); !ok || info.Manufacturer != "STMicroelectronics" {
		t.Errorf("TPM() = %+v, %v", info, ok)
	}
	checkRoundTrip(t, h)
}

// checkRoundTrip encodes h, decodes it and compares the identity.
func checkRoundTrip(t *testing.T, h *hwhash.Hash) {
	t.Helper()
	text := hwhash.EncodeString(h)
	if text == "" {
		_, err := hwhash.Encode(h)
		t.Fatalf("Encode: %v", err)
	}
	d, err := hwhash.Decode(text)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if d.Fingerprint() != h.Fingerprint() {
		t.Errorf("fingerprint changed in the round trip: %s → %s", h.Fingerprint(), d.Fingerprint())
	}
	if d.SerialNumber != h.SerialNumber || !reflect.DeepEqual(d.DiskSerials, h.DiskSerials) || !bytes.Equal(d.TPMEKPublic, h.TPMEKPublic) {
		t.Errorf("decoded %+v\nfrom %+v", d, h)
	}
	for i, a := range h.NetworkAdapters {
		if d.MACs[i] != a.MAC {
			t.Errorf("MAC %d = %s, want %s", i, d.MACs[i], a.MAC)
		}
	}
}

func TestCollectErrors(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(files map[string]string)
		wantErr  []string // substrings of the error; nil = success
		wantHash func(t *testing.T, h *hwhash.Hash)
	}{
		{"missing serial", func(f map[string]string) { delete(f, "sys/class/dmi/id/product_serial") },
			[]string{filepath.FromSlash("sys/class/dmi/id/product_serial"), "root"}, nil},
		{"empty serial", func(f map[string]string) { f["sys/class/dmi/id/product_serial"] = "  \n" },
			[]string{"product_serial", "root"}, nil},
		{"placeholder serial", func(f map[string]string) { f["sys/class/dmi/id/product_serial"] = "To Be Filled By O.E.M.\n" },
			[]string{"product_serial", "placeholder", "To Be Filled By O.E.M."}, nil},
		{"missing uuid", func(f map[string]string) { delete(f, "sys/class/dmi/id/product_uuid") },
			[]string{"product_uuid", "root"}, nil},
		{"placeholder uuid", func(f map[string]string) {
			f["sys/class/dmi/id/product_uuid"] = "03000200-0400-0500-0006-000700080009"
		}, []string{"product_uuid", "not a device UUID"}, nil},
		{"malformed uuid", func(f map[string]string) { f["sys/class/dmi/id/product_uuid"] = "not-a-uuid" },
			[]string{"product_uuid"}, nil},
		{"no manufacturer at all", func(f map[string]string) {
			f["sys/class/dmi/id/sys_vendor"] = "System manufacturer"
			delete(f, "sys/class/dmi/id/board_vendor")
		}, []string{"sys_vendor", "board_vendor"}, nil},
		{"manufacturer from the board", func(f map[string]string) {
			f["sys/class/dmi/id/sys_vendor"] = "To Be Filled By O.E.M."
			f["sys/class/dmi/id/board_vendor"] = "ASRock"
		}, nil, func(t *testing.T, h *hwhash.Hash) {
			if h.Manufacturer != "ASRock" {
				t.Errorf("Manufacturer = %q", h.Manufacturer)
			}
		}},
		{"junk values are missing", func(f map[string]string) {
			f["sys/class/dmi/id/product_name"] = "Default string"
			f["sys/class/dmi/id/product_sku"] = "To Be Filled By O.E.M."
			f["sys/class/dmi/id/product_family"] = "0123456789"
			f["sys/class/dmi/id/product_version"] = "System Version"
			delete(f, "sys/class/dmi/id/board_name")
			delete(f, "proc/cpuinfo")
			delete(f, "proc/meminfo")
		}, nil, func(t *testing.T, h *hwhash.Hash) {
			if h.Model != "" || h.SKU != "" || h.SystemFamily != "" || h.SystemVersion != "" || h.BoardProduct != "" {
				t.Errorf("placeholders kept: %q %q %q %q %q", h.Model, h.SKU, h.SystemFamily, h.SystemVersion, h.BoardProduct)
			}
			if h.Processor != nil || h.Memory != nil {
				t.Errorf("missing cpuinfo/meminfo gave %+v %+v", h.Processor, h.Memory)
			}
		}},
		{"non-Latin-1 text", func(f map[string]string) { f["sys/class/dmi/id/product_name"] = "Laptop\u2122 \u4e2d\x01" },
			nil, func(t *testing.T, h *hwhash.Hash) {
				if h.Model != "Laptop? ??" {
					t.Errorf("Model = %q", h.Model)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, links := goodMachine()
			tt.edit(files)
			h, err := Collect(context.Background(), Options{SysRoot: tree(t, files, links), Now: fixedNow})
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error; hash %+v", h)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.wantHash(t, h)
			checkRoundTrip(t, h)
		})
	}
}

func TestCollectWithoutTPM(t *testing.T) {
	files, links := goodMachine()
	root := tree(t, files, links)
	h1, err := Collect(context.Background(), Options{SysRoot: root})
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := Collect(context.Background(), Options{SysRoot: root})
	if h1.TPMEKPublic != nil || h1.TPMVersion != "" || h1.OfflineDeviceID.Type != 3 || !bytes.Equal(h1.OfflineDeviceID.ID, h2.OfflineDeviceID.ID) {
		t.Errorf("offline ID %+v / %+v", h1.OfflineDeviceID, h2.OfflineDeviceID)
	}
	checkRoundTrip(t, h1)
}

func TestCollectCanceled(t *testing.T) {
	files, links := goodMachine()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Collect(ctx, Options{SysRoot: tree(t, files, links)}); err == nil {
		t.Fatal("no error with a canceled context")
	}
}

func TestSynthetic(t *testing.T) {
	seen := map[string]bool{}
	for _, serial := range []string{"SIM-0001", "SIM-0002", "SIM-0003", "5CG1234XYZ", "é-serial"} {
		for _, withTPM := range []bool{true, false} {
			var key []byte
			if withTPM {
				key = ek()
			}
			h := Synthetic(serial, key)
			b1, err := hwhash.Encode(h)
			if err != nil {
				t.Fatalf("%s: %v", serial, err)
			}
			b2, _ := hwhash.Encode(Synthetic(serial, key))
			if !bytes.Equal(b1, b2) {
				t.Errorf("%s: not deterministic", serial)
			}
			if seen[h.Fingerprint()] {
				t.Errorf("%s: fingerprint repeats", serial)
			}
			seen[h.Fingerprint()] = true
			checkRoundTrip(t, h)
			if withTPM != (h.OfflineDeviceID.Type == 1) {
				t.Errorf("%s: offline ID type %d with TPM %v", serial, h.OfflineDeviceID.Type, withTPM)
			}
		}
	}
}
