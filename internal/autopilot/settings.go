package autopilot

import (
	"context"
	"fmt"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
)

// ErrSyncRunning is returned while another sync holds the lease.
var ErrSyncRunning = apperr.State("an Autopilot sync is already running; try again when it finishes")

// Sync reconciles registration now: pending imports are processed and every
// device's profile is recomputed. It answers ErrSyncRunning only while
// another sync is running, and imposes no waiting period between syncs.
func (s *Service) Sync(ctx context.Context) error {
	now := s.now()
	err := s.store.AutopilotTx(ctx, func(tx Tx) error {
		lease, err := tx.SyncLease(ctx)
		if err != nil {
			return err
		}
		if lease.After(now) {
			return ErrSyncRunning
		}
		st, err := tx.AutopilotSettings(ctx)
		if err != nil {
			return err
		}
		st.SyncStatus, st.LastManualSyncAt = "inProgress", now
		return tx.PutAutopilotSettings(ctx, st, now.Add(5*time.Minute))
	})
	if err != nil {
		return err
	}
	status := "completed"
	_, perr := s.Process(ctx)
	if perr == nil {
		perr = s.store.AutopilotTx(ctx, func(tx Tx) error {
			if _, err := tx.LockRules(ctx, true); err != nil {
				return err
			}
			return s.recomputeAll(ctx, tx)
		})
	}
	// Record the end even if the caller went away, or the next sync would
	// be refused until the lease runs out.
	ctx = context.WithoutCancel(ctx)
	if perr != nil {
		status = "failed"
	}
	err = s.store.AutopilotTx(ctx, func(tx Tx) error {
		st, err := tx.AutopilotSettings(ctx)
		if err != nil {
			return err
		}
		st.SyncStatus, st.LastSyncAt = status, s.now()
		return tx.PutAutopilotSettings(ctx, st, time.Time{})
	})
	if perr != nil {
		return fmt.Errorf("syncing: %w", perr)
	}
	return err
}
