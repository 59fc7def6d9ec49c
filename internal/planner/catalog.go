package planner

import (
	"context"
	"fmt"
	"sync"

	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/targeting"
)

// Apps is what the catalog adapter reads of the app and policy catalog.
type Apps interface {
	Version(ctx context.Context) (int64, error)
	Snapshot(ctx context.Context) (apps.Catalog, error)
}

// AppsCatalog turns the app, policy and script catalog into the targeting
// engine's items, indexed, and keeps the result until the catalog's
// version (stored in the database, so every replica sees a change) moves.
type AppsCatalog struct {
	Apps Apps

	mu      sync.Mutex
	version int64
	cat     *targeting.Catalog
}

// Catalog returns the current indexed catalog.
func (c *AppsCatalog) Catalog(ctx context.Context) (*targeting.Catalog, error) {
	v, err := c.Apps.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the catalog version: %w", err)
	}
	c.mu.Lock()
	if c.cat != nil && c.version == v {
		cat := c.cat
		c.mu.Unlock()
		return cat, nil
	}
	c.mu.Unlock()
	snap, err := c.Apps.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	cat := targeting.NewCatalog(Items(snap))
	c.mu.Lock()
	c.cat, c.version = cat, snap.Version
	c.mu.Unlock()
	return cat, nil
}

// Items converts a catalog snapshot into targeting items.
func Items(snap apps.Catalog) []targeting.Item {
	out := make([]targeting.Item, 0, len(snap.Apps)+len(snap.Policies)+len(snap.Scripts))
	for _, a := range snap.Apps {
		it := targeting.Item{ID: a.ID, Name: a.DisplayName, Kind: targeting.KindApp, AppType: string(a.Kind), Context: a.Context(),
			Tracked: true, Size: a.Size, Dependencies: a.Dependencies, Supported: a.Supported()}
		for _, as := range a.Assignments {
			it.Assignments = append(it.Assignments, targeting.Assignment{Intent: string(as.Intent), Target: as.Target})
		}
		out = append(out, it)
	}
	for _, p := range snap.Policies {
		it := targeting.Item{ID: p.ID, Name: p.DisplayName, Kind: targeting.KindPolicy, Context: p.Context(), Tracked: p.Tracked(),
			DisablesSigninAssistant: p.DisablesSigninAssistant(), Supported: true}
		for _, as := range p.Assignments {
			it.Assignments = append(it.Assignments, targeting.Assignment{Intent: targeting.IntentRequired, Target: as.Target})
		}
		out = append(out, it)
	}
	for _, sc := range snap.Scripts {
		ctx := targeting.ContextSystem
		if sc.RunAsAccount == apps.RunAsUser {
			ctx = targeting.ContextUser
		}
		it := targeting.Item{ID: sc.ID, Name: sc.DisplayName, Kind: targeting.KindScript, Context: ctx, Tracked: true, Supported: true}
		for _, as := range sc.Assignments {
			it.Assignments = append(it.Assignments, targeting.Assignment{Intent: targeting.IntentRequired, Target: as.Target})
		}
		out = append(out, it)
	}
	return out
}
