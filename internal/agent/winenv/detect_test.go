package winenv

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/content"
)

const productCode = "{23170F69-40C1-2702-2201-000001000000}"

// detectEnv is a device with Contoso installed.
func detectEnv(t *testing.T) *Env {
	t.Helper()
	e := newEnv(t)
	p := writeFile(t, e, "Program Files/Contoso/app.exe", strings.Repeat("x", 3<<20))
	writeFile(t, e, "Program Files/Contoso/app.exe.version", "2.5.0.1\n")
	writeFile(t, e, "Program Files (x86)/Old/old.exe", "x")
	mtime := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	r := e.Registry()
	for _, s := range []struct {
		key, name string
		v         Value
	}{
		{`HKLM\SOFTWARE\Contoso`, "Version", Value{RegSZ, "2.5"}},
		{`HKLM\SOFTWARE\Contoso`, "Build", Value{RegDWORD, "1234"}},
		{`HKLM\SOFTWARE\Contoso`, "Channel", Value{RegSZ, "stable"}},
		{`HKLM\SOFTWARE\WOW6432Node\Legacy`, "Installed", Value{RegDWORD, "1"}},
		{`HKCU\Software\Contoso`, "Theme", Value{RegSZ, "dark"}},
	} {
		reg := r
		if strings.HasPrefix(s.key, "HKCU") {
			reg = r.As("ann")
		}
		if err := reg.Set(s.key, s.name, s.v); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.RegisterProduct(strings.ToLower(productCode), "7-Zip", "22.1.0"); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDetect(t *testing.T) {
	e := detectEnv(t)
	file := func(op string, o apps.Operator, v string) apps.Rule {
		return apps.Rule{Type: apps.RuleFile, Path: `%ProgramFiles%\Contoso`, FileOrFolderName: "app.exe", Operation: op, Operator: o, Value: v}
	}
	reg := func(key, name, op string, o apps.Operator, v string) apps.Rule {
		return apps.Rule{Type: apps.RuleRegistry, KeyPath: key, ValueName: name, Operation: op, Operator: o, Value: v}
	}
	pc := func(o apps.Operator, v string) apps.Rule {
		return apps.Rule{Type: apps.RuleProductCode, ProductCode: productCode, Operator: o, ProductVersion: v}
	}
	script := func(s string) apps.Rule { return apps.Rule{Type: apps.RuleScript, ScriptContent: []byte(s)} }
	x64 := Facts{Arch: "x64", User: "ann"}
	tests := []struct {
		name    string
		rules   []apps.Rule
		facts   Facts
		want    bool
		wantWhy string
	}{
		{"file exists", []apps.Rule{file(apps.OpExists, apps.OpNotConfigured, "")}, x64, true, "exists"},
		{"folder exists", []apps.Rule{{Type: apps.RuleFile, Path: `C:\Program Files`, FileOrFolderName: "contoso", Operation: apps.OpExists}}, x64, true, ""},
		{"file missing", []apps.Rule{{Type: apps.RuleFile, Path: `C:\x`, FileOrFolderName: "y", Operation: apps.OpExists}}, x64, false, "does not exist"},
		{"file doesNotExist", []apps.Rule{{Type: apps.RuleFile, Path: `C:\x`, FileOrFolderName: "y", Operation: apps.OpDoesNotExist}}, x64, true, ""},
		{"file doesNotExist fails", []apps.Rule{file(apps.OpDoesNotExist, apps.OpNotConfigured, "")}, x64, false, "exists"},
		{"version >=", []apps.Rule{file(apps.OpVersion, apps.OpGreaterThanOrEqual, "2.5")}, x64, true, "2.5.0.1"},
		{"version >", []apps.Rule{file(apps.OpVersion, apps.OpGreaterThan, "2.5.0.1")}, x64, false, "does not hold"},
		{"version =", []apps.Rule{file(apps.OpVersion, apps.OpEqual, "2.5.0.1")}, x64, true, ""},
		{"version <", []apps.Rule{file(apps.OpVersion, apps.OpLessThan, "2.10")}, x64, true, ""},
		{"version !=", []apps.Rule{file(apps.OpVersion, apps.OpNotEqual, "2.5.0.1")}, x64, false, ""},
		{"no version sidecar", []apps.Rule{{Type: apps.RuleFile, Path: `%ProgramFiles(x86)%\Old`, FileOrFolderName: "old.exe", Operation: apps.OpVersion, Operator: apps.OpEqual, Value: "1"}}, x64, false, "has no version"},
		{"size", []apps.Rule{file(apps.OpSizeInMB, apps.OpEqual, "3")}, x64, true, "3 MB"},
		{"size <=", []apps.Rule{file(apps.OpSizeInMB, apps.OpLessThanOrEqual, "2")}, x64, false, ""},
		{"modified after", []apps.Rule{file(apps.OpModifiedDate, apps.OpGreaterThan, "2025-01-01T00:00:00Z")}, x64, true, ""},
		{"modified equal", []apps.Rule{file(apps.OpModifiedDate, apps.OpEqual, "2025-06-01T12:00:00Z")}, x64, true, ""},
		{"modified before", []apps.Rule{file(apps.OpModifiedDate, apps.OpLessThan, "2025-01-01T00:00:00Z")}, x64, false, ""},
		{"created recently", []apps.Rule{file(apps.OpCreatedDate, apps.OpGreaterThan, "2020-01-01T00:00:00Z")}, x64, true, ""},
		{"32-bit program files", []apps.Rule{{Type: apps.RuleFile, Path: `%ProgramFiles%\Old`, FileOrFolderName: "old.exe", Operation: apps.OpExists, Check32BitOn64System: true}}, x64, true, ""},
		{"32-bit view ignored on x86", []apps.Rule{{Type: apps.RuleFile, Path: `%ProgramFiles%\Old`, FileOrFolderName: "old.exe", Operation: apps.OpExists, Check32BitOn64System: true}}, Facts{Arch: "x86"}, false, ""},
		{"key exists", []apps.Rule{reg(`HKEY_LOCAL_MACHINE\SOFTWARE\Contoso`, "", apps.OpExists, apps.OpNotConfigured, "")}, x64, true, ""},
		{"key missing", []apps.Rule{reg(`HKLM\SOFTWARE\Nope`, "", apps.OpExists, apps.OpNotConfigured, "")}, x64, false, "does not exist"},
		{"value doesNotExist", []apps.Rule{reg(`HKLM\SOFTWARE\Contoso`, "Nope", apps.OpDoesNotExist, apps.OpNotConfigured, "")}, x64, true, ""},
		{"string equal", []apps.Rule{reg(`HKLM\SOFTWARE\Contoso`, "Channel", apps.OpString, apps.OpEqual, "stable")}, x64, true, ""},
		{"string notEqual", []apps.Rule{reg(`HKLM\SOFTWARE\Contoso`, "Channel", apps.OpString, apps.OpNotEqual, "stable")}, x64, false, ""},
		{"integer >=", []apps.Rule{reg(`HKLM\SOFTWARE\Contoso`, "Build", apps.OpInteger, apps.OpGreaterThanOrEqual, "1234")}, x64, true, ""},
		{"integer <", []apps.Rule{reg(`HKLM\SOFTWARE\Contoso`, "Build", apps.OpInteger, apps.OpLessThan, "1000")}, x64, false, ""},
		{"integer of a string", []apps.Rule{reg(`HKLM\SOFTWARE\Contoso`, "Channel", apps.OpInteger, apps.OpEqual, "1")}, x64, false, "not an integer"},
		{"registry version", []apps.Rule{reg(`HKLM\SOFTWARE\Contoso`, "Version", apps.OpVersion, apps.OpGreaterThan, "2.4.9")}, x64, true, ""},
		{"missing value compared", []apps.Rule{reg(`HKLM\SOFTWARE\Contoso`, "Nope", apps.OpString, apps.OpEqual, "x")}, x64, false, "does not exist"},
		{"WOW6432Node", []apps.Rule{{Type: apps.RuleRegistry, KeyPath: `HKLM\SOFTWARE\Legacy`, ValueName: "Installed", Operation: apps.OpExists, Check32BitOn64System: true}}, x64, true, ""},
		{"HKCU per user", []apps.Rule{reg(`HKCU\Software\Contoso`, "Theme", apps.OpString, apps.OpEqual, "dark")}, x64, true, ""},
		{"HKCU of SYSTEM", []apps.Rule{reg(`HKCU\Software\Contoso`, "Theme", apps.OpExists, apps.OpNotConfigured, "")}, Facts{Arch: "x64"}, false, ""},
		{"product any version", []apps.Rule{pc(apps.OpNotConfigured, "")}, x64, true, "is installed"},
		{"product >=", []apps.Rule{pc(apps.OpGreaterThanOrEqual, "22.1")}, x64, true, ""},
		{"product >", []apps.Rule{pc(apps.OpGreaterThan, "22.1")}, x64, false, "22.1.0 > 22.1 does not hold"},
		{"product =", []apps.Rule{pc(apps.OpEqual, "22.1.0.0")}, x64, true, ""},
		{"product <", []apps.Rule{pc(apps.OpLessThan, "23")}, x64, true, ""},
		{"product !=", []apps.Rule{pc(apps.OpNotEqual, "22.1")}, x64, false, ""},
		{"product <=", []apps.Rule{pc(apps.OpLessThanOrEqual, "22.0.9")}, x64, false, ""},
		{"product missing", []apps.Rule{{Type: apps.RuleProductCode, ProductCode: "{00000000-0000-0000-0000-000000000001}"}}, x64, false, "not installed"},
		{"script found", []apps.Rule{script(`test -f "$ProgramFiles/Contoso/app.exe" && echo found`)}, x64, true, ""},
		{"script sees the user", []apps.Rule{script(`[ "$USERNAME" = ann ] && [ -d "$TEMP" ] && echo yes`)}, x64, true, ""},
		{"script silent", []apps.Rule{script(`exit 0`)}, x64, false, "wrote nothing"},
		{"script fails", []apps.Rule{script("echo found; exit 3")}, x64, false, "exited with 3"},
		{"all must hold", []apps.Rule{file(apps.OpExists, apps.OpNotConfigured, ""), pc(apps.OpGreaterThan, "99")}, x64, false, "rule 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why, err := e.Detect(context.Background(), tt.rules, tt.facts)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || !strings.Contains(why, tt.wantWhy) {
				t.Errorf("Detect = %v, %q; want %v, %q in the reason", got, why, tt.want, tt.wantWhy)
			}
		})
	}
}

