package agent

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/agent/winenv"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// runUser is the user flow: language, network, sign-in, then the ESP runs
// the device phase again (what was assigned since reseal) and the user
// phase, then the desktop. On a device that was not pre-provisioned it is
// the user-driven deployment: the sign-in also joins and enrolls it, and
// the whole device phase runs here.
func (d *Device) runUser(ctx context.Context) (Result, error) {
	if d.st.User == nil {
		d.st.User = &PhaseState{SessionID: uuid.NewString(), StartedAt: d.cfg.Now()}
		if err := d.save(); err != nil {
			return Result{}, err
		}
	}
	p := d.st.User
	d.rec.begin(p.SessionID, wire.PhaseUser, d.userCategories()...)
	if d.id.key != nil && !p.Opened {
		if err := d.openSession(ctx, p, wire.PhaseUser); err != nil {
			return Result{}, err
		}
	}
	if p.Opened {
		d.send.follow(p.SessionID)
	}
	if d.st.Stage == StageUser && d.st.PrimaryUser != "" {
		_ = d.rec.record(wire.Event{Step: "boot", Name: "Device restarted", Category: CatAccount, State: stSucceeded, Detail: fmt.Sprintf("boot %d: resuming the user phase", d.st.Boots)})
		return d.userESP(ctx)
	}
	_ = d.rec.record(wire.Event{Step: "oobe", Name: "Power on", State: stSucceeded, Detail: "user flow started"})
	if d.st.Stage != StageOOBE || d.st.Language == "" {
		in, err := d.choose(ctx, screen.View{Kind: screen.Welcome, Title: "Let's start with region. Is this the right one?", Language: d.st.Language, Actions: []screen.Action{screen.Next}})
		if err != nil {
			return Result{}, err
		}
		if l := in.Values["language"]; l != "" {
			d.st.Language = l
		}
	}
	_ = d.rec.record(wire.Event{Step: "oobe", Name: "Region and language", State: stSucceeded, Detail: d.st.Language})
	in, err := d.choose(ctx, screen.View{Kind: screen.Network, Title: "Let's connect you to a network", Actions: []screen.Action{screen.Next}})
	if err != nil {
		return Result{}, err
	}
	network := in.Values["network"]
	if network == "wifi" {
		// Wi-Fi needs the region and keyboard before it can connect.
		if _, err := d.choose(ctx, screen.View{Kind: screen.Welcome, Title: "Is this the right keyboard layout? (Wi-Fi needs region and keyboard first)",
			Language: d.st.Language, Actions: []screen.Action{screen.Next}}); err != nil {
			return Result{}, err
		}
	} else {
		network = "wired"
	}
	_ = d.rec.record(wire.Event{Step: "oobe", Name: "Network", State: stSucceeded, Detail: network})
	if d.signinAssistantDisabled() {
		return d.localAccount(ctx)
	}
	if err := d.join(ctx); err != nil {
		return Result{}, err
	}
	return d.userESP(ctx)
}

// ErrHybridJoin is returned for a device whose profile joins an
// on-premises Active Directory: that needs the domain-join connector.
var ErrHybridJoin = errors.New("this device's profile uses Microsoft Entra hybrid join, which needs the on-premises domain-join connector; this service has none yet")

// join is the user flow's join step: Entra join is the sign-in itself.
// Hybrid join plugs in here — offline domain join through the connector,
// a restart, then the user's Active Directory credentials — and until the
// connector exists the device says so instead of joining the wrong way.
func (d *Device) join(ctx context.Context) error {
	if d.st.Device.HybridJoin {
		_, err := d.choose(ctx, screen.View{Kind: screen.Blocked, Title: "Joining your organization's network",
			Device: d.deviceView(), Problem: &screen.Problem{Code: "HybridJoinUnavailable", Message: ErrHybridJoin.Error(),
				Action: "Assign this device a Microsoft Entra join profile, or set up the on-premises connector."}})
		if err != nil {
			return err
		}
		return ErrHybridJoin
	}
	return d.signIn(ctx)
}

func (d *Device) userCategories() []string {
	if d.st.Stage == StageOOBE {
		return []string{CatPreparation, CatSetup, CatAccount}
	}
	return []string{CatSetup, CatAccount}
}

// signinAssistantDisabled reports whether the technician phase turned the
// Microsoft Account sign-in assistant (wlidsvc) off.
func (d *Device) signinAssistantDisabled() bool {
	v, ok, err := d.env.Registry().Get(WlidsvcKey, "Start")
	return err == nil && ok && strings.TrimSpace(v.Data) == "4"
}

