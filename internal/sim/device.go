package sim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent"
	"github.com/whiteglove/whiteglove/internal/agent/auto"
	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// maxBoots bounds the restarts installers may ask for in one run.
const maxBoots = 10

// The machine every simulated device reports (requirement rules compare it).
var (
	simOS    = wire.OSInfo{Edition: "Enterprise", Build: 26100, Arch: "x64"}
	simFacts = winenv.Facts{Build: 26100, Arch: "x64", FreeDiskMB: 200 << 10, MemoryMB: 16 << 10, Processors: 8, CPUSpeedMHz: 2600}
)

// runDevice runs one device from power-on to reseal, restarting it when an
// installer asks, and measures it.
func runDevice(ctx context.Context, cfg Config, m Machine) DeviceResult {
	res := DeviceResult{Serial: m.Serial}
	st, err := agent.LoadState(m.Dir)
	if err != nil {
		res.Err = err
		return res
	}
	switch st.Stage {
	case agent.StageSealed, agent.StageUser, agent.StageDesktop:
		res.Stage, res.ZTDID = st.Stage, st.ZTDID
		res.Err = fmt.Errorf("already pre-provisioned (stage %s): use another prefix or state directory", st.Stage)
		return res
	}
	t, err := tpm.OpenSoftware(m.Dir, tpm.Simulation())
	if err != nil {
		res.Err = fmt.Errorf("opening the TPM: %w", err)
		return res
	}
	defer t.Close()
	hc := newCalls()
	defer hc.close()
	start := time.Now()
	var r agent.Result
	for res.Boots < maxBoots {
		res.Boots++
		r, st, err = boot(ctx, cfg, m, t, hc)
		if !errors.Is(err, agent.ErrReboot) {
			break
		}
	}
	res.Total = time.Since(start)
	res.Stage, res.ZTDID = st.Stage, st.ZTDID
	switch {
	case errors.Is(err, agent.ErrReboot):
		err = fmt.Errorf("still restarting after %d boots", res.Boots)
	case err == nil && r.Stage != agent.StageSealed:
		err = fmt.Errorf("the run ended at stage %s, not sealed", r.Stage)
	}
	res.Err = err
	res.Wall, res.Install = r.Elapsed, r.InstallTime
	res.Overhead = res.Wall - res.Install
	if p := st.Technician; p != nil {
		res.Calls = hc.within(p.StartedAt, p.EndedAt)
		res.Records, res.Items = phaseRecords(m.Dir, p.SessionID)
	}
	return res
}

// boot is one power-on: the client runs until reseal, a failure or a
// restart, answered by a headless technician.
func boot(ctx context.Context, cfg Config, m Machine, t tpm.TPM, hc *calls) (agent.Result, agent.State, error) {
	views := make(chan screen.View, 1)
	inputs := make(chan screen.Input, 4)
	d, err := agent.Open(agent.Config{
		Server: cfg.Server, StateDir: m.Dir, TPM: t, Hash: hashOf(m.Serial), OS: simOS, Facts: simFacts,
		HTTP: &http.Client{Transport: hc}, Log: cfg.Log.With("device", m.Serial), Views: views, Inputs: inputs, Model: cfg.Model,
	})
	if err != nil {
		return agent.Result{}, agent.State{}, err
	}
	defer d.Close()
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		technician(rctx, cancel, patience(cfg.Patience), views, inputs)
	}()
	res, err := d.Run(rctx)
	if cause := context.Cause(rctx); cause != nil && !errors.Is(cause, context.Canceled) && (err == nil || errors.Is(err, context.Canceled)) {
		err = cause
	}
	cancel(nil)
	<-done
	return res, d.State(), err
}

func patience(p time.Duration) time.Duration {
	switch {
	case p == 0:
		return 30 * time.Second
	case p < 0:
		return 0
	}
	return p
}

// technician answers every screen as a technician pre-provisioning the
// device does: the five Windows-key presses (Preprovision), Provision,
// Reseal. A blocking screen is refreshed once a second for up to patience;
// a failure, or a block that outlasts it, ends the run with its reason.
func technician(ctx context.Context, cancel context.CancelCauseFunc, patience time.Duration, views <-chan screen.View, inputs chan<- screen.Input) {
	send := func(a screen.Action) {
		select {
		case inputs <- screen.Input{Action: a}:
		case <-ctx.Done():
		}
	}
	var blockedSince time.Time
	for {
		var v screen.View
		select {
		case <-ctx.Done():
			return
		case v = <-views:
		}
		if v.Kind != screen.Blocked {
			blockedSince = time.Time{}
		}
		switch v.Kind {
		case screen.Welcome:
			send(screen.Preprovision)
		case screen.Configuration:
			send(screen.Provision)
		case screen.Blocked:
			if blockedSince.IsZero() {
				blockedSince = time.Now()
			}
			if !v.Offers(screen.Refresh) || time.Since(blockedSince) >= patience {
				cancel(fmt.Errorf("cannot continue: %s", auto.ProblemText(v)))
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			send(screen.Refresh)
		case screen.Success:
			if v.Offers(screen.Reseal) {
				send(screen.Reseal)
			}
		case screen.Pending:
			if len(v.Pending) == 0 {
				send(screen.ConfirmReseal)
			}
		case screen.Failure:
			cancel(fmt.Errorf("pre-provisioning failed after %s: %s", v.Elapsed.Round(time.Millisecond), auto.ProblemText(v)))
			return
		case screen.SignIn, screen.Network:
			cancel(fmt.Errorf("the device is in the user flow (%s screen), not the technician flow", v.Kind))
			return
		}
	}
}

// phaseRecords counts a session's journal records and the manifest items
// it applied or skipped.
func phaseRecords(dir, session string) (records, items int) {
	j, err := journal.Open(dir)
	if err != nil {
		return 0, 0
	}
	defer j.Close()
	for _, r := range j.Since(session, 0) {
		records++
		if r.Event.Step == "item" && (r.Event.State == "succeeded" || r.Event.State == "skipped") {
			items++
		}
	}
	return records, items
}
