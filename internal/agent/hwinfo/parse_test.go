package hwinfo

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseCPUInfo(t *testing.T) {
	twoSockets := ""
	for i := range 8 {
		twoSockets += "processor : " + itoa(i) + "\nvendor_id : AuthenticAMD\nmodel name : AMD EPYC 7302\nphysical id : " + itoa(i/4) + "\ncpu cores : 2\n\n"
	}
	arm := "processor\t: 0\nBogoMIPS\t: 48.00\nCPU implementer\t: 0x41\n\nprocessor\t: 1\nBogoMIPS\t: 48.00\n"
	tests := []struct {
		name string
		in   string
		want CPUInfo
	}{
		{"empty", "", CPUInfo{}},
		{"hybrid laptop", cpuinfo(12, 10), CPUInfo{"GenuineIntel", "13th Gen Intel(R) Core(TM) i7-1365U", 1, 10, 12, 1800}},
		{"two sockets", twoSockets, CPUInfo{"AuthenticAMD", "AMD EPYC 7302", 2, 4, 8, 0}},
		{"arm without topology", arm, CPUInfo{"", "", 1, 2, 2, 0}},
		{"garbage", "processor: x\nvendor_id\ncpu MHz : NaN\n:::\n", CPUInfo{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseCPUInfo(tt.in); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseMemTotal(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"MemTotal:       32562412 kB\n", 32562412 * 1024, true},
		{"MemFree: 1 kB\nMemTotal: 1024 kB", 1 << 20, true},
		{"MemTotal: 12", 12 * 1024, true},
		{"MemTotal: 12 MB", 0, false},
		{"MemTotal: x kB", 0, false},
		{"MemTotal:", 0, false},
		{"", 0, false},
		{"MemTotal: 99999999999999999999 kB", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseMemTotal(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseMemTotal(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNormalizeMAC(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"8C:8C:AA:01:02:03", "8c:8c:aa:01:02:03", true},
		{" 8c-8c-aa-01-02-03\n", "8c:8c:aa:01:02:03", true},
		{"00:00:00:00:00:00", "", false},
		{"ff:ff:ff:ff:ff:ff", "", false},
		{"8c:8c:aa:01:02", "", false},
		{"80:00:02:08:fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:01", "", false}, // InfiniBand
		{"8c:8c:aa:01:02:0g", "", false},
		{"8c.8c.aa.01.02.03", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeMAC(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeMAC(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsPlaceholder(t *testing.T) {
	for _, v := range []string{"", " ", "To Be Filled By O.E.M.", "to be filled by o.e.m.", "Default string", "0123456789",
		"System Serial Number", "00000000", "FFFFFFFF", "Not Specified", "None", "???"} {
		if !IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = false", v)
		}
	}
	for _, v := range []string{"PF3ABCDE", "LENOVO", "5CG1234XYZ", "0123456788", "Default"[:6]} {
		if IsPlaceholder(v) {
			t.Errorf("IsPlaceholder(%q) = true", v)
		}
	}
}

func TestParseVPD80(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{append([]byte{0, 0x80, 0, 8}, "WD-12345"...), "WD-12345"},
		{append([]byte{0, 0x80, 0, 10}, "  WD-12345"...), "WD-12345"},
		{append([]byte{0, 0x80, 0, 20}, "short"...), ""},
		{append([]byte{0, 0x83, 0, 5}, "ident"...), ""},
		{[]byte{0, 0x80}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := ParseVPD80(tt.in); got != tt.want {
			t.Errorf("ParseVPD80(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTPMVersionString(t *testing.T) {
	tests := []struct{ vendor, fw, want string }{
		{"NTC", "458754.262144", "TPM-Version:2.0 -Level:0-Revision:1.59-VendorID:'NTC '-Firmware:458754.262144"},
		{"MSFT", "1.2", "TPM-Version:2.0 -Level:0-Revision:1.59-VendorID:'MSFT'-Firmware:1.2"},
		{"", "", "TPM-Version:2.0 -Level:0-Revision:1.59-VendorID:'    '-Firmware:"},
		{"IFX", "TPM-Version:2.0 -Level:0-Revision:1.38-VendorID:'IFX'-Firmware:7.2", "TPM-Version:2.0 -Level:0-Revision:1.38-VendorID:'IFX'-Firmware:7.2"},
	}
	for _, tt := range tests {
		if got := TPMVersionString(tt.vendor, tt.fw); got != tt.want {
			t.Errorf("TPMVersionString(%q, %q) = %q, want %q", tt.vendor, tt.fw, got, tt.want)
		}
	}
}

func TestParseCSVHeader(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Device Serial Number,Windows Product ID,Hardware Hash", "Device Serial Number|Windows Product ID|Hardware Hash"},
		{"\uFEFF\"Device Serial Number\", Windows  Product ID ,Hardware Hash,,", "Device Serial Number|Windows Product ID|Hardware Hash"},
		{"a,,b", "a||b"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(ParseCSVHeader(tt.in), "|"); got != tt.want {
			t.Errorf("ParseCSVHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseCPUInfo(f *testing.F) {
	f.Add(cpuinfo(12, 10))
	f.Add("processor : 0\nphysical id : 3\ncpu cores : 99999999999\n")
	f.Add("processor\t: 0\nBogoMIPS\t: 48.00\n")
	f.Fuzz(func(t *testing.T, s string) {
		c := ParseCPUInfo(s)
		if c.Packages < 0 || c.Cores < 0 || c.LogicalProcessors < 0 || (c.LogicalProcessors > 0 && c.Packages == 0) {
			t.Fatalf("bad topology %+v", c)
		}
		if !utf8.ValidString(c.Vendor) || !utf8.ValidString(c.Model) {
			t.Fatalf("invalid text %+v", c)
		}
	})
}

func FuzzParseMemTotal(f *testing.F) {
	f.Add("MemTotal:       32562412 kB\n")
	f.Add("MemTotal: 18446744073709551615 kB")
	f.Fuzz(func(t *testing.T, s string) {
		if b, ok := ParseMemTotal(s); !ok && b != 0 || b%1024 != 0 {
			t.Fatalf("ParseMemTotal(%q) = %d, %v", s, b, ok)
		}
	})
}

func FuzzNormalizeMAC(f *testing.F) {
	f.Add("8C:8C:AA:01:02:03")
	f.Add("00-00-00-00-00-00")
	f.Fuzz(func(t *testing.T, s string) {
		m, ok := NormalizeMAC(s)
		if !ok {
			return
		}
		if again, ok2 := NormalizeMAC(m); !ok2 || again != m || len(m) != 17 {
			t.Fatalf("NormalizeMAC(%q) = %q, not stable", s, m)
		}
	})
}

func FuzzParseVPD80(f *testing.F) {
	f.Add(append([]byte{0, 0x80, 0, 8}, "WD-12345"...))
	f.Add([]byte{0, 0x80, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		s := ParseVPD80(b)
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\n\x00") {
			t.Fatalf("ParseVPD80(%q) = %q", b, s)
		}
	})
}

func FuzzParseCSVHeader(f *testing.F) {
	f.Add("Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User")
	f.Add("\uFEFF\"a\",,")
	f.Fuzz(func(t *testing.T, s string) {
		cols := ParseCSVHeader(s)
		if len(cols) > 0 && cols[len(cols)-1] == "" {
			t.Fatalf("trailing empty column in %q", cols)
		}
		for _, c := range cols {
			if strings.Contains(c, ",") || strings.TrimSpace(c) != c {
				t.Fatalf("column %q from %q", c, s)
			}
		}
	})
}
