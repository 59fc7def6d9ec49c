package graph

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// ESP serves Enrollment Status Page profiles as Graph's
// deviceManagement/deviceEnrollmentConfigurations (v1.0 and beta): list,
// get, create, update, delete, setPriority, assign and assignments. v1.0
// shows and accepts only the v1.0 subset of
// windows10EnrollmentCompletionPageConfiguration; beta everything.
type ESP struct {
	svc *esp.Service
	log *slog.Logger
}

// NewESP returns the ESP endpoints over svc. A nil logger discards logs.
func NewESP(svc *esp.Service, log *slog.Logger) *ESP {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ESP{svc: svc, log: log}
}

const (
	espSet      = "deviceManagement/deviceEnrollmentConfigurations"
	espODataTyp = "#microsoft.graph.windows10EnrollmentCompletionPageConfiguration"
)

var (
	espRead  = authz.AnyOf(authz.DeviceManagementServiceConfigRead, authz.DeviceManagementServiceConfigReadWrite)
	espWrite = authz.AnyOf(authz.DeviceManagementServiceConfigReadWrite)
)

// Register adds the ESP routes to rt, each with its policy. Actions also
// answer under their namespace-qualified names (…/microsoft.graph.assign).
func (e *ESP) Register(rt *Router) {
	const base = "/" + espSet
	rt.Handle("GET", base, espRead, e.list)
	rt.Handle("POST", base, espWrite, e.create)
	rt.Handle("GET", base+"/{id}", espRead, e.get)
	rt.Handle("PATCH", base+"/{id}", espWrite, e.patch)
	rt.Handle("DELETE", base+"/{id}", espWrite, e.delete)
	rt.Handle("GET", base+"/{id}/assignments", espRead, e.listAssignments)
	rt.Handle("GET", base+"/{id}/assignments/{assignmentId}", espRead, e.getAssignment)
	for _, ns := range []string{"", "microsoft.graph."} {
		rt.Handle("POST", base+"/{id}/"+ns+"setPriority", espWrite, e.setPriority)
		rt.Handle("POST", base+"/{id}/"+ns+"assign", espWrite, e.assign)
	}
}

func (e *ESP) list(w http.ResponseWriter, r *http.Request, _ Params) {
	ps, err := e.svc.Profiles(r.Context())
	if err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	beta := version(r) == "beta"
	items := make([]map[string]any, len(ps))
	for i, p := range ps {
		items[i] = espProfileJSON(p, beta)
	}
	writeCollection(w, r, espSet, espQueries[beta], items)
}

func (e *ESP) get(w http.ResponseWriter, r *http.Request, p Params) {
	prof, err := e.svc.Profile(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	beta := version(r) == "beta"
	writeSelected(w, r, http.StatusOK, espSet, espQueries[beta], espProfileJSON(prof, beta))
}

func (e *ESP) create(w http.ResponseWriter, r *http.Request, _ Params) {
	beta := version(r) == "beta"
	obj, err := decodeESPProfile(w, r, espSchemas[beta], true)
	if err != nil {
		return
	}
	prof := esp.NewProfile()
	applyESPProfile(obj, &prof, false)
	prof, err = e.svc.Create(r.Context(), prof)
	if err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, espSet, espProfileJSON(prof, beta))
}

// patch answers 200 with the updated profile, as Intune documents.
func (e *ESP) patch(w http.ResponseWriter, r *http.Request, p Params) {
	beta := version(r) == "beta"
	obj, err := decodeESPProfile(w, r, espSchemas[beta], false)
	if err != nil {
		return
	}
	prof, err := e.svc.Update(r.Context(), p["id"], func(prof *esp.Profile) error {
		applyESPProfile(obj, prof, true)
		return nil
	})
	if err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	writeEntity(w, r, http.StatusOK, espSet, espProfileJSON(prof, beta))
}

