// Package assign models Intune assignment targets — a group, an excluded
// group, all devices, all licensed users — and decides whether a target
// covers a device or a user. Deployment profiles, ESP profiles, apps and
// policies all share it.
package assign

import (
	"fmt"
	"strings"
)

// Kind is the kind of an assignment target, named after its Graph type.
type Kind string

// Target kinds.
const (
	Group               Kind = "groupAssignmentTarget"
	ExclusionGroup      Kind = "exclusionGroupAssignmentTarget"
	AllDevices          Kind = "allDevicesAssignmentTarget"
	AllLicensedUsers    Kind = "allLicensedUsersAssignmentTarget"
	ConfigMgrCollection Kind = "configurationManagerCollectionAssignmentTarget"
)

// Filter types (beta deviceAndAppManagementAssignmentFilterType).
const (
	FilterNone    = "none"
	FilterInclude = "include"
	FilterExclude = "exclude"
)

// Target is one assignment target.
type Target struct {
	Kind         Kind
	GroupID      string // Group and ExclusionGroup
	CollectionID string // ConfigMgrCollection (accepted, never matches: no Configuration Manager here)
	FilterID     string // assignment filter id; "" for none
	FilterType   string // FilterNone, FilterInclude, FilterExclude; "" = none
}

// ParseKind maps an @odata.type ("#microsoft.graph.groupAssignmentTarget",
// with or without '#' and namespace) to a Kind.
func ParseKind(odataType string) (Kind, error) {
	t := strings.TrimPrefix(odataType, "#")
	if len(t) > len("microsoft.graph.") && strings.EqualFold(t[:len("microsoft.graph.")], "microsoft.graph.") {
		t = t[len("microsoft.graph."):]
	}
	for _, k := range []Kind{Group, ExclusionGroup, AllDevices, AllLicensedUsers, ConfigMgrCollection} {
		if strings.EqualFold(t, string(k)) {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown assignment target type %q: use groupAssignmentTarget, exclusionGroupAssignmentTarget, allDevicesAssignmentTarget or allLicensedUsersAssignmentTarget", odataType)
}

// ODataType is the target's @odata.type.
func (t Target) ODataType() string { return "#microsoft.graph." + string(t.Kind) }

// Validate checks that the target names what its kind needs.
func (t Target) Validate() error {
	switch t.Kind {
	case Group, ExclusionGroup:
		if t.GroupID == "" {
			return fmt.Errorf("%s needs a groupId", t.Kind)
		}
	case ConfigMgrCollection:
		if t.CollectionID == "" {
			return fmt.Errorf("%s needs a collectionId", t.Kind)
		}
	case AllDevices, AllLicensedUsers:
	default:
		return fmt.Errorf("unknown assignment target kind %q", t.Kind)
	}
	switch t.FilterType {
	case "", FilterNone, FilterInclude, FilterExclude:
	default:
		return fmt.Errorf("deviceAndAppManagementAssignmentFilterType must be none, include or exclude, not %q", t.FilterType)
	}
	return nil
}

// Subject is what targeting is evaluated for: an object (device or user)
// with the groups it belongs to.
type Subject struct {
	IsDevice bool
	Licensed bool            // users: holds a licence
	Groups   map[string]bool // ids of the groups the object is a member of
}

// Includes reports whether an including target covers s. Exclusion
// targets never include.
func (t Target) Includes(s Subject) bool {
	switch t.Kind {
	case Group:
		return s.Groups[strings.ToLower(t.GroupID)]
	case AllDevices:
		return s.IsDevice
	case AllLicensedUsers:
		return !s.IsDevice && s.Licensed
	}
	return false
}

// Excludes reports whether an exclusion target removes s.
func (t Target) Excludes(s Subject) bool {
	return t.Kind == ExclusionGroup && s.Groups[strings.ToLower(t.GroupID)]
}

// Applies reports whether a set of targets covers s: at least one includes
// it and none excludes it (exclusions win).
func Applies(targets []Target, s Subject) bool {
	included := false
	for _, t := range targets {
		if t.Excludes(s) {
			return false
		}
		if t.Includes(s) {
			included = true
		}
	}
	return included
}
