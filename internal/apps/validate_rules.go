package apps

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// hives are the key prefixes a registry rule may start with.
var hives = []string{`HKEY_LOCAL_MACHINE\`, `HKLM\`, `HKEY_CURRENT_USER\`, `HKCU\`, `HKEY_CLASSES_ROOT\`, `HKCR\`, `HKEY_USERS\`, `HKU\`, `HKEY_CURRENT_CONFIG\`}

// normalizeDetection checks a Win32 app's detection rules: at least one,
// at most MaxRules, and a script rule only on its own (Intune's "use a
// custom detection script" excludes manual rules).
func normalizeDetection(rs []Rule) error {
	if len(rs) == 0 {
		return apperr.Invalid("a win32LobApp needs at least one detection rule (file, registry, product code or script) to know it is installed")
	}
	if len(rs) > MaxRules {
		return apperr.Invalid("%d detection rules given; at most %d are allowed", len(rs), MaxRules)
	}
	for i := range rs {
		if err := rs[i].normalize(true, fmt.Sprintf("detection rule %d (%s)", i+1, rs[i].Type)); err != nil {
			return err
		}
		if rs[i].Type == RuleScript && len(rs) > 1 {
			return apperr.Invalid("detection rule %d is a script: a detection script must be the only detection rule", i+1)
		}
	}
	return nil
}

// normalize checks the requirements: a known Windows release and
// architectures, non-negative minimums, valid requirement rules.
func (q *Requirements) normalize() error {
	if q.MinimumOSRelease != "" {
		c, ok := CanonicalRelease(q.MinimumOSRelease)
		if !ok {
			names := make([]string, 0, len(WindowsReleases))
			for r := range WindowsReleases {
				names = append(names, r)
			}
			slices.SortFunc(names, func(a, b string) int { return WindowsReleases[a] - WindowsReleases[b] })
			return apperr.Invalid("minimumSupportedWindowsRelease must be one of %s, not %q", strings.Join(names, ", "), q.MinimumOSRelease)
		}
		q.MinimumOSRelease = c
	}
	var archs []string
	for _, a := range q.Architectures {
		a = strings.ToLower(strings.TrimSpace(a))
		switch {
		case a == "none" || a == "" || slices.Contains(archs, a):
		case !slices.Contains(Architectures, a):
			return apperr.Invalid("applicableArchitectures: %q is not one of %s", a, strings.Join(Architectures, ", "))
		default:
			archs = append(archs, a)
		}
	}
	q.Architectures = archs
	for _, m := range []struct {
		name string
		v    int
	}{{"minimumFreeDiskSpaceInMB", q.MinFreeDiskMB}, {"minimumMemoryInMB", q.MinMemoryMB},
		{"minimumNumberOfProcessors", q.MinProcessors}, {"minimumCpuSpeedInMHz", q.MinCPUSpeedMHz}} {
		if m.v < 0 {
			return apperr.Invalid("%s must not be negative (%d)", m.name, m.v)
		}
	}
	if len(q.Rules) > MaxRules {
		return apperr.Invalid("%d requirement rules given; at most %d are allowed", len(q.Rules), MaxRules)
	}
	for i := range q.Rules {
		if err := q.Rules[i].normalize(false, fmt.Sprintf("requirement rule %d (%s)", i+1, q.Rules[i].Type)); err != nil {
			return err
		}
	}
	return nil
}

// normalizeReturnCodes fills in DefaultReturnCodes when none are given and
// checks the rest: known types, each code once, at least one success.
func normalizeReturnCodes(codes []ReturnCode) ([]ReturnCode, error) {
	if len(codes) == 0 {
		return DefaultReturnCodes(), nil
	}
	if len(codes) > MaxReturnCodes {
		return nil, apperr.Invalid("%d returnCodes given; at most %d are allowed", len(codes), MaxReturnCodes)
	}
	seen, success := map[int32]bool{}, false
	for i, c := range codes {
		switch c.Type {
		case ReturnSuccess:
			success = true
		case ReturnFailed, ReturnSoftReboot, ReturnHardReboot, ReturnRetry:
		default:
			return nil, apperr.Invalid("returnCodes[%d].type must be success, softReboot, hardReboot, retry or failed, not %q", i, c.Type)
		}
		if seen[c.Code] {
			return nil, apperr.Invalid("returnCodes[%d]: return code %d is given twice", i, c.Code)
		}
		seen[c.Code] = true
	}
	if !success {
		return nil, apperr.Invalid("returnCodes has no success code, so every install would fail; add {\"returnCode\": 0, \"type\": \"success\"}")
	}
	return codes, nil
}

// normalize checks one rule; at names it in messages.
func (r *Rule) normalize(detection bool, at string) error {
	if r.Operator == "" {
		r.Operator = OpNotConfigured
	}
	if !slices.Contains(Operators, r.Operator) {
		return apperr.Invalid("%s: unknown operator %q", at, r.Operator)
	}
	switch r.Type {
	case RuleFile:
		if err := pathPart(at, "path", &r.Path, `*?"<>|`); err != nil {
			return err
		}
		if err := pathPart(at, "fileOrFolderName", &r.FileOrFolderName, `\/:*?"<>|`); err != nil {
			return err
		}
	case RuleRegistry:
		if err := pathPart(at, "keyPath", &r.KeyPath, "\x00"); err != nil {
			return err
		}
		if !slices.ContainsFunc(hives, func(h string) bool { return len(r.KeyPath) > len(h) && strings.EqualFold(r.KeyPath[:len(h)], h) }) {
			return apperr.Invalid("%s: keyPath must start with a hive such as HKEY_LOCAL_MACHINE\\, not %q", at, r.KeyPath)
		}
	case RuleProductCode:
		return r.normalizeProductCode(detection, at)
	case RuleScript:
		return r.normalizeScript(detection, at)
	default:
		return apperr.Invalid("%s: unknown rule type %q", at, r.Type)
	}
	if !slices.Contains(RuleOperations[r.Type], r.Operation) {
		return apperr.Invalid("%s: operationType must be one of %s, not %q", at, strings.Join(RuleOperations[r.Type], ", "), r.Operation)
	}
	return r.normalizeComparison(at)
}

