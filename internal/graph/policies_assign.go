package graph

import (
	"context"
	"fmt"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// itemAssignmentSchema is deviceConfigurationAssignment and
// deviceManagementScriptAssignment: an id and a target (beta adds the
// intent "apply" and the source).
var itemAssignmentSchema = &ljson.Schema{Name: "assignment", Props: map[string]ljson.Prop{
	"id": nstr(256), "target": {Kind: ljson.Complex, Schema: TargetSchema},
	"intent": nenum([]string{"apply", "remove"}), "source": nenum([]string{"direct", "policySets"}), "sourceId": nstr(256),
}}

// groupAssignmentSchema is the legacy deviceConfigurationGroupAssignment
// and deviceManagementScriptGroupAssignment: a group id, maybe excluded.
var groupAssignmentSchema = &ljson.Schema{Name: "groupAssignment", Props: map[string]ljson.Prop{
	"id": nstr(256), "targetGroupId": {Kind: ljson.Guid}, "excludeGroup": nbool(), "sourceId": nstr(256),
}}

// assignBody describes an item kind's assign action.
type assignBody struct{ prop, groupProp string }

var assignBodies = map[apps.ItemKind]assignBody{
	apps.ItemPolicy: {apps.PropPolicyAssign, "deviceConfigurationGroupAssignments"},
	apps.ItemScript: {apps.PropScriptAssign, "deviceManagementScriptGroupAssignments"},
}

func (b assignBody) schemaOf() *ljson.Schema {
	return &ljson.Schema{Name: "assign", Props: map[string]ljson.Prop{
		b.prop:      {Kind: ljson.ComplexArray, Schema: itemAssignmentSchema},
		b.groupProp: {Kind: ljson.ComplexArray, Schema: groupAssignmentSchema},
	}}
}

// parseItemAssignment converts one decoded assignment.
func parseItemAssignment(it map[string]any, at string) (apps.Assignment, error) {
	t, err := parseTargetAt(it, at)
	if err != nil {
		return apps.Assignment{}, err
	}
	if intent, _ := it["intent"].(string); intent == "remove" {
		return apps.Assignment{}, fmt.Errorf("%s.intent: remove is not supported; unassign by leaving the target out", at)
	}
	id, _ := it["id"].(string)
	return apps.Assignment{ID: id, Target: t}, nil
}

// parseAssignBody reads an assign action's assignments, legacy group
// assignments included (as group or exclusion-group targets).
func parseAssignBody(obj *ljson.Object, b assignBody) ([]apps.Assignment, error) {
	items, ok := obj.Maps(b.prop)
	groups, gok := obj.Maps(b.groupProp)
	if !ok && !gok {
		return nil, fmt.Errorf(`%s is required: {"%s": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "…"}}]}; an empty array unassigns`, b.prop, b.prop)
	}
	out := make([]apps.Assignment, 0, len(items)+len(groups))
	for i, it := range items {
		a, err := parseItemAssignment(it, fmt.Sprintf("%s[%d]", b.prop, i))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	for i, g := range groups {
		gid, _ := g["targetGroupId"].(string)
		if gid == "" {
			return nil, fmt.Errorf("%s[%d].targetGroupId is required", b.groupProp, i)
		}
		kind := assign.Group
		if ex, _ := g["excludeGroup"].(bool); ex {
			kind = assign.ExclusionGroup
		}
		id, _ := g["id"].(string)
		out = append(out, apps.Assignment{ID: id, Target: assign.Target{Kind: kind, GroupID: gid}})
	}
	return out, nil
}

// itemAssignmentJSON renders a policy or script assignment.
func itemAssignmentJSON(kind apps.ItemKind, a apps.Assignment, beta bool) map[string]any {
	typ := "#microsoft.graph.deviceConfigurationAssignment"
	if kind == apps.ItemScript {
		typ = "#microsoft.graph.deviceManagementScriptAssignment"
	}
	m := map[string]any{"@odata.type": typ, "id": a.ID, "target": TargetJSON(a.Target, beta)}
	if beta && kind == apps.ItemPolicy {
		m["intent"], m["source"], m["sourceId"] = "apply", "direct", nil
	}
	return m
}

// itemAssignments returns an item's stored id and assignments.
func (h *Policies) itemAssignments(ctx context.Context, kind apps.ItemKind, id string) (string, []apps.Assignment, error) {
	if kind == apps.ItemScript {
		s, err := h.svc.Script(ctx, id)
		return s.ID, s.Assignments, err
	}
	p, err := h.svc.Policy(ctx, id)
	return p.ID, p.Assignments, err
}

func itemSet(kind apps.ItemKind) string {
	if kind == apps.ItemScript {
		return scriptSet
	}
	return policySet
}

// assignItem replaces an item's assignments. Device configurations answer
// 200 with the new set ({"value": […]}, as Graph's action returns it),
// scripts 204.
func (h *Policies) assignItem(w http.ResponseWriter, r *http.Request, p Params, kind apps.ItemKind) {
	b := assignBodies[kind]
	obj, ok := decodeObj(w, r, b.schemaOf())
	if !ok {
		return
	}
	as, err := parseAssignBody(obj, b)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, err.Error()+".")
		return
	}
	if kind == apps.ItemScript {
		if _, err := h.svc.AssignScript(r.Context(), p["id"], as); err != nil {
			writeServiceError(w, r, h.log, err)
			return
		}
		noContent(w)
		return
	}
	if as, err = h.svc.AssignPolicy(r.Context(), p["id"], as); err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	values := make([]map[string]any, len(as))
	for i, a := range as {
		values[i] = itemAssignmentJSON(kind, a, isBeta(r))
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": contextURL(r, "Collection(microsoft.graph.deviceConfigurationAssignment)"), "value": values})
}

func (h *Policies) listItemAssignments(w http.ResponseWriter, r *http.Request, p Params, kind apps.ItemKind) {
	id, as, err := h.itemAssignments(r.Context(), kind, p["id"])
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	items := make([]map[string]any, len(as))
	for i, a := range as {
		items[i] = itemAssignmentJSON(kind, a, isBeta(r))
	}
	writeCollection(w, r, itemSet(kind)+"('"+id+"')/assignments", catalogAssignmentQuery, items)
}

func (h *Policies) getItemAssignment(w http.ResponseWriter, r *http.Request, p Params, kind apps.ItemKind) {
	get := h.svc.PolicyAssignment
	if kind == apps.ItemScript {
		get = h.svc.ScriptAssignment
	}
	a, err := get(r.Context(), p["id"], p["assignmentId"])
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, itemSet(kind)+"('"+p["id"]+"')/assignments", catalogAssignmentQuery, itemAssignmentJSON(kind, a, isBeta(r)))
}

