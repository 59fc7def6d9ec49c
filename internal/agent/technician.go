package agent

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/autopilot/hwhash"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/tpm"
)

// Attestation retries, as Windows retries it (three tries, backing off).
var attestBackoff = []time.Duration{2 * time.Second, 5 * time.Second}

// Run runs the device from where its state says it is: the first OOBE
// screen, a technician phase to resume, a failure to act on, or — after
// reseal — the user flow. It returns when the device powers off (reseal),
// reaches the desktop, or the person quits.
func (d *Device) Run(ctx context.Context) (Result, error) {
	d.st.Boots++
	if err := d.save(); err != nil {
		return Result{}, err
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	go d.send.run(sctx)
	defer func() {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = d.send.flush(fctx)
	}()
	// A phase whose end the service never heard of (power cut, network
	// gone) is told again first: the service reseals and completes only
	// what it knows ended.
	for _, p := range []*PhaseState{d.st.Technician, d.st.User} {
		if p != nil && p.Result != "" && p.Opened && !p.Ended {
			if err := d.endSession(ctx, p); err != nil {
				return Result{Stage: d.st.Stage}, err
			}
		}
	}
	switch d.st.Stage {
	case StageSealed, StageUser:
		return d.runUser(ctx)
	case StageDesktop:
		d.show(screen.View{Kind: screen.Desktop, Title: "Welcome", Device: d.deviceView(), Message: "This device is ready."})
		return Result{Stage: StageDesktop}, nil
	case StageEnrolled:
		return d.resumeTechnician(ctx)
	}
	return d.oobe(ctx)
}

// oobe is the first screen: Next goes on as the user, five presses of the
// Windows key open the options with pre-provisioning.
func (d *Device) oobe(ctx context.Context) (Result, error) {
	for {
		// Pre-provisioning is not a button: it comes from the options
		// dialog behind five presses of the Windows key, on this screen only.
		in, err := d.chooseOr(ctx, screen.View{Kind: screen.Welcome, Title: "Let's start with region. Is this the right one?", Language: d.st.Language,
			Actions: []screen.Action{screen.Next}}, screen.Preprovision)
		if err != nil {
			return Result{}, err
		}
		if l := in.Values["language"]; l != "" {
			d.st.Language = l
		}
		if in.Action == screen.Next {
			return d.runUser(ctx)
		}
		res, err := d.technician(ctx)
		if errors.Is(err, errBackToStart) {
			continue
		}
		return res, err
	}
}

var errBackToStart = errors.New("back to the first screen")

// hardwareHash collects the hash once per run.
func (d *Device) hardwareHash(ctx context.Context) (string, *hwhash.Hash, error) {
	ek, err := d.cfg.TPM.EK(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("reading the TPM's endorsement key: %w", err)
	}
	h, err := d.cfg.Hash(ctx, tpm.EKModulus(ek))
	if err != nil {
		return "", nil, fmt.Errorf("collecting the hardware hash: %w", err)
	}
	return hwhash.EncodeString(h), h, nil
}

// technician shows the configuration screen and provisions on request.
func (d *Device) technician(ctx context.Context) (Result, error) {
	d.show(screen.View{Kind: screen.Working, Title: "Windows Autopilot", Message: "Collecting this device's hardware hash and getting its configuration…"})
	hash, _, err := d.hardwareHash(ctx)
	if err != nil {
		return Result{}, err
	}
	d.hash = hash
	for {
		res, err := d.api.Lookup(ctx, hash)
		if err != nil {
			in, cerr := d.choose(ctx, screen.View{Kind: screen.Blocked, Title: "Windows Autopilot Configuration",
				Problem: &screen.Problem{Code: "NetworkError", Message: err.Error(), Action: "Check the network connection, then press Refresh."},
				Actions: []screen.Action{screen.Refresh, screen.Cancel}})
			if cerr != nil {
				return Result{}, cerr
			}
			if in.Action == screen.Cancel {
				return Result{}, errBackToStart
			}
			continue
		}
		if res.Device != nil {
			d.st.Device = *res.Device
			d.st.ZTDID = res.Device.ZTDID
		}
		v := screen.View{Kind: screen.Configuration, Title: "Windows Autopilot Configuration", Device: d.deviceView(), QR: d.qr(),
			Actions: []screen.Action{screen.Refresh, screen.Provision}}
		if res.Problem != nil {
			v.Kind = screen.Blocked
			v.Problem = &screen.Problem{Code: res.Problem.Code, Message: res.Problem.Message, Action: res.Problem.Action}
			v.Actions = []screen.Action{screen.Refresh, screen.Cancel}
			if res.Device == nil {
				v.QR = ""
			}
		}
		in, err := d.choose(ctx, v)
		if err != nil {
			return Result{}, err
		}
		switch in.Action {
		case screen.Refresh:
			continue
		case screen.Cancel:
			return Result{}, errBackToStart
		}
		return d.provision(ctx)
	}
}

// provision runs device preparation and device setup.
func (d *Device) provision(ctx context.Context) (Result, error) {
	sid := uuid.NewString()
	d.st.Technician = &PhaseState{SessionID: sid, StartedAt: d.cfg.Now()}
	if err := d.save(); err != nil {
		return Result{}, err
	}
	d.rec.begin(sid, wire.PhaseTechnician, CatPreparation, CatSetup)
	d.rec.checks = nil
	d.show(d.progressView())
	for _, l := range []string{LineTPM, LineJoin, LineMDM} {
		d.rec.line(CatPreparation, l, screen.StatePending, "")
	}
	if err := d.prepare(ctx); err != nil {
		return d.technicianFailed(ctx, err)
	}
	return d.setup(ctx)
}

func (d *Device) progressView() screen.View {
	checks, cats := d.rec.snapshot()
	return screen.View{Kind: screen.Progress, Title: "Setting up your device for work", Message: "This may take several minutes.",
		Device: d.deviceView(), Checks: checks, Categories: cats, Elapsed: d.elapsed()}
}

// prepare checks the requirements and attests, enrolls and registers the
// device (the ESP's Device preparation).
func (d *Device) prepare(ctx context.Context) error {
	step := func(name, state, detail string, err error) {
		e := wire.Event{Step: "requirement", Name: name, Category: CatPreparation, State: state, Detail: detail}
		if err != nil {
			e.Error = err.Error()
		}
		_ = d.rec.record(e)
	}
	info := d.cfg.TPM.Info()
	d.rec.check("TPM 2.0", screen.StateDone, info.Manufacturer+" "+info.Kind)
	step("TPM 2.0", stSucceeded, fmt.Sprintf("%s TPM %s (%s)", info.Manufacturer, info.Version, info.Kind), nil)
	d.rec.check("Network", screen.StateDone, "the service answered")
	step("Network", stSucceeded, "connected to "+d.cfg.Server, nil)
	os := d.cfg.OS
	d.rec.check("Operating system", screen.StateDone, fmt.Sprintf("Windows %s, build %d", os.Edition, os.Build))
	if d.st.Device.ESP != nil && d.st.Device.ESP.DeviceTargeted {
		d.rec.check("Enrollment Status Page", screen.StateDone, d.st.Device.ESP.Name)
	}
	d.rec.check("Subscription", screen.StateDone, d.st.Device.Organization)
	d.rec.check("Physical device (TPM attestation)", screen.StateRunning, "")

	d.rec.line(CatPreparation, LineTPM, screen.StateRunning, "TPM attestation")
	ek, err := d.cfg.TPM.EK(ctx)
	if err != nil {
		return fmt.Errorf("reading the TPM's endorsement key: %w", err)
	}
	var enrolled wire.EnrollResponse
	var key *ecdsaKey
	for attempt := 1; ; attempt++ {
		_ = d.rec.record(wire.Event{Step: "attestation", Name: LineTPM, Category: CatPreparation, State: stStarted, Detail: fmt.Sprintf("attempt %d of %d", attempt, len(attestBackoff)+1)})
		enrolled, key, err = d.attestOnce(ctx, ek)
		if err == nil {
			break
		}
		var p *wire.Problem
		final := errors.As(err, &p) && p.Code != wire.CodeChallengeExpired && p.Code != wire.CodeChallengeUsed
		_ = d.rec.record(wire.Event{Step: "attestation", Name: LineTPM, Category: CatPreparation, State: stFailed, Error: err.Error()})
		if final || attempt > len(attestBackoff) || ctx.Err() != nil {
			d.rec.check("Physical device (TPM attestation)", screen.StateFailed, err.Error())
			d.rec.line(CatPreparation, LineTPM, screen.StateFailed, "")
			if !final && attempt > len(attestBackoff) {
				return fmt.Errorf("TPM attestation failed after %d tries (retries exhausted, 0x81039001): %w", attempt, err)
			}
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(attestBackoff[attempt-1]):
		}
	}
	d.rec.check("Physical device (TPM attestation)", screen.StateDone, "EK certificate trusted; credential activated")
	_ = d.rec.record(wire.Event{Step: "attestation", Name: LineTPM, Category: CatPreparation, State: stSucceeded, Detail: "EK certificate trusted; credential activated"})
	d.rec.line(CatPreparation, LineTPM, screen.StateDone, "")

	d.rec.line(CatPreparation, LineJoin, screen.StateRunning, "")
	if err := journal.WriteFile(filepath.Join(d.dir, certFile), enrolled.Certificate, 0o600); err != nil {
		return fmt.Errorf("storing the device certificate: %w", err)
	}
	d.id = identity{key: key.k, cert: enrolled.Certificate}
	d.api.SetIdentity(key.k, enrolled.Certificate)
	if enrolled.Device != nil {
		d.st.Device = *enrolled.Device
	}
	d.st.Stage, d.st.ZTDID, d.st.ManagedDeviceID = StageEnrolled, d.st.Device.ZTDID, enrolled.ManagedDeviceID
	if err := d.save(); err != nil {
		return err
	}
	_ = d.rec.record(wire.Event{Step: "join", Name: LineJoin, Category: CatPreparation, State: stSucceeded, Detail: "device certificate issued for " + d.st.ZTDID})
	d.rec.line(CatPreparation, LineJoin, screen.StateDone, "")

	d.rec.line(CatPreparation, LineMDM, screen.StateRunning, "")
	if err := d.openSession(ctx, d.st.Technician, wire.PhaseTechnician); err != nil {
		return err
	}
	_ = d.rec.record(wire.Event{Step: "mdm", Name: LineMDM, Category: CatPreparation, State: stSucceeded, Detail: "managed device " + enrolled.ManagedDeviceID})
	d.rec.line(CatPreparation, LineMDM, screen.StateDone, "")
	return nil
}

type ecdsaKey struct{ k *ecdsa.PrivateKey }

// attestOnce runs one attestation round: a fresh AK, the challenge, the
// activation, the device key and the enrollment.
func (d *Device) attestOnce(ctx context.Context, ek tpm.EK) (wire.EnrollResponse, *ecdsaKey, error) {
	ak, err := d.cfg.TPM.NewAK(ctx)
	if err != nil {
		return wire.EnrollResponse{}, nil, fmt.Errorf("creating the attestation key: %w", err)
	}
	defer ak.Close()
	ch, err := d.api.Attest(ctx, wire.AttestRequest{HardwareHash: d.hash, EKCertificate: ek.Certificate, EKChain: ek.Chain,
		AK: ak.Parameters(), TPM: d.cfg.TPM.Info(), OS: d.cfg.OS})
	if err != nil {
		return wire.EnrollResponse{}, nil, err
	}
	secret, err := ak.ActivateCredential(ctx, ch.Credential, ch.Secret)
	if err != nil {
		return wire.EnrollResponse{}, nil, fmt.Errorf("the TPM could not activate the credential: %w", err)
	}
	k, err := newKey(d.dir)
	if err != nil {
		return wire.EnrollResponse{}, nil, err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: d.st.Device.ZTDID}}, k)
	if err != nil {
		return wire.EnrollResponse{}, nil, err
	}
	res, err := d.api.Enroll(ctx, wire.EnrollRequest{ChallengeID: ch.ChallengeID, Secret: secret, CSR: csr})
	if err != nil {
		return wire.EnrollResponse{}, nil, err
	}
	return res, &ecdsaKey{k}, nil
}

