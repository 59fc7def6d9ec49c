package apps

import (
	"errors"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
)

func validWin32() App {
	return App{Kind: Win32, DisplayName: "App", InstallCommand: "setup.exe", UninstallCommand: "setup.exe /x",
		DetectionRules: []Rule{{Type: RuleFile, Path: `C:\App`, FileOrFolderName: "app.exe", Operation: OpExists}}}
}

func wantInvalid(t *testing.T, name string, err error, want string) {
	t.Helper()
	var inv *apperr.InvalidError
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: error %v, want invalid input mentioning %q", name, err, want)
	}
}

func TestAppValidation(t *testing.T) {
	file := func(op string, opr Operator, v string) Rule {
		return Rule{Type: RuleFile, Path: `C:\App`, FileOrFolderName: "app.exe", Operation: op, Operator: opr, Value: v}
	}
	script := Rule{Type: RuleScript, ScriptContent: []byte("exit 0")}
	cases := []struct {
		name   string
		change func(*App)
		want   string
	}{
		{"no name", func(a *App) { a.DisplayName = " " }, "displayName is required"},
		{"no install command", func(a *App) { a.InstallCommand = "" }, "installCommandLine is required"},
		{"multi-line command", func(a *App) { a.InstallCommand = "a.exe\nb.exe" }, "single line"},
		{"unbalanced quote", func(a *App) { a.UninstallCommand = `"C:\Program Files\x.exe /x` }, "unbalanced double quote"},
		{"long command", func(a *App) { a.InstallCommand = strings.Repeat("x", 1025) }, "maximum is 1024"},
		{"no detection", func(a *App) { a.DetectionRules = nil }, "at least one detection rule"},
		{"bad run-as", func(a *App) { a.RunAsAccount = "admin" }, "runAsAccount"},
		{"bad restart", func(a *App) { a.RestartBehavior = "sometimes" }, "deviceRestartBehavior"},
		{"run time", func(a *App) { a.MaxRunTimeMinutes = 1441 }, "maxRunTimeInMinutes"},
		{"file without name", func(a *App) { a.DetectionRules = []Rule{{Type: RuleFile, Path: `C:\App`, Operation: OpExists}} }, "fileOrFolderName is required"},
		{"file name with folder", func(a *App) { a.DetectionRules[0].FileOrFolderName = `bin\app.exe` }, "not allowed"},
		{"exists with operator", func(a *App) { a.DetectionRules = []Rule{file(OpExists, OpEqual, "")} }, "operator must be notConfigured"},
		{"version without operator", func(a *App) { a.DetectionRules = []Rule{file(OpVersion, "", "1.0")} }, "needs an operator"},
		{"bad version", func(a *App) { a.DetectionRules = []Rule{file(OpVersion, OpGreaterThanOrEqual, "one")} }, "a version such as"},
		{"bad date", func(a *App) { a.DetectionRules = []Rule{file(OpModifiedDate, OpGreaterThan, "yesterday")} }, "RFC 3339"},
		{"bad size", func(a *App) { a.DetectionRules = []Rule{file(OpSizeInMB, OpGreaterThan, "1.5")} }, "an integer"},
		{"bad file operation", func(a *App) { a.DetectionRules = []Rule{file(OpString, OpEqual, "x")} }, "operationType must be one of"},
		{"registry without hive", func(a *App) {
			a.DetectionRules = []Rule{{Type: RuleRegistry, KeyPath: `SOFTWARE\Contoso`, Operation: OpExists}}
		}, "must start with a hive"},
		{"product code", func(a *App) { a.DetectionRules = []Rule{{Type: RuleProductCode, ProductCode: "notaguid"}} }, "productCode must be a GUID"},
		{"product version", func(a *App) {
			a.DetectionRules = []Rule{{Type: RuleProductCode, ProductCode: "{23170F69-40C1-2702-2201-000001000000}", Operator: OpEqual}}
		}, "productVersion must be a version"},
		{"script plus file", func(a *App) { a.DetectionRules = append(a.DetectionRules, script) }, "must be the only detection rule"},
		{"empty script", func(a *App) { a.DetectionRules = []Rule{{Type: RuleScript}} }, "scriptContent is required"},
		{"script detection comparing", func(a *App) {
			a.DetectionRules = []Rule{{Type: RuleScript, ScriptContent: []byte("x"), Operation: OpString, Operator: OpEqual, Value: "x"}}
		}, "judged by its exit code"},
		{"product code requirement", func(a *App) {
			a.Requirements.Rules = []Rule{{Type: RuleProductCode, ProductCode: "{23170F69-40C1-2702-2201-000001000000}"}}
		}, "cannot be requirements"},
		{"requirement script without operation", func(a *App) { a.Requirements.Rules = []Rule{script} }, "operationType must be one of"},
		{"boolean compared greater", func(a *App) {
			a.Requirements.Rules = []Rule{{Type: RuleScript, ScriptContent: []byte("x"), Operation: OpBoolean, Operator: OpGreaterThan, Value: "true"}}
		}, "equal or notEqual"},
		{"unknown rule type", func(a *App) { a.DetectionRules = []Rule{{Type: "wmi"}} }, "unknown rule type"},
		{"os release", func(a *App) { a.Requirements.MinimumOSRelease = "95" }, "minimumSupportedWindowsRelease"},
		{"architecture", func(a *App) { a.Requirements.Architectures = []string{"x64", "mips"} }, `"mips"`},
		{"negative disk", func(a *App) { a.Requirements.MinFreeDiskMB = -1 }, "minimumFreeDiskSpaceInMB"},
		{"duplicate return code", func(a *App) { a.ReturnCodes = []ReturnCode{{0, ReturnSuccess}, {0, ReturnRetry}} }, "given twice"},
		{"no success code", func(a *App) { a.ReturnCodes = []ReturnCode{{1, ReturnFailed}} }, "no success code"},
		{"bad return type", func(a *App) { a.ReturnCodes = []ReturnCode{{0, "great"}} }, "returnCodes[0].type"},
		{"MSI fields on Win32", func(a *App) { a.ProductCode = "{23170F69-40C1-2702-2201-000001000000}" }, "belong to windowsMobileMSI"},
		{"bad URL", func(a *App) { a.InformationURL = "ftp://x" }, "informationUrl must be an http"},
		{"msi information", func(a *App) { a.MSIInformation = &MSIInformation{PackageType: "perPlanet"} }, "packageType"},
		{"too many tags", func(a *App) { a.RoleScopeTagIDs = make([]string, 101) }, "roleScopeTagIds"},
	}
	for _, c := range cases {
		a := validWin32()
		c.change(&a)
		wantInvalid(t, c.name, a.normalize(nil), c.want)
	}
	a := validWin32()
	a.Requirements = Requirements{Architectures: []string{"X64", "none", "x64", "arm64"}, MinimumOSRelease: "21H2"}
	a.DetectionRules = []Rule{{Type: RuleRegistry, KeyPath: `HKLM\SOFTWARE\Contoso`, ValueName: "Version", Operation: OpVersion, Operator: OpGreaterThanOrEqual, Value: " 2.1 "},
		file(OpModifiedDate, OpGreaterThan, "2024-01-31T10:00:00+02:00")}
	if err := a.normalize(nil); err != nil {
		t.Fatal(err)
	}
	if strings.Join(a.Requirements.Architectures, ",") != "x64,arm64" || a.DetectionRules[0].Value != "2.1" || a.DetectionRules[1].Value != "2024-01-31T08:00:00Z" {
		t.Fatalf("canonical form = %+v %+v", a.Requirements, a.DetectionRules)
	}
}

