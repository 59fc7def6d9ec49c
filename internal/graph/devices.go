package graph

import (
	"errors"
	"net/http"
	"strings"

	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/graph/ljson"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

var alternativeSecurityID = &ljson.Schema{Name: "alternativeSecurityId", Props: map[string]ljson.Prop{
	"type": {Kind: ljson.Int, Nullable: true}, "identityProvider": str(256), "key": str(4096),
}}

var deviceSchema = &ljson.Schema{Name: "device", Props: map[string]ljson.Prop{
	"accountEnabled":         {Kind: ljson.Bool},
	"deviceId":               {Kind: ljson.Guid},
	"displayName":            str(256),
	"operatingSystem":        str(64),
	"operatingSystemVersion": str(64),
	"manufacturer":           str(256),
	"model":                  str(256),
	"trustType":              {Kind: ljson.Enum, Enum: []string{"Workplace", "AzureAd", "ServerAd"}, Nullable: true},
	"enrollmentProfileName":  str(256),
	"physicalIds":            {Kind: ljson.StringArray, MaxLen: 512},
	"alternativeSecurityIds": {Kind: ljson.ComplexArray, Schema: alternativeSecurityID},
	"id":                     readOnly, "createdDateTime": readOnly,
}}

var deviceQuery = odata.Schema{
	"id": odata.Guid, "deviceId": odata.Guid, "displayName": odata.String, "accountEnabled": odata.Bool,
	"operatingSystem": odata.String, "operatingSystemVersion": odata.String, "manufacturer": odata.String,
	"model": odata.String, "trustType": odata.String, "enrollmentProfileName": odata.String,
	"physicalIds": odata.StringCollection, "createdDateTime": odata.DateTime,
}

func deviceJSON(d directory.Device) map[string]any {
	pids := d.PhysicalIDs
	if pids == nil {
		pids = []string{}
	}
	return map[string]any{
		"@odata.type":            "#microsoft.graph.device",
		"id":                     d.ID,
		"deviceId":               d.DeviceID,
		"displayName":            d.DisplayName,
		"accountEnabled":         d.AccountEnabled,
		"operatingSystem":        nullable(d.OperatingSystem),
		"operatingSystemVersion": nullable(d.OperatingSystemVersion),
		"manufacturer":           nullable(d.Manufacturer),
		"model":                  nullable(d.Model),
		"trustType":              nullable(d.TrustType),
		"enrollmentProfileName":  nullable(d.EnrollmentProfileName),
		"physicalIds":            pids,
		"createdDateTime":        d.CreatedAt,
		"registrationDateTime":   d.CreatedAt,
		"alternativeSecurityIds": []map[string]any{},
	}
}

func applyDevice(obj *ljson.Object, d *directory.Device) {
	set := func(name string, dst *string) {
		if obj.Has(name) {
			v, _ := obj.String(name)
			*dst = v
		}
	}
	set("deviceId", &d.DeviceID)
	set("displayName", &d.DisplayName)
	set("operatingSystem", &d.OperatingSystem)
	set("operatingSystemVersion", &d.OperatingSystemVersion)
	set("manufacturer", &d.Manufacturer)
	set("model", &d.Model)
	set("trustType", &d.TrustType)
	set("enrollmentProfileName", &d.EnrollmentProfileName)
	if v, ok := obj.Bool("accountEnabled"); ok {
		d.AccountEnabled = v
	}
	if obj.Has("physicalIds") {
		d.PhysicalIDs, _ = obj.Strings("physicalIds")
	}
}

func (d *Directory) listDevices(w http.ResponseWriter, r *http.Request, _ Params) {
	q, ok := parseQuery(w, r, deviceQuery, d.memberOfExpander())
	if !ok {
		return
	}
	var ds []directory.Device
	var err error
	if id, ok := q.Filter.Equals("deviceId"); ok {
		// The companion app and Get-WindowsAutopilotInfo look devices up by
		// deviceId: use the index, then apply the whole filter as usual.
		dev, ferr := d.dir.Store().DeviceByDeviceID(r.Context(), id)
		if ferr == nil {
			ds = []directory.Device{dev}
		} else if !errors.Is(ferr, directory.ErrNotFound) {
			err = ferr
		}
	} else {
		ds, err = d.dir.Store().Devices(r.Context())
	}
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	items := make([]map[string]any, len(ds))
	for i, dev := range ds {
		items[i] = deviceJSON(dev)
	}
	writeCollection(w, r, "devices", deviceQuery, items, d.memberOfExpander())
}

func (d *Directory) getDevice(w http.ResponseWriter, r *http.Request, p Params) {
	dev, err := d.dir.Store().Device(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeSelected(w, r, http.StatusOK, "devices", deviceQuery, deviceJSON(dev), d.memberOfExpander())
}

func (d *Directory) createDevice(w http.ResponseWriter, r *http.Request, _ Params) {
	obj, err := decode(w, r, deviceSchema)
	if err != nil || !checkType(w, r, obj, "microsoft.graph.device") {
		return
	}
	var missing []string
	for _, k := range []string{"accountEnabled", "deviceId", "displayName"} {
		if !obj.Has(k) || obj.IsNull(k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		WriteError(w, r, http.StatusBadRequest, CodeRequestBad, "Missing required properties: "+strings.Join(missing, ", ")+".")
		return
	}
	var dev directory.Device
	applyDevice(obj, &dev)
	dev, err = d.dir.CreateDevice(r.Context(), dev)
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	writeEntity(w, r, http.StatusCreated, "devices", deviceJSON(dev))
}

func (d *Directory) patchDevice(w http.ResponseWriter, r *http.Request, p Params) {
	obj, err := decode(w, r, deviceSchema)
	if err != nil || !checkType(w, r, obj, "microsoft.graph.device") {
		return
	}
	_, err = d.dir.UpdateDevice(r.Context(), p["id"], func(dev *directory.Device) error {
		applyDevice(obj, dev)
		return nil
	})
	if err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	noContent(w)
}

func (d *Directory) deleteDevice(w http.ResponseWriter, r *http.Request, p Params) {
	if err := d.dir.DeleteDevice(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, d.log, err)
		return
	}
	noContent(w)
}