// openSession makes the phase's session known to the service and starts
// streaming its journal.
func (d *Device) openSession(ctx context.Context, p *PhaseState, phase string) error {
	if err := d.api.OpenSession(ctx, wire.SessionRequest{SessionID: p.SessionID, Phase: phase, StartedAt: p.StartedAt}); err != nil {
		return fmt.Errorf("registering the provisioning session: %w", err)
	}
	p.Opened = true
	d.send.follow(p.SessionID)
	return d.save()
}

// resumeTechnician continues after a restart: the phase goes on where the
// journal says it was; a finished phase shows its screen again.
func (d *Device) resumeTechnician(ctx context.Context) (Result, error) {
	p := d.st.Technician
	if p == nil {
		d.st.Stage = StageOOBE
		return d.oobe(ctx)
	}
	d.rec.begin(p.SessionID, wire.PhaseTechnician, CatPreparation, CatSetup)
	for _, l := range []string{LineTPM, LineJoin, LineMDM} {
		d.rec.line(CatPreparation, l, screen.StateDone, "")
	}
	if !p.Opened {
		if err := d.openSession(ctx, p, wire.PhaseTechnician); err != nil {
			return d.technicianFailed(ctx, err)
		}
	}
	d.send.follow(p.SessionID)
	switch p.Result {
	case stSucceeded:
		return d.success(ctx)
	case stFailed:
		return d.failureScreen(ctx, errors.New(p.Error))
	}
	_ = d.rec.record(wire.Event{Step: "boot", Name: "Device restarted", Category: CatSetup, State: stSucceeded, Detail: fmt.Sprintf("boot %d: resuming", d.st.Boots)})
	return d.setup(ctx)
}

