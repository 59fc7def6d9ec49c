package graph

import (
	"encoding/base64"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// deviceManagementScripts exist in the beta API only.

var scriptSchema = &ljson.Schema{Name: "deviceManagementScript", Props: map[string]ljson.Prop{
	"displayName": {Kind: ljson.String}, "description": nstr(0), "scriptContent": nstr(0), "fileName": nstr(0),
	"runAsAccount": nenum(runAsAccounts), "enforceSignatureCheck": nbool(), "runAs32Bit": nbool(),
	"roleScopeTagIds": {Kind: ljson.StringArray, MaxLen: 64, Nullable: true},
	"id":              readOnly, "createdDateTime": readOnly, "lastModifiedDateTime": readOnly,
}}

var scriptQuery = odata.Schema{
	"id": odata.String, "displayName": odata.String, "description": odata.String, "fileName": odata.String,
	"runAsAccount": odata.Enum, "enforceSignatureCheck": odata.Bool, "runAs32Bit": odata.Bool,
	"createdDateTime": odata.DateTime, "lastModifiedDateTime": odata.DateTime, "roleScopeTagIds": odata.StringCollection,
}

func (h *Policies) registerScripts(rt *Router) {
	const base = "/" + scriptSet
	route := func(method, pattern string, write bool, kindFn func(http.ResponseWriter, *http.Request, Params, apps.ItemKind)) {
		pol := policyRead
		if write {
			pol = policyWrite
		}
		rt.HandleVersions(BetaOnly, method, base+pattern, pol, func(w http.ResponseWriter, r *http.Request, p Params) { kindFn(w, r, p, apps.ItemScript) })
	}
	rt.HandleVersions(BetaOnly, "GET", base, policyRead, h.listScripts)
	rt.HandleVersions(BetaOnly, "POST", base, policyWrite, h.createScript)
	rt.HandleVersions(BetaOnly, "GET", base+"/{id}", policyRead, h.getScript)
	rt.HandleVersions(BetaOnly, "PATCH", base+"/{id}", policyWrite, h.patchScript)
	rt.HandleVersions(BetaOnly, "DELETE", base+"/{id}", policyWrite, h.deleteScript)
	route("GET", "/{id}/assignments", false, h.listItemAssignments)
	route("POST", "/{id}/assignments", true, h.addItemAssignment)
	route("GET", "/{id}/assignments/{assignmentId}", false, h.getItemAssignment)
	route("DELETE", "/{id}/assignments/{assignmentId}", true, h.deleteItemAssignment)
	route("POST", "/{id}/assign", true, h.assignItem)
	route("POST", "/{id}/microsoft.graph.assign", true, h.assignItem)
}

// scriptJSON renders a script; lists leave scriptContent out (null), as
// Graph does: read one script to get it.
func scriptJSON(s apps.Script, withContent bool) map[string]any {
	var content any
	if withContent {
		content = base64.StdEncoding.EncodeToString(s.Content)
	}
	return map[string]any{
		"@odata.type": "#microsoft.graph.deviceManagementScript", "id": s.ID, "displayName": s.DisplayName,
		"description": nullable(s.Description), "scriptContent": content, "fileName": s.FileName,
		"runAsAccount": s.RunAsAccount, "enforceSignatureCheck": s.EnforceSignatureCheck, "runAs32Bit": s.RunAs32Bit,
		"roleScopeTagIds": s.RoleScopeTagIDs, "createdDateTime": s.CreatedAt, "lastModifiedDateTime": s.UpdatedAt,
	}
}

// applyScript copies the properties present in obj onto s.
func applyScript(obj *ljson.Object, s *apps.Script) error {
	for k, p := range map[string]*string{"displayName": &s.DisplayName, "description": &s.Description, "fileName": &s.FileName, "runAsAccount": &s.RunAsAccount} {
		if obj.Has(k) {
			*p, _ = obj.String(k)
		}
	}
	for k, p := range map[string]*bool{"enforceSignatureCheck": &s.EnforceSignatureCheck, "runAs32Bit": &s.RunAs32Bit} {
		if obj.Has(k) {
			*p, _ = obj.Bool(k)
		}
	}
	if obj.Has("roleScopeTagIds") {
		s.RoleScopeTagIDs, _ = obj.Strings("roleScopeTagIds")
	}
	if obj.Has("scriptContent") {
		c, _ := obj.String("scriptContent")
		raw, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			return apperr.Invalid("scriptContent must be the script base64-encoded")
		}
		s.Content = raw
	}
	return nil
}

func (h *Policies) listScripts(w http.ResponseWriter, r *http.Request, _ Params) {
	ss, err := h.svc.Scripts(r.Context())
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	items := make([]map[string]any, len(ss))
	for i, s := range ss {
		items[i] = scriptJSON(s, false)
	}
	writeCollection(w, r, scriptSet, scriptQuery, items)
}

func (h *Policies) getScript(w http.ResponseWriter, r *http.Request, p Params) {
	s, err := h.svc.Script(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, scriptSet, scriptQuery, scriptJSON(s, true))
}

func (h *Policies) createScript(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, ok := decodeObj(w, r, scriptSchema)
	if !ok || !checkType(w, r, obj, "microsoft.graph.deviceManagementScript") {
		return
	}
	var s apps.Script
	if err := applyScript(obj, &s); err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	s, err := h.svc.CreateScript(r.Context(), s)
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, scriptSet, scriptJSON(s, true))
}

// patchScript answers 200 with the updated script, as Graph documents.
func (h *Policies) patchScript(w http.ResponseWriter, r *http.Request, p Params) {
	obj, ok := decodeObj(w, r, scriptSchema)
	if !ok || !checkType(w, r, obj, "microsoft.graph.deviceManagementScript") {
		return
	}
	s, err := h.svc.UpdateScript(r.Context(), p["id"], func(s *apps.Script) error { return applyScript(obj, s) })
	if err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	writeEntity(w, r, http.StatusOK, scriptSet, scriptJSON(s, true))
}

func (h *Policies) deleteScript(w http.ResponseWriter, r *http.Request, p Params) {
	if err := h.svc.DeleteScript(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, h.log, err)
		return
	}
	noContent(w)
}