func TestDetectErrors(t *testing.T) {
	e := detectEnv(t)
	for name, rules := range map[string][]apps.Rule{
		"no rules":     nil,
		"other drive":  {{Type: apps.RuleFile, Path: `D:\x`, FileOrFolderName: "y", Operation: apps.OpExists}},
		"bad hive":     {{Type: apps.RuleRegistry, KeyPath: `HKXX\x`, Operation: apps.OpExists}},
		"bad operator": {{Type: apps.RuleFile, Path: `C:\Program Files\Contoso`, FileOrFolderName: "app.exe", Operation: apps.OpVersion, Operator: "about", Value: "1"}},
		"bad version":  {{Type: apps.RuleFile, Path: `C:\Program Files\Contoso`, FileOrFolderName: "app.exe", Operation: apps.OpVersion, Operator: apps.OpEqual, Value: "1.x"}},
		"bad product":  {{Type: apps.RuleProductCode, ProductCode: "7-zip"}},
		"unknown type": {{Type: "wmi"}},
		"unknown op":   {{Type: apps.RuleFile, Path: `C:\Program Files\Contoso`, FileOrFolderName: "app.exe", Operation: "hash"}},
	} {
		if ok, why, err := e.Detect(context.Background(), rules, Facts{}); err == nil {
			t.Errorf("%s: %v, %q, want an error", name, ok, why)
		}
	}
}