func pathPart(at, name string, v *string, forbidden string) error {
	*v = strings.TrimSpace(*v)
	switch {
	case *v == "":
		return apperr.Invalid("%s: %s is required", at, name)
	case strings.ContainsAny(*v, forbidden+"\r\n\x00"):
		return apperr.Invalid("%s: %s %q contains a character that is not allowed there", at, name, *v)
	}
	return maxLen(at+": "+name, *v, MaxCommandLen)
}

func (r *Rule) normalizeProductCode(detection bool, at string) error {
	if !detection {
		return apperr.Invalid("%s: product code rules detect an install; they cannot be requirements", at)
	}
	r.ProductCode = strings.TrimSpace(r.ProductCode)
	if !guidRE.MatchString(r.ProductCode) {
		return apperr.Invalid("%s: productCode must be a GUID such as {23170F69-40C1-2702-2201-000001000000}, not %q", at, r.ProductCode)
	}
	if r.Operator == OpNotConfigured {
		r.ProductVersion = ""
		return nil
	}
	if !versionRE.MatchString(r.ProductVersion) {
		return apperr.Invalid("%s: productVersion must be a version such as 1.2.3 when productVersionOperator is %s, not %q", at, r.Operator, r.ProductVersion)
	}
	return nil
}

func (r *Rule) normalizeScript(detection bool, at string) error {
	if len(r.ScriptContent) == 0 {
		return apperr.Invalid("%s: scriptContent is required (the PowerShell script, base64-encoded)", at)
	}
	if len(r.ScriptContent) > MaxScriptBytes {
		return apperr.Invalid("%s: the script is %d bytes; at most %d are allowed", at, len(r.ScriptContent), MaxScriptBytes)
	}
	if err := oneOf(at+": runAsAccount", &r.RunAsAccount, RunAsSystem, RunAsSystem, RunAsUser); err != nil {
		return err
	}
	if detection {
		if (r.Operation != "" && r.Operation != "notConfigured") || r.Operator != OpNotConfigured {
			return apperr.Invalid("%s: a detection script is judged by its exit code (0) and output; operationType and operator must be notConfigured", at)
		}
		r.Operation, r.Value = "", ""
		return nil
	}
	if !slices.Contains(RuleOperations[RuleScript], r.Operation) {
		return apperr.Invalid("%s: operationType must be one of %s, not %q", at, strings.Join(RuleOperations[RuleScript], ", "), r.Operation)
	}
	return r.normalizeComparison(at)
}

// normalizeComparison checks the operator and value against the operation.
func (r *Rule) normalizeComparison(at string) error {
	if r.Operation == OpExists || r.Operation == OpDoesNotExist {
		if r.Operator != OpNotConfigured {
			return apperr.Invalid("%s: %s compares nothing, so the operator must be notConfigured, not %s", at, r.Operation, r.Operator)
		}
		r.Value = ""
		return nil
	}
	if r.Operator == OpNotConfigured {
		return apperr.Invalid("%s: %s needs an operator such as equal or greaterThanOrEqual", at, r.Operation)
	}
	v := strings.TrimSpace(r.Value)
	bad := func(want string) error {
		return apperr.Invalid("%s: the value to compare must be %s for %s, not %q", at, want, r.Operation, r.Value)
	}
	switch r.Operation {
	case OpVersion:
		if !versionRE.MatchString(v) {
			return bad("a version such as 1.2.3")
		}
	case OpModifiedDate, OpCreatedDate, OpDateTime:
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return bad("an RFC 3339 date-time such as 2024-01-31T00:00:00Z")
		}
		v = t.UTC().Format(time.RFC3339)
	case OpSizeInMB, OpInteger:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return bad("an integer")
		}
	case OpFloat:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return bad("a number")
		}
	case OpBoolean:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return bad("true or false")
		}
		if r.Operator != OpEqual && r.Operator != OpNotEqual {
			return apperr.Invalid("%s: booleans compare with equal or notEqual, not %s", at, r.Operator)
		}
		v = strconv.FormatBool(b)
	case OpString:
		if r.Value == "" {
			return bad("a non-empty string")
		}
		v = r.Value
	}
	r.Value = v
	return maxLen(at+": value", v, MaxCommandLen)
}