// addItemAssignment creates one assignment and answers 201 with it.
func (h *Policies) addItemAssignment(w http.ResponseWriter, r *http.Request, p Params, kind apps.ItemKind) {
	obj, ok := decodeObj(w, r, itemAssignmentSchema)
	if !ok || !checkType(w, r, obj, "microsoft.graph.deviceConfigurationAssignment", "microsoft.graph.deviceManagementScriptAssignment") {
		return
	}
	a, err := parseItemAssignment(obj.Fields, "assignment")
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	add := h.svc.AddPolicyAssignment
	if kind == apps.ItemScript {
		add = h.svc.AddScriptAssignment
	}
	if a, err = add(r.Context(), p["id"], a); err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, itemSet(kind)+"('"+p["id"]+"')/assignments", itemAssignmentJSON(kind, a, isBeta(r)))
}

func (h *Policies) deleteItemAssignment(w http.ResponseWriter, r *http.Request, p Params, kind apps.ItemKind) {
	del := h.svc.DeletePolicyAssignment
	if kind == apps.ItemScript {
		del = h.svc.DeleteScriptAssignment
	}
	if err := del(r.Context(), p["id"], p["assignmentId"]); err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	noContent(w)
}

func (h *Policies) assignPolicy(w http.ResponseWriter, r *http.Request, p Params) {
	h.assignItem(w, r, p, apps.ItemPolicy)
}

func (h *Policies) listPolicyAssignments(w http.ResponseWriter, r *http.Request, p Params) {
	h.listItemAssignments(w, r, p, apps.ItemPolicy)
}

func (h *Policies) getPolicyAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	h.getItemAssignment(w, r, p, apps.ItemPolicy)
}

func (h *Policies) addPolicyAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	h.addItemAssignment(w, r, p, apps.ItemPolicy)
}

func (h *Policies) deletePolicyAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	h.deleteItemAssignment(w, r, p, apps.ItemPolicy)
}
