package esp

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
)

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// normalize checks p's own properties and puts them in canonical form: a
// blank error message becomes DefaultErrorMessage, app ids lower-case and
// unique, an empty scope-tag list ["0"]. Errors are apperr.InvalidError
// naming the Graph property.
func (p *Profile) normalize() error {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	if p.DisplayName == "" {
		return apperr.Invalid("displayName is required")
	}
	if err := maxLen("displayName", p.DisplayName, MaxDisplayNameLen); err != nil {
		return err
	}
	if err := maxLen("description", p.Description, MaxDescriptionLen); err != nil {
		return err
	}
	if strings.TrimSpace(p.CustomErrorMessage) == "" {
		p.CustomErrorMessage = DefaultErrorMessage
	}
	if err := maxLen("customErrorMessage", p.CustomErrorMessage, MaxErrorMessageLen); err != nil {
		return err
	}
	if t := p.InstallProgressTimeoutInMinutes; t < MinTimeoutMinutes || t > MaxTimeoutMinutes {
		return apperr.Invalid("installProgressTimeoutInMinutes must be between %d and %d minutes, not %d", MinTimeoutMinutes, MaxTimeoutMinutes, t)
	}
	apps, err := normalizeApps(p.SelectedMobileAppIDs)
	if err != nil {
		return err
	}
	p.SelectedMobileAppIDs = apps
	return p.normalizeTags()
}

func (p *Profile) normalizeTags() error {
	if len(p.RoleScopeTagIDs) == 0 {
		p.RoleScopeTagIDs = []string{DefaultRoleScopeTag}
		return nil
	}
	if len(p.RoleScopeTagIDs) > MaxRoleScopeTags {
		return apperr.Invalid("roleScopeTagIds holds %d tags; at most %d are allowed", len(p.RoleScopeTagIDs), MaxRoleScopeTags)
	}
	for i, t := range p.RoleScopeTagIDs {
		if strings.TrimSpace(t) == "" {
			return apperr.Invalid("roleScopeTagIds[%d] is empty", i)
		}
	}
	return nil
}

// normalizeApps checks blocking-app ids: GUIDs, at most MaxBlockingApps;
// duplicates are dropped, first occurrence kept.
func normalizeApps(ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		if !guidRE.MatchString(id) {
			return nil, apperr.Invalid("selectedMobileAppIds[%d]: %q is not an app id (a GUID such as 00000000-0000-0000-0000-000000000000)", i, id)
		}
		id = strings.ToLower(id)
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if len(out) > MaxBlockingApps {
		return nil, apperr.Invalid("selectedMobileAppIds holds %d apps; at most %d blocking apps can be selected", len(out), MaxBlockingApps)
	}
	return out, nil
}

func maxLen(name, s string, n int) error {
	if c := utf8.RuneCountInString(s); c > n {
		return apperr.Invalid("%s is %d characters long; the maximum is %d", name, c, n)
	}
	return nil
}

// normalizeAssignments checks a replacement assignment set: valid targets,
// no id or target given twice, at most MaxAssignments. Empty ids are
// generated.
func normalizeAssignments(as []Assignment) ([]Assignment, error) {
	if len(as) > MaxAssignments {
		return nil, apperr.Invalid("enrollmentConfigurationAssignments holds %d assignments; at most %d are allowed", len(as), MaxAssignments)
	}
	out := make([]Assignment, len(as))
	ids := map[string]bool{}
	targets := map[string]bool{}
	for i, a := range as {
		at := fmt.Sprintf("enrollmentConfigurationAssignments[%d]", i)
		if err := a.Target.Validate(); err != nil {
			return nil, apperr.Invalid("%s.target: %v", at, err)
		}
		a.Target.GroupID = strings.ToLower(a.Target.GroupID)
		if a.ID == "" {
			a.ID = newID()
		}
		if err := maxLen(at+".id", a.ID, 256); err != nil {
			return nil, err
		}
		idKey, tKey := strings.ToLower(a.ID), keyOf(a.Target)
		if ids[idKey] {
			return nil, apperr.Invalid("%s.id: %q is given twice", at, a.ID)
		}
		if targets[tKey] {
			return nil, apperr.Invalid("%s.target: %s is given twice", at, describeTarget(a.Target))
		}
		ids[idKey], targets[tKey] = true, true
		out[i] = a
	}
	return out, nil
}

func keyOf(t assign.Target) string {
	return string(t.Kind) + "|" + strings.ToLower(t.GroupID) + "|" + t.CollectionID
}

// describeTarget names a target for messages and resolution reasons.
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
