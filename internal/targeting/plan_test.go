package targeting

import (
	"slices"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/assign"
)

var (
	devGroup  = assign.Target{Kind: assign.Group, GroupID: "g-devices"}
	userGroup = assign.Target{Kind: assign.Group, GroupID: "g-users"}
	excludeD  = assign.Target{Kind: assign.ExclusionGroup, GroupID: "g-kiosks"}
)

func device(groups ...string) assign.Subject {
	s := assign.Subject{IsDevice: true, Groups: map[string]bool{}}
	for _, g := range groups {
		s.Groups[g] = true
	}
	return s
}

func user(groups ...string) *assign.Subject {
	s := assign.Subject{Licensed: true, Groups: map[string]bool{}}
	for _, g := range groups {
		s.Groups[g] = true
	}
	return &s
}

func app(id, typ, ctx string, targets ...assign.Target) Item {
	it := Item{ID: id, Name: id, Kind: KindApp, AppType: typ, Context: ctx, Tracked: true, Supported: true, Size: 50e6}
	for _, t := range targets {
		it.Assignments = append(it.Assignments, Assignment{Intent: IntentRequired, Target: t})
	}
	return it
}

func policy(id string, tracked bool, targets ...assign.Target) Item {
	it := Item{ID: id, Name: id, Kind: KindPolicy, Context: ContextSystem, Tracked: tracked, Supported: true}
	for _, t := range targets {
		it.Assignments = append(it.Assignments, Assignment{Intent: IntentRequired, Target: t})
	}
	return it
}

func goodInput() Input {
	return Input{
		Device:     device("g-devices"),
		User:       user("g-users"),
		Profile:    &Profile{Name: "PP", PreprovisioningAllowed: true, Locale: "os-default"},
		ESP:        ESP{Found: true, DeviceTargeted: true, TimeoutMinutes: 60},
		UserGroups: map[string]bool{"g-users": true},
	}
}

func ids(p Phase) []string {
	var out []string
	for _, e := range p.Items {
		out = append(out, e.ID)
	}
	return out
}

func codes(r Result) []string {
	var out []string
	for _, w := range r.Warnings {
		out = append(out, w.Code)
	}
	return out
}

func TestScenarios(t *testing.T) {
	cases := []struct {
		name       string
		setup      func(in *Input)
		tech, user []string
		warn       []string
	}{
		{"device-targeted items land in the technician phase", func(in *Input) {
			in.Items = []Item{app("a", AppWin32, ContextSystem, devGroup), policy("wifi", true, devGroup), policy("settings", false, devGroup)}
		}, []string{"wifi", "settings", "a"}, nil, nil},
		{"user-targeted system-context app with an assigned user", func(in *Input) {
			in.Items = []Item{app("u-sys", AppWin32, ContextSystem, userGroup)}
		}, []string{"u-sys"}, nil, nil},
		{"user-context app waits for the user", func(in *Input) {
			in.Items = []Item{app("u-ctx", AppWin32, ContextUser, devGroup), app("u-ctx2", AppWin32, ContextUser, userGroup)}
		}, nil, []string{"u-ctx", "u-ctx2"}, []string{"user-context-app"}},
		{"no assigned user: only device-targeted items", func(in *Input) {
			in.User = nil
			in.Items = []Item{app("d", AppWin32, ContextSystem, devGroup), app("u-sys", AppWin32, ContextSystem, userGroup), policy("user-pol", false, userGroup)}
		}, []string{"d"}, nil, []string{"no-assigned-user"}},
		{"user-targeted policies wait for the user phase", func(in *Input) {
			in.Items = []Item{policy("user-pol", false, userGroup)}
		}, nil, []string{"user-pol"}, nil},
		{"device-targeted user-scoped policy waits for the user", func(in *Input) {
			p := policy("user-scope", false, devGroup)
			p.Context = ContextUser
			in.Items = []Item{p}
		}, nil, []string{"user-scope"}, nil},
		{"excluded group wins", func(in *Input) {
			in.Device = device("g-devices", "g-kiosks")
			in.Items = []Item{app("a", AppWin32, ContextSystem, devGroup, excludeD), app("b", AppWin32, ContextSystem, assign.Target{Kind: assign.AllDevices}, excludeD)}
		}, nil, nil, nil},
		{"uninstall beats required", func(in *Input) {
			it := app("a", AppWin32, ContextSystem, devGroup)
			it.Assignments = append(it.Assignments, Assignment{Intent: IntentUninstall, Target: userGroup})
			in.Items = []Item{it}
		}, nil, nil, nil},
		{"available is not installed", func(in *Input) {
			it := app("a", AppWin32, ContextSystem)
			it.Assignments = []Assignment{{Intent: IntentAvailable, Target: devGroup}}
			in.Items = []Item{it}
		}, nil, nil, nil},
		{"Win32 and LOB mixed", func(in *Input) {
			in.Items = []Item{app("w", AppWin32, ContextSystem, devGroup), app("m", AppMSI, ContextSystem, devGroup)}
		}, []string{"w", "m"}, nil, []string{"win32-lob-mix"}},
		{"ESP on a user group only", func(in *Input) {
			in.ESP = ESP{Found: true, DeviceTargeted: false, Reason: "the only ESP profile targets users; pre-provisioning accepts device-targeted profiles only"}
			in.Items = []Item{app("a", AppWin32, ContextSystem, devGroup)}
		}, []string{"a"}, nil, []string{"no-device-esp"}},
		{"dependencies come first and are pulled in", func(in *Input) {
			runtime := app("runtime", AppWin32, ContextSystem)
			tool := app("tool", AppWin32, ContextSystem, devGroup)
			tool.Dependencies = []string{"runtime"}
			in.Items = []Item{tool, runtime}
		}, []string{"runtime", "tool"}, nil, nil},
		{"all licensed users needs a licence", func(in *Input) {
			in.User.Licensed = false
			in.Items = []Item{app("a", AppWin32, ContextSystem, assign.Target{Kind: assign.AllLicensedUsers})}
		}, nil, nil, nil},
		{"profile, language and connector warnings", func(in *Input) {
			in.Profile = &Profile{Name: "Hybrid", PreprovisioningAllowed: false, Locale: "de-DE", HybridJoin: true}
		}, nil, nil, []string{"preprovisioning-not-allowed", "language-preset", "hybrid-no-connector"}},
		{"no profile", func(in *Input) { in.Profile = nil }, nil, nil, []string{"no-profile"}},
		{"sign-in assistant disabled", func(in *Input) {
			p := policy("no-wlid", false, devGroup)
			p.DisablesSigninAssistant = true
			in.Items = []Item{p}
		}, []string{"no-wlid"}, nil, []string{"signin-assistant-disabled"}},
		{"blocking app not assigned, timeout too short", func(in *Input) {
			big := app("big", AppWin32, ContextSystem, devGroup)
			big.Size = 40e9
			in.Items = []Item{big}
			in.ESP.SelectedMobileAppIDs = []string{"missing"}
			in.ESP.TimeoutMinutes = 30
		}, []string{"big"}, nil, []string{"blocking-app-not-assigned", "esp-timeout-too-short"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := goodInput()
			c.setup(&in)
			r := Plan(in)
			if got := ids(r.Phases[0]); !slices.Equal(got, c.tech) {
				t.Errorf("technician = %v, want %v", got, c.tech)
			}
			if got := ids(r.Phases[1]); !slices.Equal(got, c.user) {
				t.Errorf("user = %v, want %v", got, c.user)
			}
			got := codes(r)
			slices.Sort(got)
			want := slices.Clone(c.warn)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("warnings = %v, want %v", got, want)
			}
			for _, ph := range r.Phases {
				for _, e := range ph.Items {
					if e.Reason == "" {
						t.Errorf("%s has no reason", e.ID)
					}
				}
			}
		})
	}
}