func (e *ESP) delete(w http.ResponseWriter, r *http.Request, p Params) {
	if err := e.svc.Delete(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	noContent(w)
}

var espPrioritySchema = &ljson.Schema{Name: "setPriority", Props: map[string]ljson.Prop{
	"priority": {Kind: ljson.Int, Min: espInt(math.MinInt32), Max: espInt(math.MaxInt32)},
}}

func (e *ESP) setPriority(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, espPrioritySchema)
	if err != nil {
		return
	}
	n, ok := obj.Int("priority")
	if !ok {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, `priority is required: {"priority": 1}.`)
		return
	}
	if err := e.svc.SetPriority(r.Context(), p["id"], int(n)); err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	noContent(w)
}

// decodeESPProfile reads a profile body. Its @odata.type must name the ESP
// type: required when creating (the collection is polymorphic), optional in
// a PATCH. Other deviceEnrollmentConfiguration types are refused by name
// before the schema would refuse their properties; the rest is decode's.
func decodeESPProfile(w http.ResponseWriter, r *http.Request, schema *ljson.Schema, requireType bool) (*ljson.Object, error) {
	b, err := readBody(w, r)
	if err != nil {
		return nil, err
	}
	if v, perr := ljson.Parse(b); perr == nil && v.Type == ljson.ObjectType {
		typ, found := "", false
		for _, m := range v.Members {
			if strings.EqualFold(m.Name, "@odata.type") && m.Value.Type == ljson.StringType {
				typ, found = m.Value.Text, true
			}
		}
		switch {
		case !found && requireType:
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, "@odata.type is required: send \""+espODataTyp+"\".")
			return nil, errResponded
		case found && !strings.EqualFold(ljson.NormalizeODataType(typ), espODataTyp[1:]):
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("@odata.type %q is not supported by whiteglove: "+
				"deviceEnrollmentConfigurations holds only Enrollment Status Page profiles (%s).", typ, espODataTyp))
			return nil, errResponded
		}
	}
	// Hand the bytes already read (and gunzipped) to decode.
	r = r.Clone(r.Context())
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	r.Header.Del("Content-Encoding")
	return decode(w, r, schema)
}

func espInt(v int64) *int64 { return &v }

// espFlag is one Boolean ESP property: its Graph name, whether v1.0 has it,
// and where it lives in esp.Settings.
type espFlag struct {
	name string
	v1   bool
	ptr  func(*esp.Settings) *bool
}

var espFlags = []espFlag{
	{"showInstallationProgress", false, func(s *esp.Settings) *bool { return &s.ShowInstallationProgress }},
	{"blockDeviceSetupRetryByUser", false, func(s *esp.Settings) *bool { return &s.BlockDeviceSetupRetryByUser }},
	{"allowDeviceResetOnInstallFailure", false, func(s *esp.Settings) *bool { return &s.AllowDeviceResetOnInstallFailure }},
	{"allowLogCollectionOnInstallFailure", false, func(s *esp.Settings) *bool { return &s.AllowLogCollectionOnInstallFailure }},
	{"allowDeviceUseOnInstallFailure", false, func(s *esp.Settings) *bool { return &s.AllowDeviceUseOnInstallFailure }},
	{"allowNonBlockingAppInstallation", true, func(s *esp.Settings) *bool { return &s.AllowNonBlockingAppInstallation }},
	{"installQualityUpdates", false, func(s *esp.Settings) *bool { return &s.InstallQualityUpdates }},
	{"trackInstallProgressForAutopilotOnly", false, func(s *esp.Settings) *bool { return &s.TrackInstallProgressForAutopilotOnly }},
	{"disableUserStatusTrackingAfterFirstUser", false, func(s *esp.Settings) *bool { return &s.DisableUserStatusTrackingAfterFirstUser }},
}

// espSchemas and espQueries are the request and query schemas, keyed by
// "is beta".
var (
	espSchemas = map[bool]*ljson.Schema{false: newESPSchema(false), true: newESPSchema(true)}
	espQueries = map[bool]odata.Schema{false: newESPQuery(false), true: newESPQuery(true)}
)

