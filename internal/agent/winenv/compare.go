package winenv

import (
	"fmt"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// holds applies an operator to a comparison result c (-1, 0, +1 for
// observed below, equal to, above the rule's value).
func holds(op apps.Operator, c int) (bool, error) {
	switch op {
	case apps.OpEqual:
		return c == 0, nil
	case apps.OpNotEqual:
		return c != 0, nil
	case apps.OpGreaterThan:
		return c > 0, nil
	case apps.OpGreaterThanOrEqual:
		return c >= 0, nil
	case apps.OpLessThan:
		return c < 0, nil
	case apps.OpLessThanOrEqual:
		return c <= 0, nil
	}
	return false, fmt.Errorf("operator %q does not compare", op)
}

// opText is how an operator reads in explanations.
func opText(op apps.Operator) string {
	switch op {
	case apps.OpEqual:
		return "="
	case apps.OpNotEqual:
		return "≠"
	case apps.OpGreaterThan:
		return ">"
	case apps.OpGreaterThanOrEqual:
		return "≥"
	case apps.OpLessThan:
		return "<"
	case apps.OpLessThanOrEqual:
		return "≤"
	}
	return string(op)
}

// verdict is "holds" or "does not hold", for explanations.
func verdict(ok bool) string {
	if ok {
		return "holds"
	}
	return "does not hold"
}
