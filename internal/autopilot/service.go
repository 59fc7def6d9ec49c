package autopilot

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/directory"
)

// Service is Autopilot registration over a Store, using the directory for
// the Entra device objects that anchor group targeting.
type Service struct {
	store Store
	dir   *directory.Service
	log   *slog.Logger
	owner string        // this process's lease owner id
	kick  chan struct{} // wakes the import processor

	// mine holds batches this process submitted and leased to itself: the
	// processor registers them without claiming them again. If the process
	// stops first, their leases expire and any replica claims them.
	mu   sync.Mutex
	mine [][]Import

	hooks []DeviceHook
	now   func() time.Time
}

// DeviceHook runs inside the transaction that registered, changed or
// deleted Autopilot devices (by ZTDId), after the change.
type DeviceHook func(ctx context.Context, tx Tx, ztdIDs []string) error

// OnDeviceChange registers h; call it before serving.
func (s *Service) OnDeviceChange(h DeviceHook) { s.hooks = append(s.hooks, h) }

func (s *Service) devicesChanged(ctx context.Context, tx Tx, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	for _, h := range s.hooks {
		if err := h(ctx, tx, ids); err != nil {
			return err
		}
	}
	return nil
}

// New returns the service and registers its membership hook on dir, so
// profile assignment follows every membership change.
func New(st Store, dir *directory.Service, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{store: st, dir: dir, log: log, owner: uuid.NewString(), kick: make(chan struct{}, 1), now: func() time.Time { return time.Now().UTC() }}
	dir.OnMembershipChange(s.onMembershipChange)
	return s
}

// Store returns the store for reads.
func (s *Service) Store() Store { return s.store }

// asTx gives the Autopilot view of a directory transaction. Every store
// whiteglove builds serves both from one transaction; anything else is a
// wiring mistake.
func asTx(tx directory.Tx) (Tx, error) {
	atx, ok := tx.(Tx)
	if !ok {
		return nil, fmt.Errorf("autopilot: the directory transaction %T does not carry Autopilot storage", tx)
	}
	return atx, nil
}

// onMembershipChange recomputes the profile of Autopilot devices whose
// Entra object joined or left a group that a profile targets.
func (s *Service) onMembershipChange(ctx context.Context, dtx directory.Tx, changes []directory.MembershipChange) error {
	tx, err := asTx(dtx)
	if err != nil {
		return err
	}
	e, err := loadEngine(ctx, tx)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var ids []string
	for _, c := range changes {
		if c.MemberType != directory.MemberDevice || !e.groups[c.GroupID] || seen[c.MemberID] {
			continue
		}
		seen[c.MemberID] = true
		ids = append(ids, c.MemberID)
	}
	if len(ids) == 0 {
		return nil
	}
	ds, err := tx.AutopilotDevicesByEntra(ctx, ids)
	if err != nil {
		return err
	}
	return s.recompute(ctx, tx, e, ds)
}
