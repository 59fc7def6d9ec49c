package graph

import (
	"net/http"

	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

var importStateSchema = &ljson.Schema{Name: "importedWindowsAutopilotDeviceIdentityState", Props: map[string]ljson.Prop{
	"deviceImportStatus":   {Kind: ljson.String, MaxLen: 32, Nullable: true},
	"deviceRegistrationId": {Kind: ljson.String, MaxLen: 64, Nullable: true},
	"deviceErrorCode":      {Kind: ljson.Int, Nullable: true},
	"deviceErrorName":      {Kind: ljson.String, MaxLen: 128, Nullable: true},
}}

// importSchema is an imported identity as clients send it. The state they
// send ("pending") is accepted and ignored: the server owns the state.
var importSchema = &ljson.Schema{Name: "importedWindowsAutopilotDeviceIdentity", Props: map[string]ljson.Prop{
	"groupTag":                  {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"serialNumber":              {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"productKey":                {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"hardwareIdentifier":        {Kind: ljson.String, MaxLen: 64 << 10, Nullable: true},
	"assignedUserPrincipalName": {Kind: ljson.String, MaxLen: 256, Nullable: true},
	"importId":                  {Kind: ljson.String, MaxLen: 64, Nullable: true},
	"state":                     {Kind: ljson.Complex, Schema: importStateSchema, Nullable: true},
	"id":                        readOnly,
}}

var importManySchema = &ljson.Schema{Name: "import", Props: map[string]ljson.Prop{
	"importedWindowsAutopilotDeviceIdentities": {Kind: ljson.ComplexArray, Schema: importSchema},
}}

var importQuery = odata.Schema{
	"id": odata.Guid, "serialNumber": odata.String, "groupTag": odata.String, "importId": odata.String,
	"productKey": odata.String, "assignedUserPrincipalName": odata.String,
	"state/deviceImportStatus": odata.Enum, "state/deviceRegistrationId": odata.String,
	"state/deviceErrorCode": odata.Int, "state/deviceErrorName": odata.String,
}

// importJSON is the Graph representation. hardwareIdentifier is not echoed,
// as Intune does not echo it.
func importJSON(im autopilot.Import) map[string]any {
	return map[string]any{
		"@odata.type":               "#microsoft.graph.importedWindowsAutopilotDeviceIdentity",
		"id":                        im.ID,
		"groupTag":                  nullable(im.GroupTag),
		"serialNumber":              nullable(im.SerialNumber),
		"productKey":                nullable(im.ProductKey),
		"importId":                  im.ImportID,
		"hardwareIdentifier":        nil,
		"assignedUserPrincipalName": nullable(im.AssignedUPN),
		"state": map[string]any{
			"@odata.type":          "microsoft.graph.importedWindowsAutopilotDeviceIdentityState",
			"deviceImportStatus":   im.Status,
			"deviceRegistrationId": nullable(im.RegistrationID),
			"deviceErrorCode":      im.ErrorCode,
			"deviceErrorName":      nullable(im.ErrorName),
		},
	}
}

func importFrom(m map[string]any) autopilot.Import {
	get := func(k string) string { s, _ := m[k].(string); return s }
	return autopilot.Import{
		SerialNumber: get("serialNumber"), GroupTag: get("groupTag"), ProductKey: get("productKey"),
		HardwareHash: get("hardwareIdentifier"), AssignedUPN: get("assignedUserPrincipalName"),
	}
}

func (a *Autopilot) listImports(w http.ResponseWriter, r *http.Request, _ Params) {
	is, err := a.ap.Store().Imports(r.Context())
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	items := make([]map[string]any, len(is))
	for i, im := range is {
		items[i] = importJSON(im)
	}
	writeCollection(w, r, "deviceManagement/importedWindowsAutopilotDeviceIdentities", importQuery, items)
}

func (a *Autopilot) getImport(w http.ResponseWriter, r *http.Request, p Params) {
	im, err := a.ap.Store().Import(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeEntity(w, r, http.StatusOK, "deviceManagement/importedWindowsAutopilotDeviceIdentities", importJSON(im))
}

func (a *Autopilot) createImport(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, err := decode(w, r, importSchema)
	if err != nil {
		return
	}
	out, err := a.ap.Submit(r.Context(), []autopilot.Import{importFrom(obj.Fields)})
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, "deviceManagement/importedWindowsAutopilotDeviceIdentities", importJSON(out[0]))
}

func (a *Autopilot) importMany(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, err := decode(w, r, importManySchema)
	if err != nil {
		return
	}
	list, _ := obj.Maps("importedWindowsAutopilotDeviceIdentities")
	reqs := make([]autopilot.Import, len(list))
	for i, m := range list {
		reqs[i] = importFrom(m)
	}
	out, err := a.ap.Submit(r.Context(), reqs)
	if err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	items := make([]map[string]any, len(out))
	for i, im := range out {
		items[i] = importJSON(im)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context": contextURL(r, "Collection(microsoft.graph.importedWindowsAutopilotDeviceIdentity)"),
		"value":          items,
	})
}

func (a *Autopilot) deleteImport(w http.ResponseWriter, r *http.Request, p Params) {
	if err := a.ap.DeleteImport(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, a.log, err)
		return
	}
	noContent(w)
}
