package enroll

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/apps"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/targeting"
)

// DeviceManifest returns what one phase of the device installs, with
// everything needed to apply each item; only the device's own manifest.
func (s *Service) DeviceManifest(ctx context.Context, md ManagedDevice, phase string) (wire.Manifest, error) {
	if phase != wire.PhaseTechnician && phase != wire.PhaseUser {
		return wire.Manifest{}, apperr.Invalid("phase must be %q or %q", wire.PhaseTechnician, wire.PhaseUser)
	}
	m, err := s.mf.Get(ctx, md.ZTDID)
	if errors.Is(err, apperr.ErrNotFound) {
		// Not computed yet (the device was registered a moment ago).
		return wire.Manifest{ZTDID: md.ZTDID, Phase: phase, Items: []wire.Item{}, Blocking: []string{}}, nil
	}
	if err != nil {
		return wire.Manifest{}, fmt.Errorf("reading the manifest of %s: %w", md.ZTDID, err)
	}
	out := wire.Manifest{ZTDID: md.ZTDID, Version: m.Version, Digest: m.Digest, Phase: phase, Items: []wire.Item{}, Blocking: m.Blocking, Computed: m.ComputedAt}
	if out.Blocking == nil {
		out.Blocking = []string{}
	}
	d, err := s.st.AutopilotDevice(ctx, md.ZTDID)
	if err != nil {
		return wire.Manifest{}, fmt.Errorf("reading the device: %w", err)
	}
	if phase == wire.PhaseUser && md.PrimaryUser == "" {
		// The user phase is issued only to the device its user signed in on.
		return wire.Manifest{}, problem(wire.CodeNoUser, "Sign in on the device first.", "No user has signed in on this device yet.")
	}
	phases, digest, err := s.phases(ctx, md, d, m.Phases)
	if err != nil {
		return wire.Manifest{}, err
	}
	if digest != "" {
		out.Digest = digest
	}
	res, err := s.esp.Resolve(ctx, esp.ResolveInput{DeviceID: d.EntraObjectID, PreProvisioning: phase == wire.PhaseTechnician})
	if err != nil {
		return wire.Manifest{}, fmt.Errorf("resolving the ESP profile: %w", err)
	}
	out.ESP = wireESP(res)
	cache, err := s.itemsAt(ctx)
	if err != nil {
		return wire.Manifest{}, err
	}
	for _, p := range phases {
		if p.Phase != phase {
			continue
		}
		for _, e := range p.Items {
			it, err := s.item(ctx, cache, e, md)
			if err != nil {
				return wire.Manifest{}, err
			}
			out.Items = append(out.Items, it)
		}
	}
	return out, nil
}

// WaitManifest waits up to wait for the device's manifest to move past
// version after, then returns the current one.
// With after < 0 it returns the manifest at once. Otherwise, while the
// stored version is not past after, it answers Unchanged (after waiting
// up to wait for a change) without building the manifest.
func (s *Service) WaitManifest(ctx context.Context, md ManagedDevice, phase string, after int64, wait time.Duration) (wire.Manifest, error) {
	if after < 0 {
		return s.DeviceManifest(ctx, md, phase)
	}
	version := func() (int64, error) {
		m, err := s.mf.Get(ctx, md.ZTDID)
		if errors.Is(err, apperr.ErrNotFound) {
			return 0, nil
		}
		return m.Version, err
	}
	v, err := version()
	if err != nil {
		return wire.Manifest{}, err
	}
	if v > after {
		return s.DeviceManifest(ctx, md, phase)
	}
	unchanged := wire.Manifest{ZTDID: md.ZTDID, Version: v, Phase: phase, Unchanged: true}
	if wait <= 0 {
		return unchanged, nil
	}
	// Register before reading the version again, so a change in between
	// is not missed; stop waiting whatever happens.
	ch, stop := s.mf.Changed(md.ZTDID)
	defer stop()
	if v, err = version(); err != nil {
		return wire.Manifest{}, err
	}
	if v > after {
		return s.DeviceManifest(ctx, md, phase)
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return unchanged, nil
	case <-t.C:
		return unchanged, nil
	case <-ch:
		if v, err = version(); err != nil || v <= after {
			unchanged.Version = v
			return unchanged, err
		}
		return s.DeviceManifest(ctx, md, phase)
	}
}

// item resolves one manifest entry into what the device applies.
func (s *Service) item(ctx context.Context, cache *itemCache, e targeting.Entry, md ManagedDevice) (wire.Item, error) {
	it := wire.Item{ID: e.ID, Name: e.Name, Kind: e.Kind, Context: e.Context, Tracked: e.Tracked, Blocking: e.Blocking}
	switch e.Kind {
	case targeting.KindApp:
		a, err := s.app(ctx, cache, e.ID)
		if err != nil {
			return it, fmt.Errorf("reading app %s: %w", e.ID, err)
		}
		it.App = wireApp(a)
	case targeting.KindPolicy:
		p, err := s.policy(ctx, cache, e.ID)
		if err != nil {
			return it, fmt.Errorf("reading policy %s: %w", e.ID, err)
		}
		it.Policy = wirePolicy(p, md)
	case targeting.KindScript:
		sc, err := s.script(ctx, cache, e.ID)
		if err != nil {
			return it, fmt.Errorf("reading script %s: %w", e.ID, err)
		}
		it.Script = &wire.Script{Content: sc.Content, FileName: sc.FileName, RunAsAccount: sc.RunAsAccount}
	}
	return it, nil
}

