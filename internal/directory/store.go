package directory

import "context"

// Reader reads the directory.
type Reader interface {
	Tenant(ctx context.Context) (Tenant, error)
	User(ctx context.Context, id string) (User, error)
	UserByUPN(ctx context.Context, upn string) (User, error)
	Users(ctx context.Context) ([]User, error)
	App(ctx context.Context, clientID string) (App, error)
	Device(ctx context.Context, id string) (Device, error)
	DeviceByDeviceID(ctx context.Context, deviceID string) (Device, error)
	Devices(ctx context.Context) ([]Device, error)
	Group(ctx context.Context, id string) (Group, error)
	Groups(ctx context.Context) ([]Group, error)
	Members(ctx context.Context, groupID string) ([]Member, error)
	// MemberUsers and MemberDevices return a group's members with their objects.
	MemberUsers(ctx context.Context, groupID string) ([]User, error)
	MemberDevices(ctx context.Context, groupID string) ([]Device, error)
	// MemberOf returns the ids of the groups objectID belongs to, directly.
	MemberOf(ctx context.Context, objectID string) ([]string, error)
	// LicensedUsers counts users holding a licence.
	LicensedUsers(ctx context.Context) (int, error)
}

// RuleRow is a dynamic group's rule as stored.
type RuleRow struct {
	GroupID string
	Rule    string
}

// Tx is a write transaction on the directory. Nothing it does is visible to
// others until the function given to Store.InTx returns nil.
type Tx interface {
	Reader
	// LockRules takes the tenant's rules lock: shared for object writes,
	// exclusive for rule writes, so a new object never misses a new rule. It
	// returns the rules version (bumped by every rule change).
	LockRules(ctx context.Context, exclusive bool) (int64, error)
	BumpRulesVersion(ctx context.Context) (int64, error)
	// LockSeats serializes licence assignment across replicas.
	LockSeats(ctx context.Context) error
	// LockObject share-locks a user or device row (so it cannot be deleted
	// before the transaction ends) and says which it is; ErrNotFound if none.
	LockObject(ctx context.Context, id string) (kind string, err error)
	// DynamicRules returns the rules of enabled dynamic groups for a member kind.
	DynamicRules(ctx context.Context) ([]RuleRow, error)

	PutTenant(ctx context.Context, t Tenant) error
	PutApp(ctx context.Context, a App) error
	// PutUser inserts (create) or replaces a user; ErrConflict on a taken UPN.
	PutUser(ctx context.Context, u User, create bool) error
	DeleteUser(ctx context.Context, id string) error
	PutDevice(ctx context.Context, d Device, create bool) error
	// PutDevices inserts new devices in bulk; ErrConflict if any id is taken.
	PutDevices(ctx context.Context, ds []Device) error
	DeleteDevice(ctx context.Context, id string) error
	PutGroup(ctx context.Context, g Group, create bool) error
	DeleteGroup(ctx context.Context, id string) error

	// DynamicGroupsOf returns the groups objectID is a dynamic member of.
	DynamicGroupsOf(ctx context.Context, objectID string) ([]string, error)
	AddMembers(ctx context.Context, groupID string, ms []Member) error
	RemoveMembers(ctx context.Context, groupID string, objectIDs []string) error
	// RemoveFromAllGroups drops every membership of objectID.
	RemoveFromAllGroups(ctx context.Context, objectID string) error
	// EachDevice and EachUser stream every object of that kind.
	EachDevice(ctx context.Context, fn func(Device) error) error
	EachUser(ctx context.Context, fn func(User) error) error
}

// Store is the directory's storage.
type Store interface {
	Reader
	InTx(ctx context.Context, fn func(Tx) error) error
}
