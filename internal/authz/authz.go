// Package authz names the roles that tokens carry and the policies routes
// declare. Every route states a Policy; there is no default.
package authz

import "slices"

// Application roles, named as Microsoft Graph names them, so tools that ask
// for them by name get what they expect.
const (
	DeviceManagementServiceConfigRead      = "DeviceManagementServiceConfig.Read.All"
	DeviceManagementServiceConfigReadWrite = "DeviceManagementServiceConfig.ReadWrite.All"
	ManagedDevicesRead                     = "DeviceManagementManagedDevices.Read.All"
	ManagedDevicesReadWrite                = "DeviceManagementManagedDevices.ReadWrite.All"
	DeviceManagementAppsReadWrite          = "DeviceManagementApps.ReadWrite.All"
	DeviceManagementConfigReadWrite        = "DeviceManagementConfiguration.ReadWrite.All"
	GroupRead                              = "Group.Read.All"
	GroupReadWrite                         = "Group.ReadWrite.All"
	GroupMemberReadWrite                   = "GroupMember.ReadWrite.All"
	UserRead                               = "User.Read.All"
	UserReadWrite                          = "User.ReadWrite.All"
	DeviceRead                             = "Device.Read.All"
	DeviceReadWrite                        = "Device.ReadWrite.All"
	DirectoryRead                          = "Directory.Read.All"
	DirectoryReadWrite                     = "Directory.ReadWrite.All"
	OrganizationRead                       = "Organization.Read.All"
)

// Technician is the role of people who stage devices: they may look devices
// up and assign users to them, nothing else.
const Technician = "WhiteGlove.Technician"

// Person roles stored on users.
const (
	PersonAdmin      = "admin"
	PersonTechnician = "technician"
)

// AdminRoles is every application role; the bootstrap app and admins get all.
var AdminRoles = []string{
	DeviceManagementServiceConfigRead, DeviceManagementServiceConfigReadWrite,
	ManagedDevicesRead, ManagedDevicesReadWrite,
	DeviceManagementAppsReadWrite, DeviceManagementConfigReadWrite,
	GroupRead, GroupReadWrite, GroupMemberReadWrite,
	UserRead, UserReadWrite, DeviceRead, DeviceReadWrite,
	DirectoryRead, DirectoryReadWrite, OrganizationRead,
}

// KnownRole reports whether r is a role an app may be granted.
func KnownRole(r string) bool { return r == Technician || slices.Contains(AdminRoles, r) }

// TokenRoles expands a person's stored roles into the roles their tokens carry.
// Unknown person roles grant nothing.
func TokenRoles(personRoles []string) []string {
	var out []string
	for _, r := range personRoles {
		switch r {
		case PersonAdmin:
			out = append(out, AdminRoles...)
		case PersonTechnician:
			out = append(out, Technician)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Policy is who may call a route. The zero Policy admits nobody, so a route
// that forgets to say is refused rather than open.
type Policy struct {
	public bool
	any    []string
}

// Public admits every caller, authenticated or not.
func Public() Policy { return Policy{public: true} }

// AnyOf admits callers holding at least one of roles.
func AnyOf(roles ...string) Policy { return Policy{any: roles} }

// IsPublic reports whether the policy admits unauthenticated callers.
func (p Policy) IsPublic() bool { return p.public }

// Roles returns the roles of which a caller needs one; nil for public.
func (p Policy) Roles() []string { return p.any }

// Allows reports whether a caller with roles may pass.
func (p Policy) Allows(roles []string) bool {
	if p.public {
		return true
	}
	for _, r := range roles {
		if slices.Contains(p.any, r) {
			return true
		}
	}
	return false
}

// Read and write policies for the directory, as Graph grants them.
var (
	// Technicians read users to pick the one to assign to a device.
	ReadUsers    = AnyOf(UserRead, UserReadWrite, DirectoryRead, DirectoryReadWrite, Technician)
	WriteUsers   = AnyOf(UserReadWrite, DirectoryReadWrite)
	ReadGroups   = AnyOf(GroupRead, GroupReadWrite, DirectoryRead, DirectoryReadWrite)
	WriteGroups  = AnyOf(GroupReadWrite, DirectoryReadWrite)
	WriteMembers = AnyOf(GroupMemberReadWrite, GroupReadWrite, DirectoryReadWrite)
	// Technicians look devices up (the companion app reads the Entra device).
	ReadDevices   = AnyOf(DeviceRead, DeviceReadWrite, DirectoryRead, DirectoryReadWrite, Technician)
	WriteDevices  = AnyOf(DeviceReadWrite, DirectoryReadWrite)
	ReadOrg       = AnyOf(OrganizationRead, DirectoryRead, DirectoryReadWrite, UserRead, UserReadWrite, DeviceManagementServiceConfigRead, DeviceManagementServiceConfigReadWrite, Technician)
	AssignLicense = AnyOf(UserReadWrite, DirectoryReadWrite)
)
