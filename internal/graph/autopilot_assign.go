package graph

import (
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

var profileAssignmentSchema = &ljson.Schema{Name: "windowsAutopilotDeploymentProfileAssignment", Props: map[string]ljson.Prop{
	"id":       {Kind: ljson.String, MaxLen: 200, Nullable: true},
	"target":   {Kind: ljson.Complex, Schema: TargetSchema},
	"source":   {Kind: ljson.Enum, Enum: []string{"direct", "policySets"}, Nullable: true},
	"sourceId": {Kind: ljson.String, MaxLen: 64, Nullable: true},
}}

var assignmentQuery = odata.Schema{"id": odata.String, "source": odata.Enum}

func profileAssignmentJSON(a autopilot.ProfileAssignment) map[string]any {
	t := assign.Target{Kind: assign.Kind(a.TargetKind), GroupID: a.GroupID, FilterID: a.FilterID, FilterType: a.FilterType}
	return map[string]any{
		"@odata.type": "#microsoft.graph.windowsAutopilotDeploymentProfileAssignment",
		"id":          a.ID,
		"target":      TargetJSON(t, true),
		"source":      "direct",
		"sourceId":    nil,
	}
}

func (a *Autopilot) listAssignments(w http.ResponseWriter, r *http.Request, p Params) {
	if _, err := a.ap.Store().Profile(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	as, err := a.ap.Store().ProfileAssignments(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	items := make([]map[string]any, len(as))
	for i, x := range as {
		items[i] = profileAssignmentJSON(x)
	}
	writeCollection(w, r, "deviceManagement/windowsAutopilotDeploymentProfiles('"+p["id"]+"')/assignments", assignmentQuery, items)
}

func (a *Autopilot) getAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	as, err := a.ap.Store().ProfileAssignments(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	for _, x := range as {
		if strings.EqualFold(x.ID, p["aid"]) {
			writeEntity(w, r, http.StatusOK, "deviceManagement/windowsAutopilotDeploymentProfiles('"+p["id"]+"')/assignments", profileAssignmentJSON(x))
			return
		}
	}
	WriteError(w, r, http.StatusNotFound, CodeNotFound, "No assignment "+p["aid"]+" on profile "+p["id"]+".")
}

func (a *Autopilot) createAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, profileAssignmentSchema)
	if err != nil {
		return
	}
	tm, ok := obj.Map("target")
	if !ok {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "target is required, e.g. {\"@odata.type\":\"#microsoft.graph.groupAssignmentTarget\",\"groupId\":\"…\"}.")
		return
	}
	t, err := ParseTarget(tm)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "target: "+err.Error())
		return
	}
	id, _ := obj.String("id")
	pa, err := a.ap.AddAssignment(r.Context(), autopilot.ProfileAssignment{
		ID: id, ProfileID: strings.ToLower(p["id"]), TargetKind: string(t.Kind), GroupID: t.GroupID, FilterID: t.FilterID, FilterType: t.FilterType,
	})
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, "deviceManagement/windowsAutopilotDeploymentProfiles('"+p["id"]+"')/assignments", profileAssignmentJSON(pa))
}

func (a *Autopilot) deleteAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	if err := a.ap.RemoveAssignment(r.Context(), p["id"], p["aid"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}

var assignDevicesSchema = &ljson.Schema{Name: "assign", Props: map[string]ljson.Prop{
	"deviceIds": {Kind: ljson.StringArray, MaxLen: 64},
}}

func (a *Autopilot) assignProfile(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, assignDevicesSchema)
	if err != nil {
		return
	}
	ids, _ := obj.Strings("deviceIds")
	if len(ids) == 0 || len(ids) > 1000 {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "deviceIds must list 1 to 1000 Autopilot device ids.")
		return
	}
	if err := a.ap.AssignDirect(r.Context(), p["id"], ids); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}

func (a *Autopilot) assignedDevices(w http.ResponseWriter, r *http.Request, p Params) {
	if _, err := a.ap.Store().Profile(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	ds, err := a.ap.Store().AutopilotDevices(r.Context())
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	var items []map[string]any
	for _, d := range ds {
		if strings.EqualFold(d.ProfileID, p["id"]) {
			items = append(items, apDeviceJSON(d, true))
		}
	}
	writeCollection(w, r, "deviceManagement/windowsAutopilotDeviceIdentities", apDeviceQuery, items)
}

func (a *Autopilot) getSettings(w http.ResponseWriter, r *http.Request, _ Params) {
	s, err := a.ap.Store().AutopilotSettings(r.Context())
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeEntity(w, r, http.StatusOK, "deviceManagement/windowsAutopilotSettings", map[string]any{
		"@odata.type":                   "#microsoft.graph.windowsAutopilotSettings",
		"id":                            "00000000-0000-0000-0000-000000000000",
		"lastSyncDateTime":              s.LastSyncAt,
		"lastManualSyncTriggerDateTime": s.LastManualSyncAt,
		"syncStatus":                    s.SyncStatus,
	})
}

func (a *Autopilot) sync(w http.ResponseWriter, r *http.Request, _ Params) {
	if _, err := readBody(w, r); err != nil {
		return
	}
	if err := a.ap.Sync(r.Context()); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}