func newESPSchema(beta bool) *ljson.Schema {
	props := map[string]ljson.Prop{
		"displayName": {Kind: ljson.String, MaxLen: esp.MaxDisplayNameLen},
		"description": str(esp.MaxDescriptionLen),
		// Ignored on create (a new profile goes last); an update must repeat
		// the current value (moves go through setPriority).
		"priority": {Kind: ljson.Int, Min: espInt(0), Max: espInt(math.MaxInt32)},
		"id":       readOnly, "createdDateTime": readOnly, "lastModifiedDateTime": readOnly, "version": readOnly,
	}
	for _, f := range espFlags {
		if beta || f.v1 {
			props[f.name] = ljson.Prop{Kind: ljson.Bool}
		}
	}
	if beta {
		props["roleScopeTagIds"] = ljson.Prop{Kind: ljson.StringArray, MaxLen: 64, Nullable: true}
		props["deviceEnrollmentConfigurationType"] = readOnly
		props["customErrorMessage"] = str(esp.MaxErrorMessageLen)
		props["installProgressTimeoutInMinutes"] = ljson.Prop{Kind: ljson.Int, Min: espInt(esp.MinTimeoutMinutes), Max: espInt(esp.MaxTimeoutMinutes)}
		props["selectedMobileAppIds"] = ljson.Prop{Kind: ljson.StringArray, MaxLen: 64, Nullable: true}
	}
	return &ljson.Schema{Name: "windows10EnrollmentCompletionPageConfiguration", Props: props}
}

func newESPQuery(beta bool) odata.Schema {
	q := odata.Schema{
		"id": odata.String, "displayName": odata.String, "description": odata.String, "priority": odata.Int,
		"createdDateTime": odata.DateTime, "lastModifiedDateTime": odata.DateTime, "version": odata.Int,
	}
	for _, f := range espFlags {
		if beta || f.v1 {
			q[f.name] = odata.Bool
		}
	}
	if beta {
		q["deviceEnrollmentConfigurationType"] = odata.Enum
		q["roleScopeTagIds"] = odata.StringCollection
		q["customErrorMessage"] = odata.String
		q["installProgressTimeoutInMinutes"] = odata.Int
		q["selectedMobileAppIds"] = odata.StringCollection
	}
	return q
}

// espProfileJSON is the Graph shape of p: the v1.0 subset, or all of beta.
func espProfileJSON(p esp.Profile, beta bool) map[string]any {
	m := map[string]any{
		"@odata.type":          espODataTyp,
		"id":                   p.ID,
		"displayName":          p.DisplayName,
		"description":          nullable(p.Description),
		"priority":             p.Priority,
		"createdDateTime":      p.CreatedAt,
		"lastModifiedDateTime": p.UpdatedAt,
		"version":              p.Version,
	}
	for _, f := range espFlags {
		if beta || f.v1 {
			m[f.name] = *f.ptr(&p.Settings)
		}
	}
	if !beta {
		return m
	}
	kind := "windows10EnrollmentCompletionPageConfiguration"
	if p.Default {
		kind = "defaultWindows10EnrollmentCompletionPageConfiguration"
	}
	apps := p.SelectedMobileAppIDs
	if apps == nil {
		apps = []string{}
	}
	m["deviceEnrollmentConfigurationType"] = kind
	m["roleScopeTagIds"] = p.RoleScopeTagIDs
	m["customErrorMessage"] = p.CustomErrorMessage
	m["installProgressTimeoutInMinutes"] = p.InstallProgressTimeoutInMinutes
	m["selectedMobileAppIds"] = apps
	return m
}