func TestDetectPackage(t *testing.T) {
	e := detectEnv(t)
	tests := []struct {
		d    content.Detection
		user string
		want bool
	}{
		{content.Detection{Type: "msi", ProductCode: productCode}, "", true},
		{content.Detection{Type: "msi", ProductCode: productCode, MinVersion: "22.1"}, "", true},
		{content.Detection{Type: "msi", ProductCode: productCode, MinVersion: "22.2"}, "", false},
		{content.Detection{Type: "msi", ProductCode: "{00000000-0000-0000-0000-000000000001}"}, "", false},
		{content.Detection{Type: "file", Path: `%ProgramFiles%\Contoso\app.exe`}, "", true},
		{content.Detection{Type: "file", Path: `C:\Program Files\Contoso\app.exe`, MinVersion: "2.5"}, "", true},
		{content.Detection{Type: "file", Path: `C:\Program Files\Contoso\app.exe`, MinVersion: "3"}, "", false},
		{content.Detection{Type: "file", Path: `C:\Program Files (x86)\Old\old.exe`, MinVersion: "1"}, "", false},
		{content.Detection{Type: "file", Path: `C:\nope.exe`}, "", false},
		{content.Detection{Type: "registry", KeyPath: `HKLM\SOFTWARE\Contoso`}, "", true},
		{content.Detection{Type: "registry", KeyPath: `HKLM\SOFTWARE\Contoso`, ValueName: "Channel", Value: "stable"}, "", true},
		{content.Detection{Type: "registry", KeyPath: `HKLM\SOFTWARE\Contoso`, ValueName: "Channel", Value: "beta"}, "", false},
		{content.Detection{Type: "registry", KeyPath: `HKLM\SOFTWARE\Contoso`, ValueName: "Build", Value: "0x4D2"}, "", true},
		{content.Detection{Type: "registry", KeyPath: `HKLM\SOFTWARE\Contoso`, ValueName: "Nope"}, "", false},
		{content.Detection{Type: "registry", KeyPath: `HKCU\Software\Contoso`, ValueName: "Theme"}, "ann", true},
		{content.Detection{Type: "registry", KeyPath: `HKEY_CURRENT_USER\Software\Contoso`}, "", false},
	}
	for _, tt := range tests {
		got, why, err := e.DetectPackage(tt.d, Facts{User: tt.user})
		if err != nil || got != tt.want || why == "" {
			t.Errorf("DetectPackage(%+v) = %v, %q, %v; want %v", tt.d, got, why, err, tt.want)
		}
	}
	if _, _, err := e.DetectPackage(content.Detection{Type: "wmi"}, Facts{}); err == nil {
		t.Error("an unknown type was accepted")
	}
	if ok, err := e.MSIDetect(productCode, ""); !ok || err != nil {
		t.Errorf("MSIDetect = %v, %v", ok, err)
	}
}
