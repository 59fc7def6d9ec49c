package graph

import (
	"fmt"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// Dependencies travel as Graph's beta mobileAppRelationship collection:
// GET …/{id}/relationships lists them, POST …/{id}/updateRelationships
// replaces them. Only "autoInstall" dependencies exist here (the installer
// installs a missing dependency first); detect-only dependencies and
// supersedence are refused.

var relationshipSchema = &ljson.Schema{Name: "mobileAppRelationship", Props: map[string]ljson.Prop{
	"targetId":       {Kind: ljson.String, MaxLen: 64},
	"dependencyType": nenum([]string{"detect", "autoInstall"}),
	"id":             readOnly, "targetDisplayName": readOnly, "targetDisplayVersion": readOnly, "targetPublisher": readOnly,
	"targetType": readOnly, "dependentAppCount": readOnly, "dependsOnAppCount": readOnly,
}}

var updateRelationshipsSchema = &ljson.Schema{Name: "updateRelationships", Props: map[string]ljson.Prop{
	"relationships": {Kind: ljson.ComplexArray, Schema: relationshipSchema},
}}

var relationshipQuery = odata.Schema{"id": odata.String, "targetId": odata.String, "targetDisplayName": odata.String}

func (a *Apps) relationships(w http.ResponseWriter, r *http.Request, p Params) {
	app, err := a.svc.App(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	items := make([]map[string]any, 0, len(app.Dependencies))
	for _, id := range app.Dependencies {
		dep, err := a.svc.App(r.Context(), id)
		if err != nil {
			writeServiceError(w, r, a.log, err)
			return
		}
		items = append(items, map[string]any{
			"@odata.type": "#microsoft.graph.mobileAppDependency", "id": app.ID + "_" + dep.ID,
			"targetId": dep.ID, "targetDisplayName": dep.DisplayName, "targetDisplayVersion": nullable(dep.DisplayVersion),
			"targetPublisher": nullable(dep.Publisher), "targetType": "child", "dependencyType": "autoInstall",
		})
	}
	writeCollection(w, r, mobileAppSet+"('"+app.ID+"')/relationships", relationshipQuery, items)
}

// updateRelationships replaces the app's dependencies and answers 204.
func (a *Apps) updateRelationships(w http.ResponseWriter, r *http.Request, p Params) {
	obj, ok := decodeObj(w, r, updateRelationshipsSchema)
	if !ok {
		return
	}
	items, ok := obj.Maps("relationships")
	if !ok {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, `relationships is required: {"relationships": [{"@odata.type": "#microsoft.graph.mobileAppDependency", "targetId": "…", "dependencyType": "autoInstall"}]}; an empty array removes them.`)
		return
	}
	deps := make([]string, len(items))
	for i, it := range items {
		typ, _ := it["@odata.type"].(string)
		if t := graphTypeName(typ); t != "" && t != "mobileAppDependency" {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("relationships[%d]: %s is not supported by whiteglove; only #microsoft.graph.mobileAppDependency is.", i, typ))
			return
		}
		if dt, _ := it["dependencyType"].(string); dt == "detect" {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("relationships[%d].dependencyType: detect-only dependencies are not supported; whiteglove installs dependencies (autoInstall).", i))
			return
		}
		deps[i], _ = it["targetId"].(string)
		if deps[i] == "" {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("relationships[%d].targetId is required.", i))
			return
		}
	}
	if _, err := a.svc.SetDependencies(r.Context(), p["id"], deps); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}