func TestPolicyValidation(t *testing.T) {
	oma := func(typ OMAType, uri, v string) Policy {
		return Policy{Kind: CustomSettings, DisplayName: "P", Settings: []OMASetting{{Type: typ, DisplayName: "S", OMAURI: uri, Value: v}}}
	}
	cert := func(c CertificateProfile) Policy { return Policy{Kind: Certificate, DisplayName: "C", Certificate: &c} }
	wifi := func(w WiFiProfile) Policy { return Policy{Kind: WiFi, DisplayName: "W", WiFi: &w} }
	vpn := func(v VPNProfile) Policy {
		if v.ConnectionName == "" {
			v.ConnectionName = "VPN"
		}
		return Policy{Kind: VPN, DisplayName: "V", VPN: &v}
	}
	const uri = "./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera"
	dup := oma(OMAInteger, uri, "1")
	dup.Settings = append(dup.Settings, OMASetting{Type: OMAString, DisplayName: "again", OMAURI: strings.ToUpper(uri), Value: "x"})
	server := []VPNServer{{Address: "vpn.contoso.example"}}
	cases := []struct {
		name string
		p    Policy
		want string
	}{
		{"no settings", Policy{Kind: CustomSettings, DisplayName: "P"}, "at least one setting"},
		{"bad uri", oma(OMAInteger, "Device/Vendor/MSFT/x", "1"), "omaUri must be an OMA-URI"},
		{"integer", oma(OMAInteger, uri, "one"), "not a 32-bit integer"},
		{"integer range", oma(OMAInteger, uri, "4294967296"), "not a 32-bit integer"},
		{"boolean", oma(OMABoolean, uri, "yes"), "not true or false"},
		{"date", oma(OMADateTime, uri, "2024-13-01"), "RFC 3339"},
		{"base64", oma(OMABase64, uri, "%%%"), "base64"},
		{"unknown type", oma("blob", uri, "x"), "unknown setting type"},
		{"duplicate uri", dup, "already set by omaSettings[0]"},
		{"wrong settings", Policy{Kind: WiFi, DisplayName: "W", Settings: []OMASetting{{}}}, "its own settings"},
		{"custom without template", cert(CertificateProfile{SubjectNameFormat: "custom"}), "subjectNameFormatString is required"},
		{"template without custom", cert(CertificateProfile{SubjectNameFormat: "commonName", SubjectTemplate: "CN=x"}), "only when subjectNameFormat is custom"},
		{"unknown variable", cert(CertificateProfile{SubjectTemplate: "CN={{Hostname}}"}), "unknown variable {{Hostname}}"},
		{"no CN", cert(CertificateProfile{SubjectTemplate: "O=Contoso"}), "has no CN"},
		{"bad RDN", cert(CertificateProfile{SubjectTemplate: "CN={{DeviceName}},Contoso"}), "is not ATTRIBUTE=value"},
		{"unbalanced braces", cert(CertificateProfile{SubjectTemplate: "CN={{DeviceName}"}), "unbalanced"},
		{"validity", cert(CertificateProfile{ValidityValue: 11, ValidityScale: "years"}), "certificateValidityPeriodValue"},
		{"renewal", cert(CertificateProfile{RenewalThresholdPercent: 100}), "renewalThresholdPercentage"},
		{"ksp", cert(CertificateProfile{KeyStorageProvider: "cloud"}), "keyStorageProvider"},
		{"eku", cert(CertificateProfile{ExtendedKeyUsages: []ExtendedKeyUsage{{Name: "x", OID: "client"}}}), "objectIdentifier"},
		{"san", cert(CertificateProfile{SubjectAlternativeNameType: "userPrincipalName,phone"}), `"phone"`},
		{"san attribute", cert(CertificateProfile{SubjectAlternativeNameType: "customAzureADAttribute"}), "subjectAlternativeNameFormatString is required"},
		{"ssid", wifi(WiFiProfile{SSID: strings.Repeat("s", 33)}), "ssid must be 1 to 32"},
		{"short psk", wifi(WiFiProfile{SSID: "s", PreSharedKey: "1234567"}), "8 to 63"},
		{"open with key", wifi(WiFiProfile{SSID: "s", SecurityType: "open", PreSharedKey: "12345678"}), "must be empty for an open network"},
		{"enterprise", wifi(WiFiProfile{SSID: "s", SecurityType: "wpa2Enterprise"}), "enterprise (EAP)"},
		{"manual proxy", wifi(WiFiProfile{SSID: "s", PreSharedKey: "12345678", ProxySetting: "manual"}), "proxyManualPort"},
		{"no servers", vpn(VPNProfile{}), "servers needs 1"},
		{"two defaults", vpn(VPNProfile{Servers: []VPNServer{{Address: "a", Default: true}, {Address: "b", Default: true}}}), "at most one"},
		{"device tunnel", vpn(VPNProfile{Servers: server, DeviceTunnel: true}), "device tunnel"},
		{"dns suffix", vpn(VPNProfile{Servers: server, DNSSuffixes: []string{"not a name"}}), "dnsSuffixes[0]"},
		{"connection type", vpn(VPNProfile{Servers: server, ConnectionType: "openvpn"}), "connectionType"},
	}
	for _, c := range cases {
		p := c.p
		wantInvalid(t, c.name, p.normalize(nil), c.want)
	}
	// The secret never shows in a message.
	p := wifi(WiFiProfile{SSID: "s", PreSharedKey: "secret1"})
	if err := p.normalize(nil); err == nil || strings.Contains(err.Error(), "secret1") {
		t.Fatalf("PSK error leaks the key: %v", err)
	}
}

