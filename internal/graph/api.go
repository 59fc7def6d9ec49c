package graph

import (
	"log/slog"

	"github.com/whiteglove/whiteglove/internal/authz"
	"github.com/whiteglove/whiteglove/internal/directory"
)

// Directory serves the Graph directory endpoints: organization, users,
// licences, groups and device objects.
type Directory struct {
	dir *directory.Service
	log *slog.Logger
}

// NewDirectory returns the directory endpoints over dir.
func NewDirectory(dir *directory.Service, log *slog.Logger) *Directory {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Directory{dir: dir, log: log}
}

// Register adds the directory routes to rt, each with its policy.
func (d *Directory) Register(rt *Router) {
	rt.Handle("GET", "/organization", authz.ReadOrg, d.listOrganization)
	rt.Handle("GET", "/organization/{id}", authz.ReadOrg, d.getOrganization)
	rt.Handle("GET", "/subscribedSkus", authz.ReadOrg, d.listSkus)

	rt.Handle("GET", "/users", authz.ReadUsers, d.listUsers)
	rt.Handle("POST", "/users", authz.WriteUsers, d.createUser)
	rt.Handle("GET", "/users/{id}", authz.ReadUsers, d.getUser)
	rt.Handle("PATCH", "/users/{id}", authz.WriteUsers, d.patchUser)
	rt.Handle("DELETE", "/users/{id}", authz.WriteUsers, d.deleteUser)
	rt.Handle("POST", "/users/{id}/assignLicense", authz.AssignLicense, d.assignLicense)
	rt.Handle("GET", "/users/{id}/memberOf", authz.ReadUsers, d.userMemberOf)
	rt.Handle("GET", "/users/$count", authz.ReadUsers, d.countUsers)

	rt.Handle("GET", "/groups", authz.ReadGroups, d.listGroups)
	rt.Handle("POST", "/groups", authz.WriteGroups, d.createGroup)
	rt.Handle("GET", "/groups/{id}", authz.ReadGroups, d.getGroup)
	rt.Handle("PATCH", "/groups/{id}", authz.WriteGroups, d.patchGroup)
	rt.Handle("DELETE", "/groups/{id}", authz.WriteGroups, d.deleteGroup)
	rt.Handle("GET", "/groups/{id}/members", authz.ReadGroups, d.listMembers)
	rt.Handle("GET", "/groups/{id}/members/$ref", authz.ReadGroups, d.listMemberRefs)
	rt.Handle("POST", "/groups/{id}/members/$ref", authz.WriteMembers, d.addMember)
	rt.Handle("DELETE", "/groups/{id}/members/{memberId}/$ref", authz.WriteMembers, d.removeMember)

	rt.Handle("GET", "/devices", authz.ReadDevices, d.listDevices)
	rt.Handle("POST", "/devices", authz.WriteDevices, d.createDevice)
	rt.Handle("GET", "/devices/{id}", authz.ReadDevices, d.getDevice)
	rt.Handle("PATCH", "/devices/{id}", authz.WriteDevices, d.patchDevice)
	rt.Handle("DELETE", "/devices/{id}", authz.WriteDevices, d.deleteDevice)
	rt.Handle("GET", "/devices/{id}/memberOf", authz.ReadDevices, d.deviceMemberOf)
	rt.Handle("GET", "/devices/$count", authz.ReadDevices, d.countDevices)
	rt.Handle("GET", "/groups/$count", authz.ReadGroups, d.countGroups)
	rt.Handle("GET", "/directoryObjects/{id}", authz.AnyOf(authz.DirectoryRead, authz.DirectoryReadWrite), d.getDirectoryObject)
}
