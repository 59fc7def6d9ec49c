package apps

import (
	"slices"
	"strings"
)

// RuleType says what a detection or requirement rule looks at.
type RuleType string

// Rule types, after Graph's win32LobApp…Rule / …Detection types.
const (
	// RuleFile checks a file or folder: exists, does not exist, version,
	// size, created or modified date.
	RuleFile RuleType = "file"
	// RuleRegistry checks a value in the device's settings store, which
	// stands in for the Windows registry: KeyPath names the key and
	// ValueName the value (empty for the key itself).
	RuleRegistry RuleType = "registry"
	// RuleProductCode detects an installed MSI product code, optionally at
	// a version (detection only).
	RuleProductCode RuleType = "productCode"
	// RuleScript runs a PowerShell script. As a detection rule the app is
	// present when the script exits 0 and writes to standard output; as a
	// requirement its output is compared as Operation says.
	RuleScript RuleType = "script"
)

// Operator compares a rule's observed value with Rule.Value (Graph
// win32LobAppRuleOperator / win32LobAppDetectionOperator).
type Operator string

// Operators.
const (
	OpNotConfigured      Operator = "notConfigured"
	OpEqual              Operator = "equal"
	OpNotEqual           Operator = "notEqual"
	OpGreaterThan        Operator = "greaterThan"
	OpGreaterThanOrEqual Operator = "greaterThanOrEqual"
	OpLessThan           Operator = "lessThan"
	OpLessThanOrEqual    Operator = "lessThanOrEqual"
)

// Operators lists the operators in Graph's order.
var Operators = []Operator{OpNotConfigured, OpEqual, OpNotEqual, OpGreaterThan, OpGreaterThanOrEqual, OpLessThan, OpLessThanOrEqual}

// Operations a rule can perform, by rule type (Graph's operationType /
// detectionType values). "exists" and "doesNotExist" take no operator or
// value; the others compare with Operator and Value.
const (
	OpExists       = "exists"
	OpDoesNotExist = "doesNotExist"
	OpModifiedDate = "modifiedDate"
	OpCreatedDate  = "createdDate"
	OpVersion      = "version"
	OpSizeInMB     = "sizeInMB"
	OpString       = "string"
	OpInteger      = "integer"
	OpFloat        = "float"
	OpDateTime     = "dateTime"
	OpBoolean      = "boolean"
)

// RuleOperations lists the operations each rule type accepts. Script
// detection rules take none (exit code and output decide).
var RuleOperations = map[RuleType][]string{
	RuleFile:     {OpExists, OpDoesNotExist, OpModifiedDate, OpCreatedDate, OpVersion, OpSizeInMB},
	RuleRegistry: {OpExists, OpDoesNotExist, OpString, OpInteger, OpVersion},
	RuleScript:   {OpString, OpDateTime, OpInteger, OpFloat, OpVersion, OpBoolean},
}

// Rule is one detection or requirement rule. Which fields apply depends on
// Type; the others are empty.
type Rule struct {
	Type      RuleType `json:"type"`
	Operation string   `json:"operation,omitempty"` // one of RuleOperations[Type]; "" for product-code and script detection
	Operator  Operator `json:"operator,omitempty"`  // never "" after validation: OpNotConfigured when nothing is compared
	Value     string   `json:"value,omitempty"`     // compared value, canonical text (RFC 3339 for dates)

	// RuleFile: a folder path and the file or folder name in it.
	Path             string `json:"path,omitempty"`
	FileOrFolderName string `json:"fileOrFolderName,omitempty"`
	// RuleRegistry: a key such as HKEY_LOCAL_MACHINE\SOFTWARE\Contoso and a
	// value name ("" for the key itself).
	KeyPath   string `json:"keyPath,omitempty"`
	ValueName string `json:"valueName,omitempty"`
	// RuleFile and RuleRegistry: look in the 32-bit view on 64-bit Windows.
	Check32BitOn64System bool `json:"check32BitOn64System,omitempty"`

	// RuleProductCode: the MSI product code; Operator and ProductVersion
	// compare the installed version (OpNotConfigured: any version).
	ProductCode    string `json:"productCode,omitempty"`
	ProductVersion string `json:"productVersion,omitempty"`

	// RuleScript: the script and how to run it.
	ScriptContent         []byte `json:"scriptContent,omitempty"`
	DisplayName           string `json:"displayName,omitempty"`
	EnforceSignatureCheck bool   `json:"enforceSignatureCheck,omitempty"`
	RunAs32Bit            bool   `json:"runAs32Bit,omitempty"`
	RunAsAccount          string `json:"runAsAccount,omitempty"` // requirement scripts: RunAsSystem (default) or RunAsUser
}