func TestAssignmentValidation(t *testing.T) {
	grp := func(k assign.Kind, id string) assign.Target { return assign.Target{Kind: k, GroupID: id} }
	const g = "0D2F1C5E-1111-4222-8333-444455556666"
	out, err := normalizeAssignments([]Assignment{{Target: grp(assign.Group, g)}, {Target: grp(assign.ExclusionGroup, g)}}, "assignments")
	if err != nil || out[0].Target.GroupID != strings.ToLower(g) || out[0].ID == "" || out[0].ID == out[1].ID {
		t.Fatalf("include and exclude of one group: %+v %v", out, err)
	}
	_, err = normalizeAssignments([]Assignment{{Target: grp(assign.Group, g)}, {Target: grp(assign.Group, strings.ToLower(g))}}, "assignments")
	wantInvalid(t, "same group twice", err, "assignments[1].target: group")
	_, err = normalizeAssignments(make([]Assignment, MaxAssignments+1), "assignments")
	wantInvalid(t, "too many", err, "at most 200")
	_, err = normalizeAppAssignments([]AppAssignment{{Intent: "availableWithoutEnrollment", Target: assign.Target{Kind: assign.AllLicensedUsers}}}, "mobileAppAssignments")
	wantInvalid(t, "intent", err, "mobileAppAssignments[0].intent")
	_, err = normalizeAppAssignments([]AppAssignment{{Intent: IntentRequired, Notifications: "loud", Target: assign.Target{Kind: assign.AllDevices}}}, "mobileAppAssignments")
	wantInvalid(t, "notifications", err, "settings.notifications")
}

func TestCycleDetection(t *testing.T) {
	graph := map[string][]string{"a": {"b"}, "b": {"c", "d"}, "c": {"e"}, "d": {"a"}}
	if got := strings.Join(cycleFrom(graph, "a"), ">"); got != "a>b>d>a" {
		t.Fatalf("cycle from a = %s", got)
	}
	if got := cycleFrom(graph, "c"); got != nil {
		t.Fatalf("c is on no cycle, got %v", got)
	}
	if n := len(reachable(graph, "c")); n != 1 {
		t.Fatalf("c reaches %d apps", n)
	}
	if n := len(reachable(graph, "a")); n != 4 {
		t.Fatalf("a reaches %d apps (itself excluded)", n)
	}
}
