package manifest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/autopilot"
	"github.com/whiteglove/whiteglove/internal/directory"
	"github.com/whiteglove/whiteglove/internal/esp"
)

// Service recomputes and serves manifests.
type Service struct {
	st      Store
	cat     Catalog
	ver     Versioned
	esp     ESP
	log     *slog.Logger
	now     func() time.Time
	kick    chan struct{}
	mu      sync.Mutex
	waiters map[string][]chan int64
}

// New returns the service.
func New(st Store, cat Catalog, ver Versioned, e ESP, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{st: st, cat: cat, ver: ver, esp: e, log: log, now: func() time.Time { return time.Now().UTC() },
		kick: make(chan struct{}, 1), waiters: map[string][]chan int64{}}
}

// Get returns a device's current manifest.
func (s *Service) Get(ctx context.Context, deviceID string) (Manifest, error) {
	return s.st.Manifest(ctx, deviceID)
}

// Changed returns a channel that receives the device's new version when its
// manifest changes on this replica (other replicas' changes are seen by
// comparing versions), and a function that stops waiting: call it when
// done, or the waiter stays registered until the next change.
func (s *Service) Changed(deviceID string) (<-chan int64, func()) {
	id := strings.ToLower(deviceID)
	ch := make(chan int64, 1)
	s.mu.Lock()
	s.waiters[id] = append(s.waiters[id], ch)
	s.mu.Unlock()
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		ws := s.waiters[id]
		for i, w := range ws {
			if w == ch {
				ws = append(ws[:i], ws[i+1:]...)
				break
			}
		}
		if len(ws) == 0 {
			delete(s.waiters, id)
		} else {
			s.waiters[id] = ws
		}
	}
}

func (s *Service) announce(ctx context.Context, ids []string) {
	if len(ids) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		ws := s.waiters[id]
		if len(ws) == 0 {
			continue
		}
		delete(s.waiters, id)
		m, err := s.st.Manifest(ctx, id)
		for _, w := range ws {
			if err == nil {
				w <- m.Version
			}
			close(w)
		}
	}
}

// Wake asks the recomputer to look for work now.
func (s *Service) Wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// stateKey names what a full recomputation depends on besides memberships
// and devices: the catalog version and the ESP rules.
func (s *Service) stateKey(ctx context.Context) (string, error) {
	v, err := s.ver.Version(ctx)
	if err != nil {
		return "", err
	}
	r, err := s.esp.Rules(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("catalog:%d esp:%s", v, r.Digest()), nil
}

// Run keeps manifests current until ctx ends.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.Sync(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("recomputing manifests", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
			// Let a burst of changes (an import of thousands) gather: one
			// recomputation of many devices costs far less than many of few.
			select {
			case <-ctx.Done():
				return
			case <-time.After(500 * time.Millisecond):
			}
		case <-t.C:
		}
	}
}

// Sync recomputes everything if the catalog or ESP rules moved, then the
// devices marked dirty. It returns the ids whose manifest changed.
func (s *Service) Sync(ctx context.Context) ([]string, error) {
	all, err := s.RecomputeAllIfStale(ctx)
	if err != nil {
		return nil, err
	}
	dirty, err := s.ProcessDirty(ctx)
	return append(all, dirty...), err
}

// RecomputeAllIfStale recomputes every device once after a catalog or ESP
// change; a replica that finds the work done skips it.
func (s *Service) RecomputeAllIfStale(ctx context.Context) ([]string, error) {
	key, err := s.stateKey(ctx)
	if err != nil {
		return nil, err
	}
	var changed []string
	err = s.st.ManifestTx(ctx, func(tx Tx) error {
		cur, err := tx.LockState(ctx)
		if err != nil || cur == key {
			return err
		}
		devs, err := s.st.AutopilotDevices(ctx)
		if err != nil {
			return err
		}
		if changed, err = s.recompute(ctx, tx, devs, true); err != nil {
			return err
		}
		return tx.SetState(ctx, key)
	})
	if err != nil {
		return nil, fmt.Errorf("recomputing every manifest: %w", err)
	}
	s.announce(ctx, changed)
	return changed, nil
}