// signIn shows the branded sign-in until the service accepts someone; on a
// device that was not pre-provisioned it enrolls the device with it.
func (d *Device) signIn(ctx context.Context) error {
	org := d.st.Device.Organization
	if org == "" {
		org = "your organization"
	}
	errText := ""
	for {
		in, err := d.choose(ctx, screen.View{Kind: screen.SignIn, Title: "Welcome to " + org, Message: "Sign in with your work or school account.",
			Device: d.deviceView(), Fields: []string{"user", "password"}, Error: errText, Actions: []screen.Action{screen.SubmitSignIn}})
		if err != nil {
			return err
		}
		upn, pw := strings.TrimSpace(in.Values["user"]), in.Values["password"]
		if upn == "" || pw == "" {
			errText = "Enter your account and password."
			continue
		}
		if d.st.Stage == StageOOBE {
			err = d.enrollUser(ctx, upn, pw)
		} else {
			var res wire.SignInResponse
			if res, err = d.api.SignIn(ctx, wire.SignInRequest{UPN: upn, Password: pw}); err == nil {
				upn = res.UPN
			}
		}
		var p *wire.Problem
		if errors.As(err, &p) {
			errText = p.Message + " " + p.Action
			_ = d.rec.record(wire.Event{Step: "signin", Name: "Sign-in", State: stFailed, Error: p.Code + ": " + p.Message, Detail: upn})
			continue
		}
		if err != nil {
			errText = "The service could not be reached: " + err.Error()
			continue
		}
		d.st.PrimaryUser, d.st.Stage = upn, StageUser
		if err := d.save(); err != nil {
			return err
		}
		_ = d.rec.record(wire.Event{Step: "signin", Name: "Sign-in", State: stSucceeded, Detail: upn})
		return nil
	}
}

// enrollUser joins and enrolls a device that was not pre-provisioned.
func (d *Device) enrollUser(ctx context.Context, upn, pw string) error {
	hash, _, err := d.hardwareHash(ctx)
	if err != nil {
		return err
	}
	k, err := newKey(d.dir)
	if err != nil {
		return err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "user-driven"}}, k)
	if err != nil {
		return err
	}
	d.rec.line(CatPreparation, LineJoin, screen.StateRunning, "")
	res, err := d.api.EnrollUser(ctx, wire.UserEnrollRequest{HardwareHash: hash, UPN: upn, Password: pw, CSR: csr, OS: d.cfg.OS, TPM: d.cfg.TPM.Info()})
	if err != nil {
		d.rec.line(CatPreparation, LineJoin, screen.StatePending, "")
		return err
	}
	if err := journal.WriteFile(filepath.Join(d.dir, certFile), res.Certificate, 0o600); err != nil {
		return err
	}
	d.id = identity{key: k, cert: res.Certificate}
	d.api.SetIdentity(k, res.Certificate)
	if res.Device != nil {
		d.st.Device = *res.Device
	}
	d.st.ZTDID, d.st.ManagedDeviceID = d.st.Device.ZTDID, res.ManagedDeviceID
	_ = d.rec.record(wire.Event{Step: "join", Name: LineJoin, Category: CatPreparation, State: stSucceeded, Detail: "joined with " + upn + "'s credentials"})
	d.rec.line(CatPreparation, LineJoin, screen.StateDone, "")
	if err := d.openSession(ctx, d.st.User, wire.PhaseUser); err != nil {
		return err
	}
	_ = d.rec.record(wire.Event{Step: "mdm", Name: LineMDM, Category: CatPreparation, State: stSucceeded, Detail: "managed device " + res.ManagedDeviceID})
	d.rec.line(CatPreparation, LineMDM, screen.StateDone, "")
	d.rec.line(CatPreparation, LineTPM, screen.StateSkipped, "not needed for user-driven")
	return nil
}

// userName is the local profile name of a UPN.
func userName(upn string) string {
	local, _, _ := strings.Cut(upn, "@")
	if winenv.CheckUser(local) != nil {
		return "user"
	}
	return local
}

// userESP runs the device phase again and then the user phase.
func (d *Device) userESP(ctx context.Context) (Result, error) {
	d.show(d.progressView())
	d.eng.user = ""
	err := d.eng.runPhase(ctx, wire.PhaseTechnician, CatSetup)
	if err == nil {
		d.rec.setCategory(CatSetup, screen.StateDone)
		d.eng.user = userName(d.st.PrimaryUser)
		err = d.eng.runPhase(ctx, wire.PhaseUser, CatAccount)
	}
	if errors.Is(err, ErrReboot) {
		return Result{Stage: d.st.Stage, Rebooted: true}, err
	}
	if err != nil {
		return d.userFailed(ctx, err)
	}
	return d.desktop(ctx, "")
}

