package enroll

import (
	"context"
	"sync"

	"github.com/whiteglove/whiteglove/internal/apps"
)

// itemCache keeps catalog items read for device manifests, valid for one
// catalog version: a fleet fetching the same manifests reads each item
// once per catalog change instead of once per device.
type itemCache struct {
	mu       sync.Mutex
	version  int64
	apps     map[string]apps.App
	policies map[string]apps.Policy
	scripts  map[string]apps.Script
}

// at makes the cache current for the catalog's version and returns it.
func (s *Service) itemsAt(ctx context.Context) (*itemCache, error) {
	v, err := s.cat.Version(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.items
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.apps == nil || c.version != v {
		c.version, c.apps, c.policies, c.scripts = v, map[string]apps.App{}, map[string]apps.Policy{}, map[string]apps.Script{}
	}
	return c, nil
}

func (s *Service) app(ctx context.Context, c *itemCache, id string) (apps.App, error) {
	c.mu.Lock()
	a, ok := c.apps[id]
	c.mu.Unlock()
	if ok {
		return a, nil
	}
	a, err := s.cat.App(ctx, id)
	if err != nil {
		return a, err
	}
	c.mu.Lock()
	c.apps[id] = a
	c.mu.Unlock()
	return a, nil
}

func (s *Service) policy(ctx context.Context, c *itemCache, id string) (apps.Policy, error) {
	c.mu.Lock()
	p, ok := c.policies[id]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := s.cat.Policy(ctx, id)
	if err != nil {
		return p, err
	}
	c.mu.Lock()
	c.policies[id] = p
	c.mu.Unlock()
	return p, nil
}

func (s *Service) script(ctx context.Context, c *itemCache, id string) (apps.Script, error) {
	c.mu.Lock()
	sc, ok := c.scripts[id]
	c.mu.Unlock()
	if ok {
		return sc, nil
	}
	sc, err := s.cat.Script(ctx, id)
	if err != nil {
		return sc, err
	}
	c.mu.Lock()
	c.scripts[id] = sc
	c.mu.Unlock()
	return sc, nil
}