// ProcessDirty recomputes the devices behind the dirty marks.
func (s *Service) ProcessDirty(ctx context.Context) ([]string, error) {
	var changed []string
	for {
		var got []string
		err := s.st.ManifestTx(ctx, func(tx Tx) error {
			keys, err := tx.TakeDirty(ctx, 1000)
			if err != nil || len(keys) == 0 {
				return err
			}
			got = keys
			devs, gone, err := s.devicesFor(ctx, keys)
			if err != nil {
				return err
			}
			if err := tx.DeleteManifests(ctx, gone); err != nil {
				return err
			}
			c, err := s.recompute(ctx, tx, devs, false)
			changed = append(changed, c...)
			return err
		})
		if err != nil {
			return changed, fmt.Errorf("recomputing changed devices: %w", err)
		}
		if len(got) == 0 {
			s.announce(ctx, changed)
			return changed, nil
		}
	}
}

// devicesFor maps dirty keys to devices, and lists removed devices.
func (s *Service) devicesFor(ctx context.Context, keys []string) ([]autopilot.Device, []string, error) {
	seen := map[string]bool{}
	var out []autopilot.Device
	var gone []string
	add := func(ds []autopilot.Device) {
		for _, d := range ds {
			if !seen[d.ID] {
				seen[d.ID] = true
				out = append(out, d)
			}
		}
	}
	for _, k := range keys {
		switch {
		case strings.HasPrefix(k, KeyDevice):
			id := strings.TrimPrefix(k, KeyDevice)
			d, err := s.st.AutopilotDevice(ctx, id)
			if errors.Is(err, apperr.ErrNotFound) {
				gone = append(gone, id)
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			add([]autopilot.Device{d})
		case strings.HasPrefix(k, KeyEntra):
			ds, err := s.st.AutopilotDevicesForEntra(ctx, strings.TrimPrefix(k, KeyEntra))
			if err != nil {
				return nil, nil, err
			}
			add(ds)
		case strings.HasPrefix(k, KeyUser):
			u, err := s.st.User(ctx, strings.TrimPrefix(k, KeyUser))
			if errors.Is(err, apperr.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			ds, err := s.st.AutopilotDevicesForUser(ctx, u.UPN)
			if err != nil {
				return nil, nil, err
			}
			add(ds)
		}
	}
	return out, gone, nil
}

// recompute computes and stores ds' manifests. bulk reads every membership
// at once; otherwise each object's groups are read one by one.
func (s *Service) recompute(ctx context.Context, tx Tx, ds []autopilot.Device, bulk bool) ([]string, error) {
	if len(ds) == 0 {
		return nil, nil
	}
	rules, err := s.esp.Rules(ctx)
	if err != nil {
		return nil, err
	}
	return s.recomputeWith(ctx, tx, ds, bulk, rules)
}

// recomputeWith is recompute with the ESP rules already read.
func (s *Service) recomputeWith(ctx context.Context, tx Tx, ds []autopilot.Device, bulk bool, rules *esp.Rules) ([]string, error) {
	w := &world{users: map[string]directory.User{}, rules: rules}
	var err error
	if w.cat, err = s.cat.Catalog(ctx); err != nil {
		return nil, err
	}
	users, err := s.st.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		w.users[strings.ToLower(u.UPN)] = u
	}
	if bulk {
		all, err := s.st.AllMemberships(ctx)
		if err != nil {
			return nil, err
		}
		w.groups = func(id string) []string { return all[strings.ToLower(id)] }
	}
	if !bulk {
		// Read every object's groups up front, in batched queries: the
		// computation below runs on several goroutines and only reads them.
		ids := make([]string, 0, 2*len(ds))
		for _, d := range ds {
			ids = append(ids, d.EntraObjectID)
			if u, ok := w.users[strings.ToLower(d.UserPrincipalName)]; ok && d.UserPrincipalName != "" {
				ids = append(ids, u.ID)
			}
		}
		groups, err := s.st.MembershipsOf(ctx, ids)
		if err != nil {
			return nil, err
		}
		w.groups = func(id string) []string { return groups[strings.ToLower(id)] }
	}
	now := s.now()
	ms := make([]Manifest, len(ds))
	// The rules are pure over read-only inputs: use every core.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(ds)/500))
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; i < len(ds); i += workers {
				m, err := w.compute(ds[i])
				if err != nil {
					errs[k] = err
					return
				}
				m.ComputedAt = now
				ms[i] = m
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return store(ctx, tx, ms)
}
