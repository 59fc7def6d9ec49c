package hwinfo

import (
	"os"
	"path/filepath"
	"testing"
)

// tree builds a fake SysRoot: files maps slash paths to contents, links
// maps slash paths to symlink targets.
func tree(t testing.TB, files map[string]string, links map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, data := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for p, target := range links {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(target), full); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const (
	pciNIC  = "sys/devices/pci0000:00/0000:00:1f.6"
	pciWiFi = "sys/devices/pci0000:00/0000:00:14.3"
	pciNVMe = "sys/devices/pci0000:00/0000:00:06.0/0000:04:00.0/nvme/nvme0"
)

// goodMachine is the sysfs of a ThinkPad-like laptop.
func goodMachine() (files, links map[string]string) {
	files = map[string]string{
		"sys/class/dmi/id/product_serial":  "PF3ABCDE\n",
		"sys/class/dmi/id/product_uuid":    "4C4C4544-0042-3610-8052-B4C04F4B4E32\n",
		"sys/class/dmi/id/sys_vendor":      "LENOVO\n",
		"sys/class/dmi/id/product_name":    "21HDCTO1WW\n",
		"sys/class/dmi/id/product_version": "ThinkPad T14 Gen 4\n",
		"sys/class/dmi/id/product_sku":     "LENOVO_MT_21HD_BU_Think_FM_ThinkPad T14 Gen 4\n",
		"sys/class/dmi/id/product_family":  "ThinkPad T14 Gen 4\n",
		"sys/class/dmi/id/bios_vendor":     "LENOVO\n",
		"sys/class/dmi/id/bios_version":    "R2FET51W (1.31 )\n",
		"sys/class/dmi/id/board_vendor":    "LENOVO\n",
		"sys/class/dmi/id/board_name":      "21HDCTO1WW\n",
		"sys/class/dmi/id/board_version":   "SDK0T76530 WIN\n",
		"sys/class/dmi/id/board_serial":    "L1HF3AB00CD\n",
		"sys/class/dmi/id/chassis_type":    "10\n",

		pciNIC + "/net/enp0s31f6/address":         "8C:8C:AA:01:02:03\n",
		pciWiFi + "/net/wlp0s20f3/address":        "70:cd:0d:aa:bb:cc\n",
		pciWiFi + "/net/wlp0s20f3/phy80211/name":  "phy0\n",
		"sys/devices/virtual/net/lo/address":      "00:00:00:00:00:00\n",
		"sys/devices/virtual/net/docker0/address": "02:42:ac:11:00:01\n",
		pciNIC + "/net/zero0/address":             "00:00:00:00:00:00\n",
		"sys/bus/pci/.keep":                       "",

		pciNVMe + "/nvme0n1/size":                             "1000215216\n",
		pciNVMe + "/nvme0n1/removable":                        "0\n",
		pciNVMe + "/nvme0n1/queue/rotational":                 "0\n",
		pciNVMe + "/nvme0n1/queue/discard_max_bytes":          "2199023255040\n",
		pciNVMe + "/serial":                                   "S6ZBNF0W123456      \n",
		pciNVMe + "/model":                                    "SAMSUNG MZVL4512HBLU-00BL7              \n",
		"sys/devices/virtual/block/loop0/size":                "1024\n",
		"sys/devices/pci0000:00/usb1/1-1/block/sdb/size":      "60000000\n",
		"sys/devices/pci0000:00/usb1/1-1/block/sdb/removable": "1\n",

		"proc/meminfo": "MemTotal:       32562412 kB\nMemFree:         1000000 kB\n",
		"proc/cpuinfo": cpuinfo(12, 10),
	}
	links = map[string]string{
		"sys/class/net/enp0s31f6":         "../../devices/pci0000:00/0000:00:1f.6/net/enp0s31f6",
		"sys/class/net/wlp0s20f3":         "../../devices/pci0000:00/0000:00:14.3/net/wlp0s20f3",
		"sys/class/net/lo":                "../../devices/virtual/net/lo",
		"sys/class/net/docker0":           "../../devices/virtual/net/docker0",
		"sys/class/net/zero0":             "../../devices/pci0000:00/0000:00:1f.6/net/zero0",
		pciNIC + "/net/enp0s31f6/device":  "../../../0000:00:1f.6",
		pciNIC + "/subsystem":             "../../../bus/pci",
		pciWiFi + "/net/wlp0s20f3/device": "../../../0000:00:14.3",
		pciWiFi + "/subsystem":            "../../../bus/pci",
		"sys/block/nvme0n1":               "../devices/pci0000:00/0000:00:06.0/0000:04:00.0/nvme/nvme0/nvme0n1",
		pciNVMe + "/nvme0n1/device":       "..",
		"sys/block/loop0":                 "../devices/virtual/block/loop0",
		"sys/block/sdb":                   "../devices/pci0000:00/usb1/1-1/block/sdb",
	}
	return files, links
}

// cpuinfo returns /proc/cpuinfo for one package with this topology.
func cpuinfo(threads, cores int) string {
	s := ""
	for i := range threads {
		s += "processor\t: " + itoa(i) + "\nvendor_id\t: GenuineIntel\nmodel name\t: 13th Gen Intel(R) Core(TM) i7-1365U\n" +
			"cpu MHz\t\t: 1800.000\nphysical id\t: 0\nsiblings\t: " + itoa(threads) + "\ncpu cores\t: " + itoa(cores) + "\n\n"
	}
	return s
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// ek returns a fake 256-byte EK modulus.
func ek() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i*7 + 1)
	}
	b[0] |= 0x80
	return b
}
