package agent

import (
	"context"
	"fmt"

	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// endSession tells the service how a phase ended (after its timeline), and
// remembers that it knows. It is safe to repeat: the service records the
// same end again.
func (d *Device) endSession(ctx context.Context, p *PhaseState) error {
	if !p.Opened || p.Ended {
		return nil
	}
	d.send.follow(p.SessionID)
	if err := d.send.flush(ctx); err != nil {
		d.log.Debug("sending the timeline before the end", "err", err)
	}
	if err := d.api.EndSession(ctx, p.SessionID, wire.SessionResult{Result: p.Result, Error: p.Error, EndedAt: p.EndedAt}); err != nil {
		return fmt.Errorf("recording the end of the provisioning session: %w", err)
	}
	p.Ended = true
	return d.save()
}