// Requirements are what a device must offer before a Win32 app installs.
// Zero values mean "no requirement".
type Requirements struct {
	// MinimumOSRelease is the lowest Windows release, as Graph's
	// minimumSupportedWindowsRelease names it ("1607", "20H2",
	// "Windows11_23H2", …; see WindowsReleases); "" = any.
	MinimumOSRelease string `json:"minimumOSRelease,omitempty"`
	// Architectures the app runs on: "x86", "x64", "arm", "arm64",
	// "neutral"; empty = any.
	Architectures  []string `json:"architectures,omitempty"`
	MinFreeDiskMB  int      `json:"minFreeDiskMB,omitempty"`
	MinMemoryMB    int      `json:"minMemoryMB,omitempty"`
	MinProcessors  int      `json:"minProcessors,omitempty"`
	MinCPUSpeedMHz int      `json:"minCpuSpeedMHz,omitempty"`
	// Rules are further requirement rules (file, registry, script).
	Rules []Rule `json:"rules,omitempty"`
}

// WindowsReleases maps the values MinimumOSRelease accepts — the strings
// Intune stores in minimumSupportedWindowsRelease — to the Windows build
// each release starts at, so a device's build can be compared with it.
var WindowsReleases = map[string]int{
	"1607": 14393, "1703": 15063, "1709": 16299, "1803": 17134, "1809": 17763, "1903": 18362, "1909": 18363,
	"2004": 19041, "20H2": 19042, "21H1": 19043, "Windows10_21H2": 19044, "Windows10_22H2": 19045,
	"Windows11_21H2": 22000, "Windows11_22H2": 22621, "Windows11_23H2": 22631, "Windows11_24H2": 26100,
}

// releaseAliases are other spellings tools send for the same releases.
var releaseAliases = map[string]string{"2H20": "20H2", "21H2": "Windows10_21H2", "22H2": "Windows10_22H2"}

// CanonicalRelease returns the WindowsReleases spelling of a release given
// in any case or as an alias ("2H20", "21H2"); ok is false when unknown.
func CanonicalRelease(r string) (string, bool) {
	r = strings.TrimSpace(r)
	for a, c := range releaseAliases {
		if strings.EqualFold(a, r) {
			return c, true
		}
	}
	for c := range WindowsReleases {
		if strings.EqualFold(c, r) {
			return c, true
		}
	}
	return "", false
}

// ReleaseBuild returns the Windows build a release starts at.
func ReleaseBuild(release string) (int, bool) {
	c, ok := CanonicalRelease(release)
	return WindowsReleases[c], ok
}

// Architectures are the values Requirements.Architectures accepts.
var Architectures = []string{"x86", "x64", "arm", "arm64", "neutral"}

// ReturnCodeType says what an installer exit code means (Graph
// win32LobAppReturnCodeType).
type ReturnCodeType string

// Return code types.
const (
	ReturnFailed     ReturnCodeType = "failed"
	ReturnSuccess    ReturnCodeType = "success"
	ReturnSoftReboot ReturnCodeType = "softReboot"
	ReturnHardReboot ReturnCodeType = "hardReboot"
	ReturnRetry      ReturnCodeType = "retry"
)

// ReturnCode maps one installer exit code to its meaning.
type ReturnCode struct {
	Code int32          `json:"code"`
	Type ReturnCodeType `json:"type"`
}

// DefaultReturnCodes are the codes Intune gives a new Win32 app.
func DefaultReturnCodes() []ReturnCode {
	return []ReturnCode{
		{0, ReturnSuccess}, {1707, ReturnSuccess}, {3010, ReturnSoftReboot}, {1641, ReturnHardReboot}, {1618, ReturnRetry},
	}
}

func cloneRules(rs []Rule) []Rule {
	out := slices.Clone(rs)
	for i := range out {
		out[i].ScriptContent = slices.Clone(out[i].ScriptContent)
	}
	return out
}
