package graph

import (
	"fmt"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// appAssignmentSettingsSchema is win32LobAppAssignmentSettings. The
// delivery-optimization priority is accepted and has no effect (content
// comes from this service); deadlines, restart grace periods and
// auto-update are not supported and only accepted as null.
var appAssignmentSettingsSchema = &ljson.Schema{Name: "mobileAppAssignmentSettings", Props: map[string]ljson.Prop{
	"notifications":                nenum([]string{apps.NotifyShowAll, apps.NotifyShowReboot, apps.NotifyHideAll}),
	"deliveryOptimizationPriority": nenum([]string{"notConfigured", "foreground"}),
	"installTimeSettings":          {Kind: ljson.Any, Nullable: true},
	"restartSettings":              {Kind: ljson.Any, Nullable: true},
	"autoUpdateSettings":           {Kind: ljson.Any, Nullable: true},
}}

var appAssignmentSchema = &ljson.Schema{Name: "mobileAppAssignment", Props: map[string]ljson.Prop{
	"id":       nstr(256),
	"intent":   {Kind: ljson.Enum, Enum: []string{"available", "required", "uninstall", "availableWithoutEnrollment"}},
	"target":   {Kind: ljson.Complex, Schema: TargetSchema},
	"settings": {Kind: ljson.Complex, Nullable: true, Schema: appAssignmentSettingsSchema},
	"source":   nenum([]string{"direct", "policySets"}), "sourceId": nstr(256),
}}

var appAssignSchema = &ljson.Schema{Name: "assign", Props: map[string]ljson.Prop{
	apps.PropAppAssign: {Kind: ljson.ComplexArray, Schema: appAssignmentSchema},
}}

var catalogAssignmentQuery = odata.Schema{"id": odata.String, "intent": odata.Enum}

// parseTargetAt converts the target of a decoded assignment; at names the
// assignment in messages.
func parseTargetAt(it map[string]any, at string) (assign.Target, error) {
	tm, ok := it["target"].(map[string]any)
	if !ok {
		return assign.Target{}, fmt.Errorf("%s.target is required", at)
	}
	t, err := ParseTarget(tm)
	if err != nil {
		return assign.Target{}, fmt.Errorf("%s.target: %v", at, err)
	}
	return t, nil
}

// parseAppAssignment converts one decoded mobileAppAssignment.
func parseAppAssignment(it map[string]any, at string) (apps.AppAssignment, error) {
	t, err := parseTargetAt(it, at)
	if err != nil {
		return apps.AppAssignment{}, err
	}
	a := apps.AppAssignment{Target: t}
	a.ID, _ = it["id"].(string)
	intent, _ := it["intent"].(string)
	a.Intent = apps.Intent(intent)
	if intent == "availableWithoutEnrollment" {
		return a, fmt.Errorf("%s.intent: availableWithoutEnrollment is for unenrolled mobile devices; use required, available or uninstall", at)
	}
	if s, ok := it["settings"].(map[string]any); ok {
		a.Notifications, _ = s["notifications"].(string)
		for _, k := range []string{"installTimeSettings", "restartSettings", "autoUpdateSettings"} {
			if v, ok := s[k].(ljson.Value); ok && v.Type != ljson.NullType {
				return a, fmt.Errorf("%s.settings.%s is not supported by whiteglove; send null or leave it out", at, k)
			}
		}
	}
	return a, nil
}

func appAssignmentJSON(app apps.App, a apps.AppAssignment, beta bool) map[string]any {
	var settings any
	if app.Kind == apps.Win32 {
		n := a.Notifications
		if n == "" {
			n = apps.NotifyShowAll
		}
		settings = map[string]any{"@odata.type": "#microsoft.graph.win32LobAppAssignmentSettings", "notifications": n,
			"deliveryOptimizationPriority": "notConfigured", "installTimeSettings": nil, "restartSettings": nil, "autoUpdateSettings": nil}
	}
	m := map[string]any{"@odata.type": "#microsoft.graph.mobileAppAssignment", "id": a.ID, "intent": string(a.Intent),
		"target": TargetJSON(a.Target, beta), "settings": settings}
	if beta {
		m["source"], m["sourceId"] = "direct", nil
	}
	return m
}

// assign replaces the app's assignments and answers 204.
func (a *Apps) assign(w http.ResponseWriter, r *http.Request, p Params) {
	obj, ok := decodeObj(w, r, appAssignSchema)
	if !ok {
		return
	}
	items, ok := obj.Maps(apps.PropAppAssign)
	if !ok {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, `mobileAppAssignments is required: {"mobileAppAssignments": [{"intent": "required", "target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "…"}}]}; an empty array unassigns.`)
		return
	}
	as := make([]apps.AppAssignment, len(items))
	for i, it := range items {
		var err error
		if as[i], err = parseAppAssignment(it, fmt.Sprintf("%s[%d]", apps.PropAppAssign, i)); err != nil {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, err.Error())
			return
		}
	}
	if _, err := a.svc.AssignApp(r.Context(), p["id"], as); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}

func (a *Apps) listAssignments(w http.ResponseWriter, r *http.Request, p Params) {
	app, err := a.svc.App(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	items := make([]map[string]any, len(app.Assignments))
	for i, x := range app.Assignments {
		items[i] = appAssignmentJSON(app, x, isBeta(r))
	}
	writeCollection(w, r, mobileAppSet+"('"+app.ID+"')/assignments", catalogAssignmentQuery, items)
}

func (a *Apps) getAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	app, err := a.svc.App(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	x, err := a.svc.AppAssignment(r.Context(), app.ID, p["assignmentId"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, mobileAppSet+"('"+app.ID+"')/assignments", catalogAssignmentQuery, appAssignmentJSON(app, x, isBeta(r)))
}

// addAssignment creates one assignment and answers 201 with it.
func (a *Apps) addAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	obj, ok := decodeObj(w, r, appAssignmentSchema)
	if !ok || !checkType(w, r, obj, "microsoft.graph.mobileAppAssignment") {
		return
	}
	x, err := parseAppAssignment(obj.Fields, "mobileAppAssignment")
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	app, err := a.svc.App(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	if x, err = a.svc.AddAppAssignment(r.Context(), app.ID, x); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, mobileAppSet+"('"+app.ID+"')/assignments", appAssignmentJSON(app, x, isBeta(r)))
}

func (a *Apps) deleteAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	if err := a.svc.DeleteAppAssignment(r.Context(), p["id"], p["assignmentId"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}