func wireApp(a apps.App) *wire.App {
	w := &wire.App{
		Type: string(a.Kind), Version: a.DisplayVersion, ContentSHA256: a.ContentSHA256, Size: a.Size,
		InstallCommand: a.InstallCommand, UninstallCommand: a.UninstallCommand, RunAsAccount: a.RunAsAccount,
		MaxRunTimeMinutes: a.MaxRunTimeMinutes, RestartBehavior: a.RestartBehavior,
		ProductCode: a.ProductCode, ProductVersion: a.ProductVersion, Dependencies: a.Dependencies,
	}
	if w.RunAsAccount == "" {
		w.RunAsAccount = apps.RunAsSystem
	}
	if w.MaxRunTimeMinutes <= 0 {
		w.MaxRunTimeMinutes = apps.DefaultRunTime
	}
	if a.IgnoreVersionDetection {
		w.ProductVersion = ""
	}
	for _, r := range a.DetectionRules {
		b, _ := json.Marshal(r)
		w.Detection = append(w.Detection, b)
	}
	w.Requirements, _ = json.Marshal(a.Requirements)
	codes := a.ReturnCodes
	if len(codes) == 0 {
		codes = apps.DefaultReturnCodes()
	}
	for _, c := range codes {
		w.ReturnCodes = append(w.ReturnCodes, wire.ReturnCode{Code: c.Code, Type: string(c.Type)})
	}
	return w
}

func wirePolicy(p apps.Policy, md ManagedDevice) *wire.Policy {
	w := &wire.Policy{Kind: string(p.Kind), Version: p.Version}
	for _, st := range p.Settings {
		w.Settings = append(w.Settings, wire.Setting{OMAURI: st.OMAURI, Type: string(st.Type), Value: st.Value})
	}
	switch {
	case p.Certificate != nil:
		c := p.Certificate
		w.Certificate = &wire.CertificateReq{Subject: certSubject(c, md), Store: c.Store, KeyType: "ecdsa-p256",
			Validity: fmt.Sprintf("%d %s", c.ValidityValue, c.ValidityScale)}
	case p.WiFi != nil:
		w.Profile, _ = json.Marshal(p.WiFi)
	case p.VPN != nil:
		w.Profile, _ = json.Marshal(p.VPN)
	}
	return w
}

// rdnValue makes a device-supplied value (a serial number comes from the
// device's own hash) safe inside a subject: it cannot add attributes.
func rdnValue(v string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ',', '=', '+', '"', '\\', '<', '>', ';', '#':
			return '_'
		}
		if r < 0x20 {
			return -1
		}
		return r
	}, v)
}

// certSubject is the subject a certificate profile gives this device.
func certSubject(c *apps.CertificateProfile, md ManagedDevice) string {
	if c.SubjectNameFormat == "custom" && c.SubjectTemplate != "" {
		r := strings.NewReplacer("{{DeviceName}}", rdnValue(md.DeviceName), "{{AAD_Device_ID}}", rdnValue(md.ZTDID),
			"{{SerialNumber}}", rdnValue(md.SerialNumber), "{{DeviceId}}", rdnValue(md.ID))
		return r.Replace(c.SubjectTemplate)
	}
	return "CN=" + md.DeviceName
}

// effective returns the phases the device may act on now: the
// technician phase, and the user phase once a user signed in on it —
// planned for that user.
func (s *Service) effective(ctx context.Context, md ManagedDevice) ([]targeting.Phase, error) {
	m, err := s.mf.Get(ctx, md.ZTDID)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d, err := s.st.AutopilotDevice(ctx, md.ZTDID)
	if err != nil {
		return nil, err
	}
	phases, _, err := s.phases(ctx, md, d, m.Phases)
	if err != nil {
		return nil, err
	}
	out := phases[:0:0]
	for _, p := range phases {
		if p.Phase == wire.PhaseUser && md.PrimaryUser == "" {
			continue
		}
		out = append(out, p)
	}
	return out, nil
}

// OwnsContent reports whether a content blob belongs to an app the device
// may install now: a device downloads only what it installs.
func (s *Service) OwnsContent(ctx context.Context, md ManagedDevice, sha string) (bool, error) {
	phases, err := s.effective(ctx, md)
	if err != nil {
		return false, err
	}
	cache, err := s.itemsAt(ctx)
	if err != nil {
		return false, err
	}
	for _, p := range phases {
		for _, e := range p.Items {
			if e.Kind != targeting.KindApp {
				continue
			}
			a, err := s.app(ctx, cache, e.ID)
			if errors.Is(err, apperr.ErrNotFound) {
				continue
			}
			if err != nil {
				return false, err
			}
			if strings.EqualFold(a.ContentSHA256, sha) {
				return true, nil
			}
		}
	}
	return false, nil
}
