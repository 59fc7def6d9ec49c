package winenv

import (
	"context"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apps"
)

func TestCheckRequirements(t *testing.T) {
	e := detectEnv(t)
	good := Facts{Build: 26100, Arch: "x64", FreeDiskMB: 50000, MemoryMB: 16384, Processors: 8, CPUSpeedMHz: 2400, User: "ann"}
	scriptReq := func(s, op string, o apps.Operator, v string) apps.Rule {
		return apps.Rule{Type: apps.RuleScript, ScriptContent: []byte(s), Operation: op, Operator: o, Value: v}
	}
	tests := []struct {
		name    string
		req     apps.Requirements
		want    bool
		wantWhy string
	}{
		{"none", apps.Requirements{}, true, "met"},
		{"all met", apps.Requirements{MinimumOSRelease: "Windows11_23H2", Architectures: []string{"x64", "arm64"}, MinFreeDiskMB: 1000,
			MinMemoryMB: 8192, MinProcessors: 4, MinCPUSpeedMHz: 2000}, true, "met"},
		{"os release equal to the build", apps.Requirements{MinimumOSRelease: "Windows11_24H2"}, true, ""},
		{"os release", apps.Requirements{MinimumOSRelease: "2H20"}, true, ""},
		{"architecture", apps.Requirements{Architectures: []string{"arm64"}}, false, "architectures"},
		{"neutral", apps.Requirements{Architectures: []string{"neutral"}}, true, ""},
		{"disk", apps.Requirements{MinFreeDiskMB: 60000}, false, "minFreeDiskMB"},
		{"memory", apps.Requirements{MinMemoryMB: 32768}, false, "minMemoryMB"},
		{"processors", apps.Requirements{MinProcessors: 16}, false, "minProcessors"},
		{"cpu speed", apps.Requirements{MinCPUSpeedMHz: 3000}, false, "minCpuSpeedMHz"},
		{"file rule", apps.Requirements{Rules: []apps.Rule{{Type: apps.RuleFile, Path: `C:\Program Files\Contoso`, FileOrFolderName: "app.exe",
			Operation: apps.OpVersion, Operator: apps.OpLessThan, Value: "2"}}}, false, "requirement rule 1 (file)"},
		{"registry rule", apps.Requirements{Rules: []apps.Rule{{Type: apps.RuleRegistry, KeyPath: `HKLM\SOFTWARE\Contoso`, ValueName: "Build",
			Operation: apps.OpInteger, Operator: apps.OpGreaterThan, Value: "1000"}}}, true, ""},
		{"script integer", apps.Requirements{Rules: []apps.Rule{scriptReq("echo hello; echo 42", apps.OpInteger, apps.OpGreaterThanOrEqual, "40")}}, true, ""},
		{"script integer fails", apps.Requirements{Rules: []apps.Rule{scriptReq("echo 42", apps.OpInteger, apps.OpLessThan, "40")}}, false, "42"},
		{"script string", apps.Requirements{Rules: []apps.Rule{scriptReq("echo $USERNAME", apps.OpString, apps.OpEqual, "SYSTEM")}}, true, ""},
		{"script as user", apps.Requirements{Rules: []apps.Rule{{Type: apps.RuleScript, ScriptContent: []byte("echo $USERNAME"), RunAsAccount: apps.RunAsUser,
			Operation: apps.OpString, Operator: apps.OpEqual, Value: "ann"}}}, true, ""},
		{"script version", apps.Requirements{Rules: []apps.Rule{scriptReq("echo 10.0.2", apps.OpVersion, apps.OpGreaterThan, "10.0.1")}}, true, ""},
		{"script float", apps.Requirements{Rules: []apps.Rule{scriptReq("echo 1.5", apps.OpFloat, apps.OpLessThan, "2")}}, true, ""},
		{"script boolean", apps.Requirements{Rules: []apps.Rule{scriptReq("echo true", apps.OpBoolean, apps.OpEqual, "false")}}, false, ""},
		{"script dateTime", apps.Requirements{Rules: []apps.Rule{scriptReq("echo 2025-01-02T00:00:00Z", apps.OpDateTime, apps.OpGreaterThan, "2025-01-01T00:00:00Z")}}, true, ""},
		{"script bad output", apps.Requirements{Rules: []apps.Rule{scriptReq("echo abc", apps.OpInteger, apps.OpEqual, "1")}}, false, "not an integer"},
		{"script exit", apps.Requirements{Rules: []apps.Rule{scriptReq("echo 1; exit 2", apps.OpInteger, apps.OpEqual, "1")}}, false, "exited with 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why, err := e.CheckRequirements(context.Background(), tt.req, good)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.want || !strings.Contains(why, tt.wantWhy) {
				t.Errorf("CheckRequirements = %v, %q; want %v, %q in the reason", ok, why, tt.want, tt.wantWhy)
			}
		})
	}
	old := good
	old.Build = 19045
	if ok, why, err := e.CheckRequirements(context.Background(), apps.Requirements{MinimumOSRelease: "Windows11_22H2"}, old); ok || err != nil || !strings.Contains(why, "minimumOSRelease") || !strings.Contains(why, "22621") {
		t.Errorf("old build: %v, %q, %v", ok, why, err)
	}
	if _, _, err := e.CheckRequirements(context.Background(), apps.Requirements{MinimumOSRelease: "Vista"}, good); err == nil {
		t.Error("an unknown release was accepted")
	}
}
