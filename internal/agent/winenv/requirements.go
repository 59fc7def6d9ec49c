package winenv

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// CheckRequirements reports whether the device meets an app's
// requirements: the minimum Windows release (apps.ReleaseBuild against
// f.Build), the architectures, free disk, memory, processors, CPU speed
// and the requirement rules (evaluated like detection rules; script rules
// compare their output as Operation and Operator say). reason names the
// first requirement not met by its JSON name, or says all are met. err
// reports a requirement that cannot be evaluated (an unknown release, a
// malformed rule …).
func (e *Env) CheckRequirements(ctx context.Context, r apps.Requirements, f Facts) (ok bool, reason string, err error) {
	if err := CheckUser(f.User); err != nil {
		return false, "", fmt.Errorf("checking requirements: %w", err)
	}
	if r.MinimumOSRelease != "" {
		build, known := apps.ReleaseBuild(r.MinimumOSRelease)
		if !known {
			return false, "", fmt.Errorf("checking requirements: minimumOSRelease %q is not a known Windows release", r.MinimumOSRelease)
		}
		if f.Build < build {
			return false, fmt.Sprintf("minimumOSRelease: the device runs Windows build %d, older than %s (build %d)", f.Build, r.MinimumOSRelease, build), nil
		}
	}
	if len(r.Architectures) > 0 && !slices.ContainsFunc(r.Architectures, func(a string) bool {
		return strings.EqualFold(a, f.Arch) || strings.EqualFold(a, "neutral")
	}) {
		return false, fmt.Sprintf("architectures: the device is %s; the app runs on %s", f.Arch, strings.Join(r.Architectures, ", ")), nil
	}
	for _, m := range []struct {
		name, unit string
		want, have int
	}{
		{"minFreeDiskMB", "MB of free disk space", r.MinFreeDiskMB, f.FreeDiskMB},
		{"minMemoryMB", "MB of memory", r.MinMemoryMB, f.MemoryMB},
		{"minProcessors", "processors", r.MinProcessors, f.Processors},
		{"minCpuSpeedMHz", "MHz CPU speed", r.MinCPUSpeedMHz, f.CPUSpeedMHz},
	} {
		if m.want > 0 && m.have < m.want {
			return false, fmt.Sprintf("%s: the device has %d %s; the app needs %d", m.name, m.have, m.unit, m.want), nil
		}
	}
	for i, rule := range r.Rules {
		if rule.Type == apps.RuleProductCode {
			return false, "", fmt.Errorf("checking requirements: rule %d: product code rules cannot be requirements", i+1)
		}
		ok, why, err := e.evalRule(ctx, rule, f, false)
		if err != nil {
			return false, "", fmt.Errorf("checking requirements: rule %d (%s): %w", i+1, rule.Type, err)
		}
		if !ok {
			return false, fmt.Sprintf("rules: requirement rule %d (%s): %s", i+1, rule.Type, why), nil
		}
	}
	return true, "all requirements are met", nil
}
