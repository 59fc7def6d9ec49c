package graph

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/enroll"
	"github.com/whiteglove/whiteglove/internal/graph/odata"
)

// ManagedDevices serves Graph's deviceManagement/managedDevices (list, get,
// delete: deleting releases the Autopilot device for another enrollment)
// and GET /api/autopilot/devices/{ztdId}/timeline, a device's named
// provisioning timeline.
type ManagedDevices struct {
	svc *enroll.Service
	log *slog.Logger
}

// NewManagedDevices returns the managed device endpoints.
func NewManagedDevices(svc *enroll.Service, log *slog.Logger) *ManagedDevices {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &ManagedDevices{svc: svc, log: log}
}

var (
	mdRead  = authz.AnyOf(authz.ManagedDevicesRead, authz.ManagedDevicesReadWrite)
	mdWrite = authz.AnyOf(authz.ManagedDevicesReadWrite)
)

var managedDeviceQuery = odata.Schema{
	"id": odata.Guid, "deviceName": odata.String, "serialNumber": odata.String, "userPrincipalName": odata.String,
	"enrolledDateTime": odata.DateTime, "lastSyncDateTime": odata.DateTime, "autopilotEnrolled": odata.Bool,
	"operatingSystem": odata.String, "osVersion": odata.String, "managementState": odata.String,
}

// Register adds the routes.
func (m *ManagedDevices) Register(rt *Router) {
	const set = "/deviceManagement/managedDevices"
	rt.HandleVersions(Both, "GET", set, mdRead, m.list)
	rt.HandleVersions(Both, "GET", set+"/{id}", mdRead, m.get)
	rt.HandleVersions(Both, "DELETE", set+"/{id}", mdWrite, m.delete)
	rt.HandleVersions(API, "GET", "/autopilot/devices/{id}/timeline", apRead, m.timeline)
}

func managedDeviceJSON(md enroll.ManagedDevice) map[string]any {
	return map[string]any{
		"id": md.ID, "deviceName": md.DeviceName, "serialNumber": md.SerialNumber, "userPrincipalName": md.PrimaryUser,
		"enrolledDateTime": md.EnrolledAt, "lastSyncDateTime": md.LastContactAt, "autopilotEnrolled": true,
		"operatingSystem": "Windows", "osVersion": osVersion(md.OSBuild), "managementState": "managed",
		"managedDeviceOwnerType": "company", "deviceEnrollmentType": "windowsAutoEnrollment",
		"azureADDeviceId": md.ZTDID, "deviceRegistrationState": "registered",
		"enrollmentProfileName": "", "joinType": "azureADJoined",
		"whiteglove": map[string]any{
			"ztdId": md.ZTDID, "stage": md.Stage, "tpmKind": md.TPMKind, "tpmManufacturer": md.TPMManufacturer,
			"osEdition": md.OSEdition, "technicianCompletedDateTime": nullTime(md.TechnicianDoneAt),
			"sealedDateTime": nullTime(md.SealedAt), "userCompletedDateTime": nullTime(md.UserDoneAt),
		},
	}
}

func osVersion(build int) string {
	if build == 0 {
		return ""
	}
	return "10.0." + strconv.Itoa(build) + ".0"
}

func nullTime(t interface{ IsZero() bool }) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func (m *ManagedDevices) list(w http.ResponseWriter, r *http.Request, p Params) {
	mds, err := m.svc.ManagedDevices(r.Context())
	if err != nil {
		writeServiceError(w, r, m.log, err)
		return
	}
	items := make([]map[string]any, len(mds))
	for i, md := range mds {
		items[i] = managedDeviceJSON(md)
	}
	writeCollection(w, r, "deviceManagement/managedDevices", managedDeviceQuery, items)
}

func (m *ManagedDevices) get(w http.ResponseWriter, r *http.Request, p Params) {
	md, err := m.svc.ManagedDevice(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, m.log, err)
		return
	}
	writeJSON(w, http.StatusOK, managedDeviceJSON(md))
}

func (m *ManagedDevices) delete(w http.ResponseWriter, r *http.Request, p Params) {
	if err := m.svc.DeleteManagedDevice(r.Context(), p["id"]); err != nil {
		writeServiceError(w, r, m.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (m *ManagedDevices) timeline(w http.ResponseWriter, r *http.Request, p Params) {
	t, err := m.svc.Timeline(r.Context(), p["id"])
	if err != nil {
		writeServiceError(w, r, m.log, err)
		return
	}
	writeJSON(w, http.StatusOK, t)
}