// applyESPProfile copies the properties present in obj onto p. A null
// customErrorMessage restores the default text; a null list empties it. In
// an update an empty displayName or description keeps the current one (null
// clears the description): Set-EnrollmentStatusPage sends "" for every
// name it was not given.
func applyESPProfile(obj *ljson.Object, p *esp.Profile, update bool) {
	if v, ok := obj.String("displayName"); ok && (v != "" || !update) {
		p.DisplayName = v
	}
	if v, ok := obj.String("description"); ok && (v != "" || !update) {
		p.Description = v
	} else if obj.IsNull("description") {
		p.Description = ""
	}
	if v, ok := obj.Int("priority"); ok && update {
		p.Priority = int(v)
	}
	for _, f := range espFlags {
		if v, ok := obj.Bool(f.name); ok {
			*f.ptr(&p.Settings) = v
		}
	}
	if obj.Has("customErrorMessage") {
		p.CustomErrorMessage, _ = obj.String("customErrorMessage")
	}
	if v, ok := obj.Int("installProgressTimeoutInMinutes"); ok {
		p.InstallProgressTimeoutInMinutes = int(v)
	}
	if obj.Has("selectedMobileAppIds") {
		p.SelectedMobileAppIDs, _ = obj.Strings("selectedMobileAppIds")
	}
	if obj.Has("roleScopeTagIds") {
		p.RoleScopeTagIDs, _ = obj.Strings("roleScopeTagIds")
	}
}

var espAssignmentSchema = &ljson.Schema{Name: "enrollmentConfigurationAssignment", Props: map[string]ljson.Prop{
	"id":       {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"target":   {Kind: ljson.Complex, Schema: TargetSchema},
	"source":   {Kind: ljson.Enum, Enum: []string{"direct", "policySets"}, Nullable: true},
	"sourceId": {Kind: ljson.String, MaxLen: 256, Nullable: true},
}}

var espAssignSchema = &ljson.Schema{Name: "assign", Props: map[string]ljson.Prop{
	"enrollmentConfigurationAssignments": {Kind: ljson.ComplexArray, Schema: espAssignmentSchema},
}}

var espAssignmentQuery = odata.Schema{"id": odata.String}

func espAssignmentJSON(a esp.Assignment, beta bool) map[string]any {
	m := map[string]any{"@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment", "id": a.ID, "target": TargetJSON(a.Target, beta)}
	if beta {
		m["source"], m["sourceId"] = "direct", nil
	}
	return m
}

// assign replaces the profile's assignments and answers 204.
func (e *ESP) assign(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, espAssignSchema)
	if err != nil {
		return
	}
	items, ok := obj.Maps("enrollmentConfigurationAssignments")
	if !ok {
		WriteError(w, r, http.StatusBadRequest, CodeBadRequest, `enrollmentConfigurationAssignments is required: {"enrollmentConfigurationAssignments": [{"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "…"}}]}; an empty array unassigns.`)
		return
	}
	as := make([]esp.Assignment, len(items))
	for i, it := range items {
		tm, ok := it["target"].(map[string]any)
		if !ok {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("enrollmentConfigurationAssignments[%d].target is required.", i))
			return
		}
		t, err := ParseTarget(tm)
		if err != nil {
			WriteError(w, r, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("enrollmentConfigurationAssignments[%d].target: %v", i, err))
			return
		}
		as[i].ID, _ = it["id"].(string)
		as[i].Target = t
	}
	if _, err := e.svc.Assign(r.Context(), p["id"], as); err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	noContent(w)
}

func (e *ESP) listAssignments(w http.ResponseWriter, r *http.Request, p Params) {
	as, err := e.svc.Assignments(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	beta := version(r) == "beta"
	items := make([]map[string]any, len(as))
	for i, a := range as {
		items[i] = espAssignmentJSON(a, beta)
	}
	writeCollection(w, r, espSet+"('"+p["id"]+"')/assignments", espAssignmentQuery, items)
}

func (e *ESP) getAssignment(w http.ResponseWriter, r *http.Request, p Params) {
	a, err := e.svc.Assignment(r.Context(), p["id"], p["assignmentId"])
	if err != nil {
		writeServiceError(w, r, e.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, espSet+"('"+p["id"]+"')/assignments", espAssignmentQuery, espAssignmentJSON(a, version(r) == "beta"))
}