// setup runs the technician phase's device setup.
func (d *Device) setup(ctx context.Context) (Result, error) {
	p := d.st.Technician
	esp := d.st.Device.ESP
	tracking := esp == nil || esp.ShowProgress
	if !tracking {
		// No ESP tracking: enrollment succeeded; the screen says what is
		// still pending and asks before resealing (the installs go on).
		return d.setupUntracked(ctx)
	}
	d.show(d.progressView())
	err := d.eng.runPhase(ctx, wire.PhaseTechnician, CatSetup)
	if errors.Is(err, ErrReboot) {
		return Result{Stage: d.st.Stage, Rebooted: true}, err
	}
	if err == nil && d.softRebootDue(p.SessionID) {
		_ = d.rec.record(wire.Event{Step: "reboot", Name: "Restart to finish installs", Category: CatSetup, State: stRebooting, ItemID: "soft-reboot"})
		return Result{Stage: d.st.Stage, Rebooted: true}, ErrReboot
	}
	if err != nil {
		return d.technicianFailed(ctx, err)
	}
	return d.technicianDone(ctx)
}

// softRebootDue says whether an install asked for a restart after the
// phase and it has not happened yet.
func (d *Device) softRebootDue(session string) bool {
	req, ok := d.j.Last(session, "", "reboot")
	_ = req
	for _, r := range d.j.Since(session, 0) {
		if r.Event.Step == "reboot" && r.Event.State == "required" {
			_, done := d.j.Last(session, "soft-reboot", "reboot")
			return !done
		}
	}
	return ok && false
}

