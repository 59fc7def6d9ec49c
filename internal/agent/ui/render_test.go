package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

var device = screen.Device{
	ZTDID:        "2b7c6a3e-9d1f-4e1a-8f3b-5c2d7e9a1b4c",
	SerialNumber: "PF3XK2LM",
	Profile:      "Contoso pre-provisioned",
	Organization: "Contoso",
	User:         "alice@contoso.com",
}

func TestElapsed(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                      "00:00",
		-time.Second:                           "00:00",
		59 * time.Second:                       "00:59",
		192*time.Second + 900*time.Millisecond: "03:12",
		59*time.Minute + 59*time.Second:        "59:59",
		time.Hour:                              "1:00:00",
		3723 * time.Second:                     "1:02:03",
		25 * time.Hour:                         "25:00:00",
	} {
		if got := elapsed(d); got != want {
			t.Errorf("elapsed(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestScreens(t *testing.T) {
	noUser := device
	noUser.User = ""
	tests := []struct {
		name string
		view screen.View
		want []string
		not  []string
	}{
		{"configuration", screen.View{Kind: screen.Configuration, Device: device,
			Actions: []screen.Action{screen.Refresh, screen.Provision}},
			[]string{"Windows Autopilot Configuration", "Contoso pre-provisioned", "Contoso", "alice@contoso.com",
				device.ZTDID, "PF3XK2LM", "[R]efresh", "[P]rovision"}, nil},
		{"configuration without user", screen.View{Kind: screen.Configuration, Device: noUser},
			[]string{"Assigned user: none"}, nil},
		{"blocked", screen.View{Kind: screen.Blocked, Device: device, Problem: &screen.Problem{
			Code: "NOT_REGISTERED", Message: "This device is not registered.", Action: "Import its hardware hash."}},
			[]string{"NOT_REGISTERED", "This device is not registered.", "Import its hardware hash.", "PF3XK2LM"}, nil},
		{"progress", screen.View{Kind: screen.Progress, Elapsed: 192 * time.Second,
			Checks: []screen.Check{{Name: "TPM 2.0", State: screen.StateDone}, {Name: "Network", State: screen.StateFailed, Detail: "no route"},
				{Name: "Clock", State: screen.StateRunning}, {Name: "Disk", State: screen.StatePending}, {Name: "Battery", State: screen.StateSkipped}},
			Categories: []screen.Category{
				{Name: "Device preparation", State: screen.StateDone, Items: []screen.Item{{Name: "Securing your hardware", State: screen.StateDone}}},
				{Name: "Device setup", State: screen.StateRunning, AppsDone: 2, AppsTotal: 5, Items: []screen.Item{{Name: "Certificates", State: screen.StatePending}}},
				{Name: "Account setup", State: screen.StatePending},
			}},
			[]string{"✓ TPM 2.0", "✗ Network — no route", "⟳ Clock", "· Disk", "– Battery",
				"✓ Device preparation", "✓ Securing your hardware", "⟳ Device setup", "· Certificates",
				"Apps (2 of 5)", "· Account setup", "03:12"},
			[]string{"Apps (0 of 0)"}},
		{"success", screen.View{Kind: screen.Success, Device: device, Elapsed: 3723 * time.Second, Actions: []screen.Action{screen.Reseal}},
			[]string{"Pre-provisioning complete", "Contoso pre-provisioned", "alice@contoso.com", "1:02:03", "Re[s]eal"}, nil},
		{"success with another title", screen.View{Kind: screen.Success, Title: "Done"},
			[]string{"Done", "Pre-provisioning complete"}, nil},
		{"pending", screen.View{Kind: screen.Pending, Device: device, Pending: []string{"Contoso VPN", "Office"},
			Actions: []screen.Action{screen.ConfirmReseal}},
			[]string{"Enrollment succeeded", "still pending", "Contoso VPN", "Office", "Reseal an[y]way"}, nil},
		{"failure", screen.View{Kind: screen.Failure, Device: device, Error: "App Contoso VPN failed (0x80070643)",
			Custom: "Call the helpdesk at 555-0100.", Elapsed: 10 * time.Minute,
			Actions: []screen.Action{screen.CollectLogs, screen.Reset}},
			[]string{"App Contoso VPN failed (0x80070643)", "Call the helpdesk at 555-0100.", "10:00", "PF3XK2LM",
				"Collect [l]ogs", "R[e]set"}, []string{"Re[t]ry"}},
		{"sealed", screen.View{Kind: screen.Sealed}, []string{"Shutting down…"}, nil},
		{"working", screen.View{Kind: screen.Working, Message: "Contacting the service"}, []string{"⠋ Contacting the service"}, nil},
		{"notice", screen.View{Kind: screen.Configuration, Notice: "Logs written to /var/log/whiteglove.zip"},
			[]string{"! Logs written to /var/log/whiteglove.zip"}, nil},
		{"desktop", screen.View{Kind: screen.Desktop, Device: device}, []string{"Desktop", "ready"}, nil},
		{"message", screen.View{Kind: screen.Progress, Message: "This could take a while."}, []string{"This could take a while."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.view(tt.view)
			txt := h.text()
			for _, w := range tt.want {
				if !strings.Contains(txt, w) {
					t.Errorf("missing %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(txt, w) {
					t.Errorf("unexpected %q", w)
				}
			}
			if t.Failed() {
				t.Log("\n" + txt)
			}
		})
	}
}

func TestSpinnerTurns(t *testing.T) {
	h := newHarness(t, Options{})
	h.view(screen.View{Kind: screen.Working, Message: "Contacting the service"})
	first := h.text()
	h.send(spinMsg{})
	if h.text() == first {
		t.Fatal("spinner did not move")
	}
	h.view(screen.View{Kind: screen.Sealed})
	h.send(spinMsg{}) // a late tick stops quietly
	if h.m.ticking {
		t.Fatal("spinner still ticking off the Working screen")
	}
}

// TestTinyWindows renders every screen at widths down to nothing.
func TestTinyWindows(t *testing.T) {
	views := []screen.View{
		welcome,
		{Kind: screen.Configuration, Device: device, QR: `{"ZtdId":"x"}`, Notice: "n", Message: "a long message that must wrap",
			Actions: []screen.Action{screen.Refresh, screen.Provision}},
		{Kind: screen.Blocked, Problem: &screen.Problem{Code: "C", Message: "M", Action: "A"}},
		{Kind: screen.Progress, Checks: []screen.Check{{Name: "TPM"}}, Categories: []screen.Category{{Name: "Device setup", AppsTotal: 3, Items: []screen.Item{{Name: "x"}}}}},
		{Kind: screen.Success, Device: device, QR: "q"},
		{Kind: screen.Pending, Pending: []string{"日本語のアプリ"}},
		{Kind: screen.Failure, Error: "e", Custom: "c", Problem: &screen.Problem{}},
		{Kind: screen.Sealed}, {Kind: screen.Working}, signIn,
		{Kind: screen.Network}, {Kind: screen.Desktop}, {Kind: "unknown", Actions: []screen.Action{"mystery"}},
	}
	for _, v := range views {
		for w := 0; w <= 12; w++ {
			h := newHarness(t, Options{})
			h.view(v)
			h.send(sizeMsg(w))
			_ = h.text()
			if v.Kind == screen.Welcome {
				h.keys(f12, f12, f12, f12, f12)
				_ = h.text()
			}
		}
	}
	// The title never runs past the width it is given.
	h := newHarness(t, Options{})
	h.view(screen.View{Kind: screen.Configuration, Title: strings.Repeat("long title ", 20)})
	h.send(sizeMsg(40))
	if first := strings.Split(h.text(), "\n")[0]; ansi.StringWidth(first) > 40 {
		t.Fatalf("title is %d columns wide at 40", ansi.StringWidth(first))
	}
}
