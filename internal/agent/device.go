package agent

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/devclient"
	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// Config is everything a device run needs; main fills it in.
type Config struct {
	Server   string
	StateDir string
	TPM      tpm.TPM
	// Hash collects the hardware hash, given the TPM's EK modulus.
	Hash  func(ctx context.Context, ekModulus []byte) (*hwhash.Hash, error)
	OS    wire.OSInfo
	Facts winenv.Facts
	HTTP  *http.Client
	Log   *slog.Logger
	// Views receives every screen; Inputs delivers what the person chose.
	Views  chan screen.View
	Inputs <-chan screen.Input
	// Print, when set, gets one line per journaled step (headless runs).
	Print func(string)
	// Model replaces installs with modeled durations (simulator, benchmarks).
	Model func(wire.Item) time.Duration
	// Now is the clock (tests).
	Now func() time.Time
}

// Device is one run of the client on one device.
type Device struct {
	cfg     Config
	dir     string
	api     *devclient.Client
	j       *journal.Journal
	rec     *recorder
	send    *sender
	env     *winenv.Env
	eng     *engine
	log     *slog.Logger
	st      State
	id      identity
	hash    string
	viewMu  sync.Mutex
	view    screen.View
	pending []string
	// knowPending is closed when the running phase first reports what is pending.
	knowPending chan struct{}
}

// Result says how a run ended.
type Result struct {
	Stage       string        // the device's stage at the end
	Elapsed     time.Duration // of the phase that ran
	InstallTime time.Duration // inside installers and scripts
	Rebooted    bool
}

// Open prepares a device run from its state directory.
func Open(cfg Config) (*Device, error) {
	if cfg.StateDir == "" {
		return nil, errors.New("a state directory is required")
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the state directory: %w", err)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	d := &Device{cfg: cfg, dir: cfg.StateDir, log: cfg.Log}
	if err := d.init(); err != nil {
		return nil, err
	}
	return d, nil
}

// init (re)opens everything from the state directory.
func (d *Device) init() error {
	cfg := d.cfg
	api, err := devclient.New(cfg.Server, cfg.HTTP)
	if err != nil {
		return err
	}
	j, err := journal.Open(cfg.StateDir)
	if err != nil {
		return err
	}
	env, err := winenv.Open(filepath.Join(cfg.StateDir, "root"))
	if err != nil {
		j.Close()
		return fmt.Errorf("opening the device's file system: %w", err)
	}
	st, err := LoadState(cfg.StateDir)
	if err != nil {
		j.Close()
		return err
	}
	d.api, d.j, d.env, d.st, d.id = api, j, env, st, identity{}
	d.rec = &recorder{j: j, onChange: d.refresh}
	if cfg.Print != nil {
		d.rec.printer = func(e wire.Event) { cfg.Print(formatEvent(e)) }
	}
	d.send = newSender(api, j, cfg.Log)
	d.eng = &engine{api: api, rec: d.rec, env: env, dir: cfg.StateDir, facts: cfg.Facts, log: cfg.Log, Model: cfg.Model}
	d.eng.pending = d.setPending
	id, ok, err := loadIdentity(cfg.StateDir)
	if err != nil {
		j.Close()
		return err
	}
	if ok {
		d.id = id
		api.SetIdentity(id.key, id.cert)
	}
	return nil
}

// Close releases the journal.
func (d *Device) Close() error { return d.j.Close() }

// State returns the device's state.
func (d *Device) State() State { return d.st }

func (d *Device) save() error { return SaveState(d.dir, d.st) }

// show publishes a view (the newest replaces one not yet taken).
func (d *Device) show(v screen.View) {
	d.viewMu.Lock()
	d.view = v
	d.viewMu.Unlock()
	d.publish(v)
}

func (d *Device) publish(v screen.View) {
	if d.cfg.Views == nil {
		return
	}
	for {
		select {
		case d.cfg.Views <- v:
			return
		default:
		}
		select {
		case <-d.cfg.Views:
		default:
		}
	}
}

// refresh republishes the current view with fresh progress.
func (d *Device) refresh() {
	d.viewMu.Lock()
	v := d.view
	if v.Kind == screen.Progress || v.Kind == screen.Pending {
		v.Checks, v.Categories = d.rec.snapshot()
		v.Elapsed = d.elapsed()
		d.view = v
	}
	d.viewMu.Unlock()
	if v.Kind == screen.Progress || v.Kind == screen.Pending {
		d.publish(v)
	}
}

func (d *Device) setPending(items []string) {
	d.viewMu.Lock()
	d.pending = items
	if d.view.Kind == screen.Pending {
		d.view.Pending = items
	}
	if d.knowPending != nil {
		close(d.knowPending)
		d.knowPending = nil
	}
	d.viewMu.Unlock()
}

// pendingNames are the items of the running phase not done yet.
func (d *Device) pendingNames() []string {
	d.viewMu.Lock()
	defer d.viewMu.Unlock()
	return append([]string(nil), d.pending...)
}

// wait returns the next input, or the context's error.
func (d *Device) wait(ctx context.Context) (screen.Input, error) {
	select {
	case <-ctx.Done():
		return screen.Input{}, ctx.Err()
	case in, ok := <-d.cfg.Inputs:
		if !ok {
			return screen.Input{}, io.EOF
		}
		return in, nil
	}
}

// choose shows v and waits for one of its actions.
func (d *Device) choose(ctx context.Context, v screen.View) (screen.Input, error) {
	return d.chooseOr(ctx, v)
}

// chooseOr is choose that also accepts actions the screen does not show
// as buttons (the options dialog's pre-provisioning).
func (d *Device) chooseOr(ctx context.Context, v screen.View, hidden ...screen.Action) (screen.Input, error) {
	d.show(v)
	for {
		in, err := d.wait(ctx)
		if err != nil {
			return in, err
		}
		if in.Action == screen.Quit {
			return in, ErrQuit
		}
		if v.Offers(in.Action) || slices.Contains(hidden, in.Action) {
			return in, nil
		}
	}
}

// ErrQuit is returned when the person quits the client.
var ErrQuit = errors.New("stopped by the person at the device")

func (d *Device) elapsed() time.Duration {
	p := d.st.Technician
	if d.st.User != nil && d.st.Stage != StageEnrolled {
		p = d.st.User
	}
	if p == nil || p.StartedAt.IsZero() {
		return 0
	}
	if !p.EndedAt.IsZero() {
		return p.EndedAt.Sub(p.StartedAt)
	}
	return d.cfg.Now().Sub(p.StartedAt)
}

func formatEvent(e wire.Event) string {
	s := fmt.Sprintf("%s  %-12s %-10s %s", e.Time.Format("15:04:05.000"), e.Step, e.State, e.Name)
	if e.Detail != "" {
		s += " — " + e.Detail
	}
	if e.Error != "" {
		s += " — error: " + e.Error
	}
	return s
}

// deviceView is the details the configuration, success and failure screens share.
func (d *Device) deviceView() screen.Device {
	i := d.st.Device
	return screen.Device{ZTDID: i.ZTDID, SerialNumber: i.SerialNumber, Profile: i.ProfileName, Organization: i.Organization, User: i.AssignedUser, DeviceName: i.DeviceName}
}

// qr is the QR payload: JSON with "ZtdId", as the companion app reads it.
func (d *Device) qr() string {
	return fmt.Sprintf(`{"ZtdId":%q}`, d.st.Device.ZTDID)
}

var _ = ecdsa.PublicKey{}
