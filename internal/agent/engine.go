package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/devclient"
	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// ErrReboot means an installer asked for a restart: state is saved; the
// client starts again and resumes where it was.
var ErrReboot = errors.New("a restart is required; the device restarts and resumes")

// Item outcomes as journaled.
const (
	stStarted   = "started"
	stSucceeded = "succeeded"
	stFailed    = "failed"
	stSkipped   = "skipped"
	stRetrying  = "retrying"
	stRebooting = "rebooting"
)

// ItemError is a tracked item that failed.
type ItemError struct {
	Item wire.Item
	Err  error
}

func (e *ItemError) Error() string {
	return fmt.Sprintf("%s %q failed: %v", e.Item.Kind, e.Item.Name, e.Err)
}
func (e *ItemError) Unwrap() error { return e.Err }

// engine applies manifests.
type engine struct {
	api     *devclient.Client
	rec     *recorder
	env     *winenv.Env
	dir     string
	facts   winenv.Facts
	log     *slog.Logger
	user    string // user context of the user phase ("" = system)
	pending func([]string)
	// Model, when set, replaces the time installers take with a modeled
	// duration (benchmarks and the simulator); the installer still runs.
	Model func(wire.Item) time.Duration
	// Installing counts time spent inside installers and scripts.
	mu         sync.Mutex
	installing time.Duration
}

func (e *engine) addInstallTime(d time.Duration) {
	e.mu.Lock()
	e.installing += d
	e.mu.Unlock()
}

// InstallTime is the time spent inside installers and scripts so far.
func (e *engine) InstallTime() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.installing
}

// runPhase applies a phase's manifest until every item is done, following
// manifest changes that arrive meanwhile (long poll), within the ESP's
// timeout. It returns nil when the blocking set is done.
func (e *engine) runPhase(ctx context.Context, phase, category string) error {
	m, err := e.api.Manifest(ctx, phase, -1, 0)
	if err != nil {
		return fmt.Errorf("downloading the %s manifest: %w", phase, err)
	}
	e.keep(phase, m)
	timeout := 60 * time.Minute
	if m.ESP != nil && m.ESP.TimeoutMinutes > 0 {
		timeout = time.Duration(m.ESP.TimeoutMinutes) * time.Minute
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("the Enrollment Status Page timed out after %s", timeout))
	defer cancel()

	latest := make(chan wire.Manifest, 1)
	pollCtx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	go e.follow(pollCtx, phase, m.Version, latest)

	done := map[string]bool{}
	var failures []error
	for {
		e.showLines(m, category, done)
		var next *wire.Item
		for i := range m.Items {
			if !done[m.Items[i].ID] {
				next = &m.Items[i]
				break
			}
		}
		if next == nil {
			// Everything applied: one last look for a change in flight.
			select {
			case nm := <-latest:
				if nm.Version > m.Version {
					m = nm
					e.keep(phase, m)
					continue
				}
			default:
			}
			fresh, err := e.api.Manifest(ctx, phase, m.Version, 0)
			if err == nil && !fresh.Unchanged && fresh.Version > m.Version {
				m = fresh
				e.keep(phase, m)
				continue
			}
			break
		}
		err := e.applyItem(ctx, phase, category, *next)
		if errors.Is(err, ErrReboot) {
			return err
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		done[next.ID] = true
		if err != nil {
			ie := &ItemError{Item: *next, Err: err}
			if next.Blocking || next.Tracked {
				failures = append(failures, ie)
				if next.Blocking {
					e.showLines(m, category, done)
					return ie
				}
			} else {
				e.log.Warn("untracked item failed", "item", next.Name, "err", err)
			}
		}
		select {
		case nm := <-latest:
			if nm.Version > m.Version {
				m = nm
				e.keep(phase, m)
			}
		default:
		}
	}
	e.showLines(m, category, done)
	if len(failures) > 0 {
		return failures[0]
	}
	return nil
}

// follow long-polls the manifest and hands newer versions to the engine.
func (e *engine) follow(ctx context.Context, phase string, version int64, out chan wire.Manifest) {
	for ctx.Err() == nil {
		m, err := e.api.Manifest(ctx, phase, version, 25*time.Second)
		if err != nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
				continue
			}
		}
		if !m.Unchanged && m.Version > version {
			version = m.Version
			select {
			case <-out:
			default:
			}
			out <- m
		}
	}
}

// lineOf names the ESP line an item counts under.
func lineOf(it wire.Item) string {
	switch {
	case it.Kind == wire.KindApp || it.Kind == wire.KindScript:
		return LineApps
	case it.Policy != nil && it.Policy.Kind == "certificate":
		return LineCerts
	case it.Policy != nil && (it.Policy.Kind == "wifi" || it.Policy.Kind == "vpn"):
		return LineNetwork
	default:
		return LinePolicies
	}
}

