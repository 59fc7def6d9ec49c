package token

import (
	"context"
	"crypto/ecdsa"
	"sync"
	"time"
)

// minRefresh bounds how often an unknown kid may force a KeyStore read, so
// tokens with random kids cannot turn into a flood of database queries.
const minRefresh = time.Second

// keyCache is a read-through cache of KeyStore.PublicKeys for Verify.
type keyCache struct {
	store KeyStore
	ttl   time.Duration // <0: never cache
	now   func() time.Time

	refreshMu sync.Mutex // serialises KeyStore reads
	mu        sync.Mutex // guards keys and fetched
	keys      map[string]*ecdsa.PublicKey
	fetched   time.Time
}

func newKeyCache(store KeyStore, ttl time.Duration, now func() time.Time) *keyCache {
	return &keyCache{store: store, ttl: ttl, now: now}
}

// lookup returns the public key with id kid, or nil if the store has none.
// The error is a KeyStore failure, never "not found".
func (c *keyCache) lookup(ctx context.Context, kid string) (*ecdsa.PublicKey, error) {
	if c.ttl < 0 {
		keys, err := c.store.PublicKeys(ctx)
		if err != nil {
			return nil, err
		}
		return keys[kid], nil
	}
	if k, ok, retry := c.cached(kid); ok || !retry {
		return k, nil
	}
	// One refresh at a time; whoever waited re-checks what the last one got.
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	if k, ok, retry := c.cached(kid); ok || !retry {
		return k, nil
	}
	keys, err := c.store.PublicKeys(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.keys, c.fetched = keys, c.now()
	c.mu.Unlock()
	return keys[kid], nil
}

// cached looks kid up in the current copy. ok reports a fresh hit; retry
// reports whether reading the store again could help.
func (c *keyCache) cached(kid string) (k *ecdsa.PublicKey, ok, retry bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	age := c.now().Sub(c.fetched)
	fresh := c.keys != nil && age >= 0 && age < c.ttl
	if k, found := c.keys[kid]; found && fresh {
		return k, true, false
	}
	// Stale or empty: refresh. Fresh but kid unknown: refresh unless we just did.
	return nil, false, !fresh || age >= minRefresh
}

// remember adds the key this process is about to sign with, so its tokens
// verify at once even if the cached set predates a rotation.
func (c *keyCache) remember(kid string, pub *ecdsa.PublicKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil || c.keys[kid] == pub {
		return // nothing cached yet: the first lookup will read the store
	}
	keys := make(map[string]*ecdsa.PublicKey, len(c.keys)+1)
	for k, v := range c.keys {
		keys[k] = v
	}
	keys[kid] = pub
	c.keys = keys
}
