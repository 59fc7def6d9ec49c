package apps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
)

// normalizeAppAssignments checks a whole app assignment set: valid targets
// and intents, no id or target twice, at most MaxAssignments. Empty ids are
// generated; prop names the Graph collection in messages.
func normalizeAppAssignments(as []AppAssignment, prop string) ([]AppAssignment, error) {
	targets := make([]assign.Target, len(as))
	ids := make([]string, len(as))
	out := make([]AppAssignment, len(as))
	for i, a := range as {
		at := fmt.Sprintf("%s[%d]", prop, i)
		switch a.Intent {
		case IntentRequired, IntentUninstall, IntentAvailable:
		case "":
			return nil, apperr.Invalid("%s.intent is required: required, available or uninstall", at)
		default:
			return nil, apperr.Invalid("%s.intent must be required, available or uninstall, not %q", at, a.Intent)
		}
		if err := oneOf(at+".settings.notifications", &a.Notifications, NotifyShowAll, NotifyShowAll, NotifyShowReboot, NotifyHideAll); err != nil {
			return nil, err
		}
		targets[i], ids[i], out[i] = a.Target, a.ID, a
	}
	ids, targets, err := normalizeTargets(ids, targets, prop)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].ID, out[i].Target = ids[i], targets[i]
	}
	return out, nil
}

// normalizeAssignments is normalizeAppAssignments for policies and scripts.
func normalizeAssignments(as []Assignment, prop string) ([]Assignment, error) {
	targets := make([]assign.Target, len(as))
	ids := make([]string, len(as))
	for i, a := range as {
		targets[i], ids[i] = a.Target, a.ID
	}
	ids, targets, err := normalizeTargets(ids, targets, prop)
	if err != nil {
		return nil, err
	}
	out := make([]Assignment, len(as))
	for i := range out {
		out[i] = Assignment{ID: ids[i], Target: targets[i]}
	}
	return out, nil
}

// normalizeTargets checks the targets and ids shared by every assignment
// kind; it returns them with generated ids and lower-case group ids.
func normalizeTargets(ids []string, targets []assign.Target, prop string) ([]string, []assign.Target, error) {
	if len(targets) > MaxAssignments {
		return nil, nil, apperr.Invalid("%s holds %d assignments; at most %d are allowed", prop, len(targets), MaxAssignments)
	}
	seenIDs, seenTargets := map[string]int{}, map[string]int{}
	for i, t := range targets {
		at := fmt.Sprintf("%s[%d]", prop, i)
		if err := t.Validate(); err != nil {
			return nil, nil, apperr.Invalid("%s.target: %v", at, err)
		}
		t.GroupID = strings.ToLower(t.GroupID)
		if ids[i] == "" {
			ids[i] = newID()
		}
		if err := maxLen(at+".id", ids[i], 256); err != nil {
			return nil, nil, err
		}
		idKey, tKey := strings.ToLower(ids[i]), string(t.Kind)+"|"+t.GroupID+"|"+t.CollectionID
		if j, dup := seenIDs[idKey]; dup {
			return nil, nil, apperr.Invalid("%s.id: %q is already used by %s[%d]", at, ids[i], prop, j)
		}
		if j, dup := seenTargets[tKey]; dup {
			return nil, nil, apperr.Invalid("%s.target: %s is already targeted by %s[%d]", at, describeTarget(t), prop, j)
		}
		seenIDs[idKey], seenTargets[tKey] = i, i
		targets[i] = t
	}
	return ids, targets, nil
}

// checkGroups refuses targets naming groups that do not exist; prop names
// the collection they came in ("" for a single new assignment).
func (s *Service) checkGroups(ctx context.Context, prop string, targets []assign.Target) error {
	for i, t := range targets {
		if t.GroupID == "" {
			continue
		}
		_, err := s.groups.Group(ctx, t.GroupID)
		if errors.Is(err, apperr.ErrNotFound) {
			at := "target"
			if prop != "" {
				at = fmt.Sprintf("%s[%d].target", prop, i)
			}
			return apperr.Invalid("%s: group %s does not exist; create it first or use the id of an existing group", at, t.GroupID)
		}
		if err != nil {
			return fmt.Errorf("looking up group %s: %w", t.GroupID, err)
		}
	}
	return nil
}

// describeTarget names a target for messages.
func describeTarget(t assign.Target) string {
	switch t.Kind {
	case assign.Group:
		return "group " + t.GroupID
	case assign.ExclusionGroup:
		return "excluded group " + t.GroupID
	case assign.AllDevices:
		return "all devices"
	case assign.AllLicensedUsers:
		return "all licensed users"
	case assign.ConfigMgrCollection:
		return "Configuration Manager collection " + t.CollectionID
	}
	return string(t.Kind)
}
