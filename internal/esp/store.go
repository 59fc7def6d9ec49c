package esp

import "context"

// Reader reads ESP profiles and assignments. Profile lookups by id ignore
// case; the other methods take and return ids as stored.
type Reader interface {
	// Profile returns one profile; apperr.ErrNotFound when there is none.
	Profile(ctx context.Context, id string) (Profile, error)
	// DefaultProfile returns the default profile; apperr.ErrNotFound
	// before EnsureDefault has run.
	DefaultProfile(ctx context.Context) (Profile, error)
	// Profiles returns every profile: the others by priority (highest
	// first), then the default.
	Profiles(ctx context.Context) ([]Profile, error)
	// Assignments returns a profile's assignments in the order they were
	// given; empty (not an error) for an unknown profile.
	Assignments(ctx context.Context, profileID string) ([]Assignment, error)
	// AllAssignments returns every profile's assignments keyed by profile id.
	AllAssignments(ctx context.Context) (map[string][]Assignment, error)
}

// Tx is a write transaction. Nothing it does is visible to others until
// the function given to Store.InTx returns nil.
type Tx interface {
	Reader
	// Lock serializes ESP writers (across replicas) until the transaction
	// ends, so priorities are computed from a stable view.
	Lock(ctx context.Context) error
	// InsertProfile adds p; apperr.ErrConflict when its id or priority is taken.
	InsertProfile(ctx context.Context, p Profile) error
	// UpdateProfile replaces everything but the id, priority, default flag
	// and creation time; apperr.ErrNotFound when p.ID does not exist.
	UpdateProfile(ctx context.Context, p Profile) error
	// DeleteProfile removes a profile and its assignments.
	DeleteProfile(ctx context.Context, id string) error
	// SetPriorities gives the profiles named in prios (id → priority) their
	// new priorities at once: the result must be unique, intermediate
	// states need not be.
	SetPriorities(ctx context.Context, prios map[string]int) error
	// ReplaceAssignments replaces a profile's assignments with as, kept in
	// that order.
	ReplaceAssignments(ctx context.Context, profileID string, as []Assignment) error
}

// Store is the ESP profiles' storage.
type Store interface {
	Reader
	InTx(ctx context.Context, fn func(Tx) error) error
}

// Membership says which groups an Entra object (device or user) belongs
// to. The directory's store satisfies it.
type Membership interface {
	// MemberOf returns the ids of the groups objectID belongs to; empty
	// for an object in no group (or unknown).
	MemberOf(ctx context.Context, objectID string) ([]string, error)
}
