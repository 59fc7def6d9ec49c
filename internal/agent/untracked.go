package agent

import (
	"context"
	"errors"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// setupUntracked is device setup when the ESP profile does not track
// installation: enrollment succeeded, so the screen says so, lists what is
// still pending and asks before resealing — while the installs go on. When
// they finish first, the ordinary success screen follows.
func (d *Device) setupUntracked(ctx context.Context) (Result, error) {
	ectx, cancel := context.WithCancel(ctx)
	defer cancel()
	known := make(chan struct{})
	d.viewMu.Lock()
	d.knowPending = known
	d.viewMu.Unlock()
	done := make(chan error, 1)
	go func() { done <- d.eng.runPhase(ectx, wire.PhaseTechnician, CatSetup) }()
	// The screen lists what is pending: wait until the phase knows it.
	select {
	case <-known:
	case err := <-done:
		done <- err
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	view := func() screen.View {
		checks, cats := d.rec.snapshot()
		return screen.View{Kind: screen.Pending, Title: "Enrollment succeeded — setup is still running",
			Message: "The Enrollment Status Page does not track this device's setup: these items are still pending. Reseal now and they install when the user signs in, or wait.",
			Device:  d.deviceView(), QR: d.qr(), Checks: checks, Categories: cats, Pending: d.pendingNames(), Elapsed: d.elapsed(),
			Actions: []screen.Action{screen.ConfirmReseal}}
	}
	d.show(view())
	inputs := make(chan screen.Input, 1)
	go func() {
		for {
			in, err := d.wait(ectx)
			if err != nil {
				return
			}
			select {
			case inputs <- in:
			case <-ectx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return Result{}, ctx.Err()
		case err := <-done:
			if errors.Is(err, ErrReboot) {
				return Result{Stage: d.st.Stage, Rebooted: true}, err
			}
			if err != nil {
				return d.technicianFailed(ctx, err)
			}
			cancel()
			return d.technicianDone(ctx)
		case in := <-inputs:
			switch in.Action {
			case screen.Quit:
				return Result{}, ErrQuit
			case screen.ConfirmReseal:
				cancel()
				<-done
				pending := d.pendingNames()
				_ = d.rec.record(wire.Event{Step: "phase", Name: "Technician phase", Category: CatSetup, State: stSucceeded,
					Detail: "enrollment succeeded; resealed by the technician with items pending (no ESP tracking)"})
				p := d.st.Technician
				p.Result, p.EndedAt = stSucceeded, d.cfg.Now()
				if err := d.save(); err != nil {
					return Result{}, err
				}
				if len(pending) > 0 {
					p.Error = "resealed with items pending"
				}
				if err := d.endSession(ctx, p); err != nil {
					return Result{}, err
				}
				return d.reseal(ctx, len(pending) > 0)
			default:
				d.show(view())
			}
		}
	}
}
