package winenv

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// Detect evaluates Win32 app detection rules as Intune does: the app is
// installed when every rule holds. why explains the outcome: the first
// rule that does not hold, or what every rule found. err reports a rule
// that cannot be evaluated (a path on another drive, an unknown operator,
// a failing registry …), or no rules at all.
func (e *Env) Detect(ctx context.Context, rules []apps.Rule, f Facts) (installed bool, why string, err error) {
	if len(rules) == 0 {
		return false, "", errors.New("detecting the app: there are no detection rules")
	}
	if err := CheckUser(f.User); err != nil {
		return false, "", fmt.Errorf("detecting the app: %w", err)
	}
	whys := make([]string, 0, len(rules))
	for i, r := range rules {
		ok, why, err := e.evalRule(ctx, r, f, true)
		if err != nil {
			return false, "", fmt.Errorf("detecting the app: rule %d (%s): %w", i+1, r.Type, err)
		}
		if !ok {
			return false, fmt.Sprintf("rule %d (%s): %s", i+1, r.Type, why), nil
		}
		whys = append(whys, why)
	}
	return true, strings.Join(whys, "; "), nil
}

// evalRule evaluates one rule; detection selects how script rules judge.
func (e *Env) evalRule(ctx context.Context, r apps.Rule, f Facts, detection bool) (bool, string, error) {
	wow64 := r.Check32BitOn64System && f.is64()
	switch r.Type {
	case apps.RuleFile:
		return e.evalFile(r, f, wow64)
	case apps.RuleRegistry:
		return e.evalRegistry(r, f, wow64)
	case apps.RuleProductCode:
		return e.evalProductCode(r)
	case apps.RuleScript:
		if detection {
			return e.evalDetectionScript(ctx, r, f)
		}
		return e.evalRequirementScript(ctx, r, f)
	}
	return false, "", fmt.Errorf("unknown rule type %q", r.Type)
}