// showLines updates the category's lines and apps count from the journal.
func (e *engine) showLines(m wire.Manifest, category string, done map[string]bool) {
	type agg struct{ total, done, failed, running int }
	lines := map[string]*agg{}
	order := []string{LinePolicies, LineCerts, LineNetwork, LineApps}
	var pending []string
	for _, it := range m.Items {
		l := lineOf(it)
		if lines[l] == nil {
			lines[l] = &agg{}
		}
		a := lines[l]
		a.total++
		last, ok := e.rec.j.Last(e.rec.session, it.ID, "item")
		switch {
		case ok && (last.State == stSucceeded || last.State == stSkipped):
			a.done++
		case ok && last.State == stFailed:
			a.failed++
		case ok:
			a.running++
			pending = append(pending, it.Name)
		default:
			pending = append(pending, it.Name)
		}
	}
	for _, l := range order {
		a := lines[l]
		if a == nil {
			continue
		}
		st := screen.StatePending
		switch {
		case a.failed > 0:
			st = screen.StateFailed
		case a.done == a.total:
			st = screen.StateDone
		case a.running > 0 || a.done > 0:
			st = screen.StateRunning
		}
		detail := fmt.Sprintf("%d of %d", a.done, a.total)
		e.rec.line(category, l, st, detail)
		if l == LineApps {
			e.rec.apps(category, a.done, a.total)
		}
	}
	if len(m.Items) == 0 {
		e.rec.line(category, LineApps, screen.StateDone, "nothing to install")
	}
	if e.pending != nil {
		e.pending(slices.Clone(pending))
	}
}

// applyItem applies one item once: a journaled success or skip is never
// repeated; a start without an end is resumed by detecting first.
func (e *engine) applyItem(ctx context.Context, phase, category string, it wire.Item) error {
	if last, ok := e.rec.j.Last(e.rec.session, it.ID, "item"); ok {
		switch last.State {
		case stSucceeded, stSkipped:
			return nil
		}
	}
	if it.Kind == wire.KindScript && e.ranBefore(it.ID) {
		// Scripts run once per device, not once per phase.
		return e.rec.record(wire.Event{Step: "item", ItemID: it.ID, Name: it.Name, Category: category, State: stSkipped, Detail: "already ran on this device"})
	}
	if err := e.rec.record(wire.Event{Step: "item", ItemID: it.ID, Name: it.Name, Category: category, State: stStarted, Detail: it.Kind}); err != nil {
		return err
	}
	var (
		skipped bool
		detail  string
		err     error
	)
	switch {
	case it.App != nil:
		skipped, detail, err = e.installApp(ctx, category, it)
	case it.Policy != nil:
		skipped, detail, err = e.applyPolicy(ctx, category, it)
	case it.Script != nil:
		detail, err = e.runScript(ctx, category, it)
	default:
		err = fmt.Errorf("the service sent %s %q without its content", it.Kind, it.Name)
	}
	if errors.Is(err, ErrReboot) {
		return err
	}
	ev := wire.Event{Step: "item", ItemID: it.ID, Name: it.Name, Category: category, State: stSucceeded, Detail: detail}
	switch {
	case err != nil:
		ev.State, ev.Error = stFailed, err.Error()
		if ctx.Err() != nil {
			ev.Error = context.Cause(ctx).Error()
		}
	case skipped:
		ev.State = stSkipped
	}
	if rerr := e.rec.record(ev); rerr != nil {
		return rerr
	}
	return err
}

// ranBefore reports whether an item succeeded in an earlier session.
func (e *engine) ranBefore(id string) bool {
	for _, r := range e.rec.j.Records() {
		if r.Event.ItemID == id && r.Event.Step == "item" && r.Event.State == stSucceeded {
			return true
		}
	}
	return false
}

// keep stores the manifest being applied, for diagnostics — without its
// secrets: network profiles (keys) and script bodies are left out.
func (e *engine) keep(phase string, m wire.Manifest) {
	m.Items = slices.Clone(m.Items)
	for i, it := range m.Items {
		if it.Policy != nil && len(it.Policy.Profile) > 0 {
			p := *it.Policy
			p.Profile = []byte(fmt.Sprintf(`"(%d bytes, not kept: may hold keys)"`, len(p.Profile)))
			m.Items[i].Policy = &p
		}
		if it.Script != nil {
			sc := *it.Script
			sc.Content = nil
			m.Items[i].Script = &sc
		}
	}
	if err := journal.WriteJSON(filepath.Join(e.dir, "manifest-"+phase+".json"), m, 0o600); err != nil {
		e.log.Warn("keeping the manifest for diagnostics", "err", err)
	}
}
