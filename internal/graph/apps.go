package graph

import (
	"log/slog"
	"net/http"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
)

// Apps serves the app catalog as Graph's deviceAppManagement/mobileApps
// (v1.0 and beta): list (with isof() and $filter on displayName,
// publisher, …), get, create, update, delete, assign, assignments, and in
// beta the dependency relationships. win32LobApp and windowsMobileMSI are
// stored in full; other mobileApp types keep the common properties and are
// listed but never installed.
type Apps struct {
	svc *apps.Service
	log *slog.Logger
}

// NewApps returns the mobileApps endpoints over svc. A nil logger discards
// logs.
func NewApps(svc *apps.Service, log *slog.Logger) *Apps {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Apps{svc: svc, log: log}
}

const mobileAppSet = "deviceAppManagement/mobileApps"

var (
	appRead  = authz.AnyOf(authz.DeviceManagementAppsReadWrite, authz.DeviceManagementServiceConfigRead, authz.DeviceManagementServiceConfigReadWrite)
	appWrite = authz.AnyOf(authz.DeviceManagementAppsReadWrite)
)

// Register adds the mobileApps routes to rt, each with its policy. Actions
// also answer under their namespace-qualified names (…/microsoft.graph.assign).
func (a *Apps) Register(rt *Router) {
	const base = "/" + mobileAppSet
	rt.Handle("GET", base, appRead, a.list)
	rt.Handle("POST", base, appWrite, a.create)
	for _, t := range []string{"win32LobApp", "windowsMobileMSI"} {
		rt.Handle("GET", base+"/microsoft.graph."+t, appRead, a.listType(t))
	}
	rt.Handle("GET", base+"/{id}", appRead, a.get)
	rt.Handle("PATCH", base+"/{id}", appWrite, a.patch)
	rt.Handle("DELETE", base+"/{id}", appWrite, a.delete)
	rt.Handle("GET", base+"/{id}/assignments", appRead, a.listAssignments)
	rt.Handle("POST", base+"/{id}/assignments", appWrite, a.addAssignment)
	rt.Handle("GET", base+"/{id}/assignments/{assignmentId}", appRead, a.getAssignment)
	rt.Handle("DELETE", base+"/{id}/assignments/{assignmentId}", appWrite, a.deleteAssignment)
	rt.HandleVersions(BetaOnly, "GET", base+"/{id}/relationships", appRead, a.relationships)
	for _, ns := range []string{"", "microsoft.graph."} {
		rt.Handle("POST", base+"/{id}/"+ns+"assign", appWrite, a.assign)
		rt.HandleVersions(BetaOnly, "POST", base+"/{id}/"+ns+"updateRelationships", appWrite, a.updateRelationships)
	}
}

func (a *Apps) list(w http.ResponseWriter, r *http.Request, _ Params) {
	a.writeList(w, r, typeFilter{})
}

// listType serves the type-cast collection …/mobileApps/microsoft.graph.<t>.
func (a *Apps) listType(t string) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, _ Params) {
		a.writeList(w, r, typeFilter{anyOf: [][]string{{t}}})
	}
}

func (a *Apps) writeList(w http.ResponseWriter, r *http.Request, f typeFilter) {
	stripped, isof, err := takeIsOf(r)
	if err != nil {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "Invalid query: $filter: "+err.Error())
		return
	}
	r = stripped
	f.anyOf, f.noneOf = append(f.anyOf, isof.anyOf...), append(f.noneOf, isof.noneOf...)
	all, err := a.svc.Apps(r.Context())
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	beta := isBeta(r)
	items := make([]map[string]any, 0, len(all))
	for _, app := range all {
		if f.matches(app.ODataType) {
			items = append(items, mobileAppJSON(app, beta))
		}
	}
	writeCollection(w, r, mobileAppSet, mobileAppQueries[beta], items)
}

func (a *Apps) get(w http.ResponseWriter, r *http.Request, p Params) {
	app, err := a.svc.App(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	beta := isBeta(r)
	writeSelected(w, r, http.StatusOK, mobileAppSet, mobileAppQueries[beta], mobileAppJSON(app, beta))
}

// create needs @odata.type: the collection is polymorphic. Types other
// than win32LobApp and windowsMobileMSI are kept as unsupported apps.
func (a *Apps) create(w http.ResponseWriter, r *http.Request, _ Params) {
	b, typ, err := bodyType(w, r)
	if err != nil {
		return
	}
	if typ == "" {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, `@odata.type is required: send "#microsoft.graph.win32LobApp", "#microsoft.graph.windowsMobileMSI" or another mobileApp type.`)
		return
	}
	t, ok := mobileAppType(typ)
	if !ok || abstractMobileAppTypes[t] {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, unsupportedTypeMessage(typ))
		return
	}
	app := apps.App{Kind: apps.Unsupported, ODataType: t}
	if t == string(apps.Win32) || t == string(apps.MSI) {
		app.Kind = apps.Kind(t)
	}
	beta := isBeta(r)
	obj, err := decodeBytes(w, r, b, mobileAppSchemas[app.Kind][beta])
	if err != nil {
		return
	}
	if err := applyApp(obj, &app); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	app, err = a.svc.CreateApp(r.Context(), app)
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, mobileAppSet, mobileAppJSON(app, beta))
}

// patch answers 200 with the updated app, as Graph documents.
func (a *Apps) patch(w http.ResponseWriter, r *http.Request, p Params) {
	cur, err := a.svc.App(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	b, typ, err := bodyType(w, r)
	if err != nil {
		return
	}
	if typ != "" && !appTypeOK(cur, typ) {
		typeMismatch(w, r, typ, cur.ODataType)
		return
	}
	obj, err := decodeBytes(w, r, b, mobileAppSchemas[cur.Kind][isBeta(r)])
	if err != nil {
		return
	}
	app, err := a.svc.UpdateApp(r.Context(), cur.ID, func(app *apps.App) error { return applyApp(obj, app) })
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeEntity(w, r, http.StatusOK, mobileAppSet, mobileAppJSON(app, isBeta(r)))
}

// delete removes the app and its assignments, as Intune does.
func (a *Apps) delete(w http.ResponseWriter, r *http.Request, p Params) {
	if err := a.svc.DeleteApp(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}

// decodeObj is decode for bodies without a type switch.
func decodeObj(w http.ResponseWriter, r *http.Request, s *ljson.Schema) (*ljson.Object, bool) {
	obj, err := decode(w, r, s)
	return obj, err == nil
}
