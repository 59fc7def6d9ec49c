package graph

import (
	"fmt"

	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// TargetSchema is the request schema of a deviceAndAppManagementAssignmentTarget.
var TargetSchema = &ljson.Schema{Name: "target", Props: map[string]ljson.Prop{
	"groupId":      {Kind: ljson.Guid},
	"collectionId": {Kind: ljson.String, MaxLen: 256},
	"deviceAndAppManagementAssignmentFilterId":   {Kind: ljson.String, MaxLen: 64, Nullable: true},
	"deviceAndAppManagementAssignmentFilterType": {Kind: ljson.Enum, Enum: []string{"none", "include", "exclude"}, Nullable: true},
}}

// ParseTarget converts a decoded target object (a Complex value of
// TargetSchema, with its "@odata.type") into an assign.Target.
func ParseTarget(m map[string]any) (assign.Target, error) {
	typ, _ := m["@odata.type"].(string)
	if typ == "" {
		return assign.Target{}, fmt.Errorf("target needs an @odata.type such as #microsoft.graph.groupAssignmentTarget")
	}
	kind, err := assign.ParseKind(typ)
	if err != nil {
		return assign.Target{}, err
	}
	t := assign.Target{Kind: kind}
	t.GroupID, _ = m["groupId"].(string)
	t.CollectionID, _ = m["collectionId"].(string)
	t.FilterID, _ = m["deviceAndAppManagementAssignmentFilterId"].(string)
	t.FilterType, _ = m["deviceAndAppManagementAssignmentFilterType"].(string)
	if kind != assign.Group && kind != assign.ExclusionGroup && t.GroupID != "" {
		return assign.Target{}, fmt.Errorf("%s takes no groupId", kind)
	}
	if err := t.Validate(); err != nil {
		return assign.Target{}, err
	}
	if t.FilterID != "" && t.FilterType != "" && t.FilterType != assign.FilterNone {
		return assign.Target{}, fmt.Errorf("assignment filters are not evaluated by whiteglove yet: remove deviceAndAppManagementAssignmentFilterId (or set the filter type to none) rather than have the filter silently ignored")
	}
	return t, nil
}

// TargetJSON is the Graph representation of t, with the exact derived
// @odata.type the SDKs need to pick the right type.
func TargetJSON(t assign.Target, beta bool) map[string]any {
	out := map[string]any{"@odata.type": t.ODataType()}
	switch t.Kind {
	case assign.Group, assign.ExclusionGroup:
		out["groupId"] = t.GroupID
	case assign.ConfigMgrCollection:
		out["collectionId"] = t.CollectionID
	}
	if beta {
		ft := t.FilterType
		if ft == "" {
			ft = assign.FilterNone
		}
		out["deviceAndAppManagementAssignmentFilterId"] = nullable(t.FilterID)
		out["deviceAndAppManagementAssignmentFilterType"] = ft
	}
	return out
}
