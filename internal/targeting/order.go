package targeting

import (
	"fmt"
	"sort"
	"strings"
)

// withDependencies adds every app a placed app depends on (transitively)
// to the same phase, ahead of it, and orders the phase: policies, then
// scripts, then apps with dependencies first. Cycles were refused when the
// catalog was written; a cycle here is broken at the repeat.
func withDependencies(ps []placed, byID map[string]Item, phase string) []placed {
	sort.SliceStable(ps, func(i, j int) bool { return rank(ps[i].item) < rank(ps[j].item) })
	deps := false
	for _, p := range ps {
		deps = deps || len(p.item.Dependencies) > 0
	}
	if !deps {
		return ps
	}
	var out []placed
	done := map[string]bool{}
	visiting := map[string]bool{}
	var visit func(p placed)
	visit = func(p placed) {
		if done[p.item.ID] || visiting[p.item.ID] {
			return
		}
		visiting[p.item.ID] = true
		for _, dep := range p.item.Dependencies {
			d, ok := byID[dep]
			if !ok {
				continue
			}
			reason := "dependency of " + p.item.Name
			visit(placed{d, phase, reason})
		}
		visiting[p.item.ID] = false
		done[p.item.ID] = true
		out = append(out, p)
	}
	for _, p := range ps {
		visit(p)
	}
	return out
}

// rank orders the ESP's device setup: policies (certificates and networks
// among them), scripts, then apps.
func rank(it Item) int {
	switch it.Kind {
	case KindPolicy:
		return 0
	case KindScript:
		return 1
	}
	return 2
}

// dropAlready removes from the user phase what the technician phase
// installs (a dependency pulled into both, for instance).
func dropAlready(user, tech []placed) []placed {
	have := map[string]bool{}
	for _, p := range tech {
		have[p.item.ID] = true
	}
	out := user[:0]
	for _, p := range user {
		if !have[p.item.ID] {
			out = append(out, p)
		}
	}
	return out
}

// build turns placed items into a phase with blocking flags and a
// predicted duration.
func build(name string, ps []placed, selected map[string]bool, in Input) Phase {
	ph := Phase{Phase: name, Items: []Entry{}}
	mbps := in.ContentMBps
	if mbps <= 0 {
		mbps = 10
	}
	secs := 0.0
	for _, p := range ps {
		it := p.item
		blocking := it.Tracked
		if it.Kind == KindApp && len(selected) > 0 {
			blocking = selected[strings.ToLower(it.ID)]
		}
		ph.Items = append(ph.Items, entry(it, p.reason, blocking))
		switch it.Kind {
		case KindApp:
			secs += appOverhead + appInstall + float64(it.Size)/(mbps*1e6)
		case KindScript:
			secs += scriptSeconds
		default:
			secs += policySeconds
		}
	}
	ph.PredictedSeconds = int(secs + 0.5)
	return ph
}

// warnings checks the profile, the ESP and the technician phase.
func warnings(in Input, tech []placed, techPhase Phase, selected map[string]bool) []Warning {
	var ws []Warning
	add := func(code, msg, fix string) { ws = append(ws, Warning{Code: code, Message: msg, Fix: fix}) }
	switch p := in.Profile; {
	case p == nil:
		add("no-profile", "no deployment profile is assigned to the device", "assign a profile with pre-provisioning allowed to a group the device is in")
	default:
		if !p.PreprovisioningAllowed {
			add("preprovisioning-not-allowed", fmt.Sprintf("profile %q does not allow pre-provisioning", p.Name), "set preprovisioningAllowed (enableWhiteGlove) on the profile")
		}
		if l := strings.ToLower(p.Locale); l != "" && l != "os-default" && l != "user-select" {
			add("language-preset", fmt.Sprintf("profile %q presets the language %s, so OOBE skips the first screen where the Windows key is pressed five times", p.Name, p.Locale),
				"set the profile's language to os-default (user select) so the technician can reach the pre-provisioning menu")
		}
		if p.HybridJoin && !in.HasConnector {
			add("hybrid-no-connector", fmt.Sprintf("profile %q joins an Active Directory domain, but no connector is registered", p.Name), "install and register `whiteglove connector` on a domain-joined host")
		}
	}
	if !in.ESP.Found || !in.ESP.DeviceTargeted {
		why := in.ESP.Reason
		if why == "" {
			why = "no ESP profile targets the device"
		}
		add("no-device-esp", why, "target an ESP profile (with showInstallationProgress) at a device group the device is in")
	}
	win32, msi := false, false
	for _, p := range tech {
		if p.item.Kind != KindApp {
			continue
		}
		win32 = win32 || p.item.AppType == AppWin32
		msi = msi || p.item.AppType == AppMSI
	}
	for _, p := range tech {
		if p.item.DisablesSigninAssistant {
			add("signin-assistant-disabled", fmt.Sprintf("policy %q disables the Microsoft Account Sign-In Assistant: the user will get the EULA and a local-account setup instead of signing in", p.item.Name),
				"do not disable the sign-in assistant (wlidsvc) on Autopilot devices")
		}
	}
	if win32 && msi {
		add("win32-lob-mix", "Win32 and LOB (MSI) apps both install in the technician phase; Windows runs them through one installer, so they collide", "deploy them as one kind; whiteglove serializes the installs anyway")
	}
	if len(in.ESP.SelectedMobileAppIDs) > MaxBlockingApps {
		add("too-many-blocking-apps", fmt.Sprintf("the ESP profile blocks on %d apps; at most %d are allowed", len(in.ESP.SelectedMobileAppIDs), MaxBlockingApps), "reduce the blocking app list")
	}
	inTech := map[string]bool{}
	for _, e := range techPhase.Items {
		inTech[strings.ToLower(e.ID)] = true
	}
	for _, id := range in.ESP.SelectedMobileAppIDs {
		if !inTech[strings.ToLower(id)] {
			add("blocking-app-not-assigned", fmt.Sprintf("blocking app %s is not installed in the technician phase for this device", id),
				"assign it as required to a device group the device is in (or to the assigned user with system context), or remove it from the ESP's blocking list")
		}
	}
	if in.ESP.Found && in.ESP.TimeoutMinutes > 0 && techPhase.PredictedSeconds > in.ESP.TimeoutMinutes*60 {
		add("esp-timeout-too-short", fmt.Sprintf("the technician phase is predicted to take %d s, longer than the ESP timeout of %d minutes", techPhase.PredictedSeconds, in.ESP.TimeoutMinutes),
			"raise installProgressTimeoutInMinutes or move apps out of the technician phase")
	}
	return ws
}
