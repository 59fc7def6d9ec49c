package apps

import (
	"context"

	"github.com/whiteglove/whiteglove/internal/directory"
)

// Reader reads the catalog. Lookups by id ignore case; items come back
// with their assignments (and apps with their dependencies) filled in.
type Reader interface {
	// App returns one app; apperr.ErrNotFound when there is none.
	App(ctx context.Context, id string) (App, error)
	// Apps returns every app, oldest first.
	Apps(ctx context.Context) ([]App, error)
	// Policy returns one policy; apperr.ErrNotFound when there is none.
	Policy(ctx context.Context, id string) (Policy, error)
	// Policies returns every policy, oldest first.
	Policies(ctx context.Context) ([]Policy, error)
	// Script returns one script; apperr.ErrNotFound when there is none.
	Script(ctx context.Context, id string) (Script, error)
	// Scripts returns every script, oldest first.
	Scripts(ctx context.Context) ([]Script, error)
	// Version returns the catalog version (0 before the first write).
	Version(ctx context.Context) (int64, error)
}

// Tx is a catalog write transaction. Nothing it does is visible to others
// until the function given to Store.InTx returns nil.
type Tx interface {
	Reader
	// Bump locks the catalog against other writers (across replicas) until
	// the transaction ends, increments its version and returns the new one.
	// Every write transaction calls it first.
	Bump(ctx context.Context) (int64, error)
	// Dependencies returns every app's dependencies keyed by app id (apps
	// without any are absent).
	Dependencies(ctx context.Context) (map[string][]string, error)

	// PutApp inserts (create) or replaces an app's properties, content
	// fields included; dependencies and assignments are left alone.
	// apperr.ErrNotFound when replacing an app that does not exist.
	PutApp(ctx context.Context, a App, create bool) error
	// DeleteApp removes an app, its dependencies and its assignments.
	DeleteApp(ctx context.Context, id string) error
	// SetDependencies replaces an app's dependencies with deps, in order.
	SetDependencies(ctx context.Context, appID string, deps []string) error

	// PutPolicy inserts or replaces a policy (assignments left alone).
	PutPolicy(ctx context.Context, p Policy, create bool) error
	// DeletePolicy removes a policy and its assignments.
	DeletePolicy(ctx context.Context, id string) error
	// PutScript inserts or replaces a script (assignments left alone).
	PutScript(ctx context.Context, s Script, create bool) error
	// DeleteScript removes a script and its assignments.
	DeleteScript(ctx context.Context, id string) error

	// ReplaceAppAssignments replaces an app's assignments, kept in order.
	ReplaceAppAssignments(ctx context.Context, appID string, as []AppAssignment) error
	// ReplaceAssignments replaces a policy's or script's assignments.
	ReplaceAssignments(ctx context.Context, kind ItemKind, ownerID string, as []Assignment) error
}

// Store is the catalog's storage.
type Store interface {
	Reader
	// InTx runs fn in a write transaction.
	InTx(ctx context.Context, fn func(Tx) error) error
	// Snapshot reads every app, policy and script with its assignments,
	// and the version they are at, as one consistent view: no write is
	// half-seen, and the version matches the content exactly.
	Snapshot(ctx context.Context) (Catalog, error)
}

// Groups looks groups up, so assignments to groups that do not exist are
// refused. The directory's store satisfies it.
type Groups interface {
	// Group returns a group; apperr.ErrNotFound when there is none.
	Group(ctx context.Context, id string) (directory.Group, error)
}

// Catalog is every app, policy and script, with assignments, at Version.
type Catalog struct {
	Version  int64
	Apps     []App
	Policies []Policy
	Scripts  []Script
}