// desktop finishes the user flow.
func (d *Device) desktop(ctx context.Context, note string) (Result, error) {
	p := d.st.User
	p.Result, p.EndedAt = stSucceeded, d.cfg.Now()
	d.st.Stage = StageDesktop
	_ = d.rec.record(wire.Event{Step: "phase", Name: "User phase", Category: CatAccount, State: stSucceeded,
		Detail: "desktop reached after " + p.EndedAt.Sub(p.StartedAt).Round(time.Millisecond).String() + note})
	if err := d.save(); err != nil {
		return Result{}, err
	}
	if err := d.endSession(ctx, p); err != nil {
		return Result{}, err
	}
	msg := "Signed in as " + d.st.PrimaryUser + "."
	if note != "" {
		msg = note
	}
	d.show(screen.View{Kind: screen.Desktop, Title: "Welcome", Message: msg, Device: d.deviceView(), Elapsed: p.EndedAt.Sub(p.StartedAt)})
	return Result{Stage: StageDesktop, Elapsed: p.EndedAt.Sub(p.StartedAt), InstallTime: d.eng.InstallTime()}, nil
}

// userFailed shows the user flow's failure screen, as the ESP allows.
func (d *Device) userFailed(ctx context.Context, cause error) (Result, error) {
	p := d.st.User
	_ = d.rec.record(wire.Event{Step: "phase", Name: "User phase", Category: CatAccount, State: stFailed, Error: cause.Error()})
	acts, custom := d.failureActions(false, true)
	v := screen.View{Kind: screen.Failure, Title: "Setup could not be completed", Device: d.deviceView(), QR: d.qr(),
		Elapsed: d.cfg.Now().Sub(p.StartedAt), Error: cause.Error(), Custom: custom, Actions: acts}
	for {
		in, err := d.choose(ctx, v)
		if err != nil {
			return Result{Stage: d.st.Stage}, fmt.Errorf("%w (the user phase failed: %v)", err, cause)
		}
		switch in.Action {
		case screen.CollectLogs:
			v.Notice = d.logsNotice(ctx)
		case screen.Retry:
			return d.userESP(ctx)
		case screen.ContinueAnyway:
			return d.desktop(ctx, "Continued with setup incomplete: "+cause.Error())
		}
	}
}

// localAccount is what Windows does when the sign-in assistant was turned
// off in the technician phase: no Entra sign-in, but the license terms and
// a local account. The device is not set up for the user.
func (d *Device) localAccount(ctx context.Context) (Result, error) {
	_ = d.rec.record(wire.Event{Step: "signin", Name: "Sign-in", State: stFailed,
		Error: "the Microsoft Account sign-in assistant (wlidsvc) was disabled in the technician phase: Entra sign-in is not offered; the user gets the license terms and a local account"})
	if _, err := d.choose(ctx, screen.View{Kind: screen.Working, Title: "License agreement",
		Message: "Please read the Windows license agreement. By accepting it you agree to its terms.", Actions: []screen.Action{screen.Next}}); err != nil {
		return Result{}, err
	}
	in, err := d.choose(ctx, screen.View{Kind: screen.SignIn, Title: "Who's going to use this device?", Message: "Create a local account.",
		Fields: []string{"user", "password"}, Actions: []screen.Action{screen.SubmitSignIn}})
	if err != nil {
		return Result{}, err
	}
	name := userName(strings.TrimSpace(in.Values["user"]))
	if err := d.env.Registry().Set(`HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\`+name, "ProfileImagePath",
		winenv.Value{Type: "REG_EXPAND_SZ", Data: `C:\Users\` + name}); err != nil {
		return Result{}, err
	}
	d.st.PrimaryUser = ""
	p := d.st.User
	p.Result, p.Error, p.EndedAt = stFailed, "local account "+name+" created instead of an Entra sign-in (sign-in assistant disabled)", d.cfg.Now()
	d.st.Stage = StageDesktop
	if err := d.save(); err != nil {
		return Result{}, err
	}
	if err := d.endSession(ctx, p); err != nil {
		d.log.Warn("recording the user phase's end", "err", err)
	}
	d.show(screen.View{Kind: screen.Desktop, Title: "Welcome", Device: d.deviceView(),
		Message: "Signed in with the local account " + name + ": this device is not joined to " + d.st.Device.Organization + " for this user, and the user phase did not run. Re-enable the sign-in assistant (AllowMicrosoftAccountSignInAssistant) and reset the device."})
	return Result{Stage: StageDesktop, Elapsed: p.EndedAt.Sub(p.StartedAt)}, nil
}