func (d *Device) technicianDone(ctx context.Context) (Result, error) {
	p := d.st.Technician
	p.Result, p.EndedAt = stSucceeded, d.cfg.Now()
	_ = d.rec.record(wire.Event{Step: "phase", Name: "Technician phase", Category: CatSetup, State: stSucceeded, Detail: "elapsed " + p.EndedAt.Sub(p.StartedAt).Round(time.Millisecond).String()})
	if err := d.save(); err != nil {
		return Result{}, err
	}
	if err := d.endSession(ctx, p); err != nil {
		return Result{}, err
	}
	return d.success(ctx)
}

// success shows the green screen and reseals on request.
func (d *Device) success(ctx context.Context) (Result, error) {
	in, err := d.choose(ctx, screen.View{Kind: screen.Success, Title: "Pre-provisioning complete", Device: d.deviceView(), QR: d.qr(),
		Elapsed: d.elapsed(), Actions: []screen.Action{screen.Reseal}})
	if err != nil {
		return Result{}, err
	}
	_ = in
	return d.reseal(ctx, false)
}

// reseal seals the device: the service records it, the state says the next
// start is the user's, and the client exits as the device powers off.
func (d *Device) reseal(ctx context.Context, pending bool) (Result, error) {
	_ = d.rec.record(wire.Event{Step: "reseal", Name: "Reseal", Category: CatSetup, State: stStarted})
	_ = d.send.flush(ctx)
	if err := d.api.Reseal(ctx, wire.ResealRequest{AcknowledgePending: pending, Pending: d.pendingNames()}); err != nil {
		return Result{}, fmt.Errorf("resealing: %w", err)
	}
	d.st.Stage, d.st.SealedAt = StageSealed, d.cfg.Now()
	if err := d.save(); err != nil {
		return Result{}, err
	}
	_ = d.rec.record(wire.Event{Step: "reseal", Name: "Reseal", Category: CatSetup, State: stSucceeded, Detail: "device sealed; powering off"})
	_ = d.send.flush(ctx)
	d.show(screen.View{Kind: screen.Sealed, Title: "Shutting down…", Device: d.deviceView()})
	return Result{Stage: StageSealed, Elapsed: d.elapsedOf(d.st.Technician), InstallTime: d.eng.InstallTime()}, nil
}

