package graph

import (
	"log/slog"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/autopilot"
)

// Autopilot serves the Graph Autopilot endpoints under /deviceManagement:
// device identities, imports, deployment profiles and settings.
type Autopilot struct {
	ap  *autopilot.Service
	log *slog.Logger
}

// NewAutopilot returns the Autopilot endpoints over ap.
func NewAutopilot(ap *autopilot.Service, log *slog.Logger) *Autopilot {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Autopilot{ap: ap, log: log}
}

var (
	apRead  = authz.AnyOf(authz.DeviceManagementServiceConfigRead, authz.DeviceManagementServiceConfigReadWrite)
	apWrite = authz.AnyOf(authz.DeviceManagementServiceConfigReadWrite)
	// Technicians look devices up and assign users, nothing else.
	apLookup     = authz.AnyOf(authz.DeviceManagementServiceConfigRead, authz.DeviceManagementServiceConfigReadWrite, authz.Technician)
	apAssignUser = authz.AnyOf(authz.DeviceManagementServiceConfigReadWrite, authz.Technician)
)

// Register adds the Autopilot routes to rt.
func (a *Autopilot) Register(rt *Router) {
	const ids = "/deviceManagement/windowsAutopilotDeviceIdentities"
	rt.Handle("GET", ids, apLookup, a.listDevices)
	rt.Handle("GET", ids+"/{id}", apLookup, a.getDevice)
	rt.Handle("DELETE", ids+"/{id}", apWrite, a.deleteDevice)
	rt.Handle("POST", ids+"/{id}/assignUserToDevice", apAssignUser, a.assignUser)
	rt.Handle("POST", ids+"/{id}/unassignUserFromDevice", apAssignUser, a.unassignUser)
	rt.Handle("POST", ids+"/{id}/updateDeviceProperties", apAssignUser, a.updateProperties)
	rt.HandleVersions(BetaOnly, "POST", ids+"/{id}/allowNextEnrollment", apWrite, a.allowNextEnrollment)
	rt.HandleVersions(BetaOnly, "POST", ids+"/deleteDevices", apWrite, a.deleteDevices)
	rt.HandleVersions(BetaOnly, "GET", ids+"/{id}/deploymentProfile", apLookup, a.deviceProfile(false))
	rt.HandleVersions(BetaOnly, "GET", ids+"/{id}/intendedDeploymentProfile", apLookup, a.deviceProfile(true))

	const imp = "/deviceManagement/importedWindowsAutopilotDeviceIdentities"
	rt.Handle("GET", imp, apRead, a.listImports)
	rt.Handle("POST", imp, apWrite, a.createImport)
	rt.Handle("POST", imp+"/import", apWrite, a.importMany)
	rt.Handle("GET", imp+"/{id}", apRead, a.getImport)
	rt.Handle("DELETE", imp+"/{id}", apWrite, a.deleteImport)

	const prof = "/deviceManagement/windowsAutopilotDeploymentProfiles"
	rt.HandleVersions(BetaOnly, "GET", prof, apRead, a.listProfiles)
	rt.HandleVersions(BetaOnly, "POST", prof, apWrite, a.createProfile)
	rt.HandleVersions(BetaOnly, "GET", prof+"/{id}", apRead, a.getProfile)
	rt.HandleVersions(BetaOnly, "PATCH", prof+"/{id}", apWrite, a.patchProfile)
	rt.HandleVersions(BetaOnly, "DELETE", prof+"/{id}", apWrite, a.deleteProfile)
	rt.HandleVersions(BetaOnly, "GET", prof+"/{id}/assignments", apRead, a.listAssignments)
	rt.HandleVersions(BetaOnly, "POST", prof+"/{id}/assignments", apWrite, a.createAssignment)
	rt.HandleVersions(BetaOnly, "GET", prof+"/{id}/assignments/{aid}", apRead, a.getAssignment)
	rt.HandleVersions(BetaOnly, "DELETE", prof+"/{id}/assignments/{aid}", apWrite, a.deleteAssignment)
	rt.HandleVersions(BetaOnly, "POST", prof+"/{id}/assign", apWrite, a.assignProfile)
	rt.HandleVersions(BetaOnly, "GET", prof+"/{id}/assignedDevices", apRead, a.assignedDevices)

	rt.HandleVersions(BetaOnly, "GET", "/deviceManagement/windowsAutopilotSettings", apRead, a.getSettings)
	rt.HandleVersions(BetaOnly, "POST", "/deviceManagement/windowsAutopilotSettings/sync", apAssignUser, a.sync)
}