func TestBlockingSet(t *testing.T) {
	in := goodInput()
	in.Items = []Item{app("a", AppWin32, ContextSystem, devGroup), app("b", AppWin32, ContextSystem, devGroup), policy("cert", true, devGroup), policy("settings", false, devGroup)}
	r := Plan(in)
	if !slices.Equal(r.Blocking, []string{"cert", "a", "b"}) {
		t.Fatalf("all tracked block when none is selected: %v", r.Blocking)
	}
	in.ESP.SelectedMobileAppIDs = []string{"B"}
	r = Plan(in)
	if !slices.Equal(r.Blocking, []string{"cert", "b"}) {
		t.Fatalf("selected apps only: %v", r.Blocking)
	}
	for _, e := range r.Phases[0].Items {
		if e.ID == "a" && (e.Blocking || !e.Tracked) {
			t.Fatalf("a = %+v", e)
		}
	}
	if r.Phases[0].PredictedSeconds <= 0 || !strings.Contains(r.Phases[0].Items[0].Reason, "device-targeted") {
		t.Fatalf("phase = %+v", r.Phases[0])
	}
}

func TestUnsupportedItemsAreListed(t *testing.T) {
	in := goodInput()
	it := app("store", "microsoftStoreForBusinessApp", ContextSystem, devGroup)
	it.Supported = false
	in.Items = []Item{it}
	r := Plan(in)
	if len(r.Unsupported) != 1 || len(r.Phases[0].Items) != 0 {
		t.Fatalf("unsupported = %+v, technician = %+v", r.Unsupported, r.Phases[0].Items)
	}
}

// TestChangeAfterReseal: an app assigned to the device after the technician
// phase shows up in the device phase that reruns in the user flow; what was
// already there stays, so the device installs only the difference.
func TestChangeAfterReseal(t *testing.T) {
	in := goodInput()
	in.Items = []Item{app("office", AppWin32, ContextSystem, devGroup)}
	before := Plan(in)
	in.Items = append(in.Items, app("vpn", AppWin32, ContextSystem, devGroup), app("chat", AppWin32, ContextUser, userGroup))
	after := Plan(in)
	if got := ids(before.Phases[0]); !slices.Equal(got, []string{"office"}) {
		t.Fatalf("technician phase before reseal = %v", got)
	}
	if got := ids(after.Phases[0]); !slices.Equal(got, []string{"office", "vpn"}) {
		t.Fatalf("device phase rerun after reseal = %v", got)
	}
	if got := ids(after.Phases[1]); !slices.Equal(got, []string{"chat"}) {
		t.Fatalf("user phase = %v", got)
	}
}