func (d *Device) elapsedOf(p *PhaseState) time.Duration {
	if p == nil || p.EndedAt.IsZero() {
		return 0
	}
	return p.EndedAt.Sub(p.StartedAt)
}

// technicianFailed ends the session as failed and shows the failure screen.
func (d *Device) technicianFailed(ctx context.Context, cause error) (Result, error) {
	p := d.st.Technician
	p.Result, p.Error, p.EndedAt = stFailed, cause.Error(), d.cfg.Now()
	_ = d.rec.record(wire.Event{Step: "phase", Name: "Technician phase", Category: CatSetup, State: stFailed, Error: cause.Error()})
	if err := d.save(); err != nil {
		return Result{}, err
	}
	if err := d.endSession(ctx, p); err != nil {
		d.log.Warn("recording the failed phase", "err", err)
	}
	return d.failureScreen(ctx, cause)
}

// failureScreen offers what the ESP profile allows.
func (d *Device) failureScreen(ctx context.Context, cause error) (Result, error) {
	acts, custom := d.failureActions(true, d.st.Stage == StageEnrolled)
	v := screen.View{Kind: screen.Failure, Title: "Pre-provisioning failed", Device: d.deviceView(), QR: d.qr(),
		Elapsed: d.elapsedOf(d.st.Technician), Error: cause.Error(), Custom: custom, Actions: acts}
	var p *wire.Problem
	if errors.As(cause, &p) {
		v.Problem = &screen.Problem{Code: p.Code, Message: p.Message, Action: p.Action}
	}
	for {
		in, err := d.choose(ctx, v)
		if err != nil {
			return Result{Stage: d.st.Stage}, fmt.Errorf("%w (pre-provisioning failed: %v)", err, cause)
		}
		switch in.Action {
		case screen.CollectLogs:
			v.Notice = d.logsNotice(ctx)
		case screen.Reset:
			if err := d.Reset(); err != nil {
				return Result{}, err
			}
			return d.oobe(ctx)
		case screen.Retry:
			if d.st.Stage != StageEnrolled {
				return d.technician(ctx)
			}
			sid := uuid.NewString()
			d.st.Technician = &PhaseState{SessionID: sid, StartedAt: d.cfg.Now()}
			d.rec.begin(sid, wire.PhaseTechnician, CatPreparation, CatSetup)
			for _, l := range []string{LineTPM, LineJoin, LineMDM} {
				d.rec.line(CatPreparation, l, screen.StateDone, "")
			}
			if err := d.openSession(ctx, d.st.Technician, wire.PhaseTechnician); err != nil {
				return d.technicianFailed(ctx, err)
			}
			return d.setup(ctx)
		case screen.ContinueAnyway:
			return d.reseal(ctx, true)
		}
	}
}

// Reset wipes the device's state (not its TPM) and starts over.
func (d *Device) Reset() error {
	_ = d.rec.record(wire.Event{Step: "reset", Name: "Reset", State: stSucceeded, Detail: "local state wiped"})
	ents, err := os.ReadDir(d.dir)
	if err != nil {
		return err
	}
	d.j.Close()
	for _, e := range ents {
		// The TPM's own state (tpm-*) is hardware, not OOBE state.
		if strings.HasPrefix(e.Name(), "tpm-") || strings.HasPrefix(e.Name(), "logs") {
			continue
		}
		if err := os.RemoveAll(filepath.Join(d.dir, e.Name())); err != nil {
			return fmt.Errorf("resetting: %w", err)
		}
	}
	return d.init()
}
