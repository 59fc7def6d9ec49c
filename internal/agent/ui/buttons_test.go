package ui

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// allActions are every action a button can stand for.
var allActions = []screen.Action{
	screen.Preprovision, screen.Cancel, screen.Next, screen.Refresh, screen.Provision,
	screen.Reseal, screen.ConfirmReseal, screen.CollectLogs, screen.Reset, screen.Retry,
	screen.ContinueAnyway, screen.Quit, screen.SubmitSignIn,
}

func TestCaptions(t *testing.T) {
	tests := map[screen.Action]string{
		screen.Provision:      "[P]rovision",
		screen.Refresh:        "[R]efresh",
		screen.Reseal:         "Re[s]eal",
		screen.CollectLogs:    "Collect [l]ogs",
		screen.Reset:          "R[e]set",
		screen.Retry:          "Re[t]ry",
		screen.ContinueAnyway: "[C]ontinue anyway",
		screen.ConfirmReseal:  "Reseal an[y]way",
		screen.Next:           "[N]ext",
		screen.Cancel:         "C[a]ncel",
		"somethingNew":        "somethingNew",
	}
	for a, want := range tests {
		if got := buttonFor(a).caption(); got != want {
			t.Errorf("caption(%s) = %q, want %q", a, got, want)
		}
	}
	seen := map[rune]screen.Action{}
	for _, a := range allActions {
		k := buttonFor(a).key
		if prev, dup := seen[k]; dup {
			t.Errorf("shortcut %q used by %s and %s", k, prev, a)
		}
		seen[k] = a
	}
}

var buttonScreens = []screen.View{
	{Kind: screen.Configuration, Actions: []screen.Action{screen.Refresh, screen.Provision}},
	{Kind: screen.Blocked, Actions: []screen.Action{screen.Refresh, screen.Reset}},
	{Kind: screen.Success, Actions: []screen.Action{screen.Reseal}},
	{Kind: screen.Pending, Actions: []screen.Action{screen.ConfirmReseal, screen.Refresh}},
	{Kind: screen.Failure, Actions: []screen.Action{screen.CollectLogs, screen.Reset, screen.Retry, screen.ContinueAnyway}},
	{Kind: screen.Failure, Actions: []screen.Action{screen.Reset}},
	{Kind: screen.Options, Actions: []screen.Action{screen.Preprovision, screen.Cancel}},
	{Kind: screen.Progress},
}

func TestOnlyOfferedButtonsAreDrawn(t *testing.T) {
	for _, v := range buttonScreens {
		h := newHarness(t, Options{})
		h.view(v)
		txt := h.text()
		for _, a := range allActions {
			c := buttonFor(a).caption()
			if got, want := strings.Contains(txt, c), v.Offers(a); got != want {
				t.Errorf("%s %v: button %q drawn = %v, want %v:\n%s", v.Kind, v.Actions, c, got, want, txt)
			}
		}
	}
}

func TestTabReachesExactlyTheOfferedButtons(t *testing.T) {
	for _, v := range buttonScreens {
		h := newHarness(t, Options{})
		h.view(v)
		// Enter, then Tab, around twice: each offered action in order, then again.
		for range 2 * len(v.Actions) {
			h.keys(enter, tab)
		}
		want := append(slices.Clone(v.Actions), v.Actions...)
		if got := actionsOf(h.got()); !slices.Equal(got, want) {
			t.Errorf("%s: Tab+Enter sent %v, want %v", v.Kind, got, want)
		}
		// Left from the first button wraps to the last.
		h.view(screen.View{Kind: screen.Welcome})
		h.view(v)
		h.keys(key(tea.KeyLeft), enter)
		if n := len(v.Actions); n > 0 {
			if got := actionsOf(h.got()); !slices.Equal(got, v.Actions[n-1:]) {
				t.Errorf("%s: Left+Enter sent %v, want %v", v.Kind, got, v.Actions[n-1])
			}
		}
	}
}

func TestShortcuts(t *testing.T) {
	failure := screen.View{Kind: screen.Failure, Actions: []screen.Action{screen.CollectLogs, screen.Reset, screen.Retry}}
	config := screen.View{Kind: screen.Configuration, Actions: []screen.Action{screen.Refresh, screen.Provision}}
	tests := []struct {
		name string
		view screen.View
		key  tea.KeyMsg
		want []screen.Action
	}{
		{"provision", config, runeKey('p'), []screen.Action{screen.Provision}},
		{"upper case", config, runeKey('P'), []screen.Action{screen.Provision}},
		{"refresh", config, runeKey('r'), []screen.Action{screen.Refresh}},
		{"reseal not offered", config, runeKey('s'), nil},
		{"collect logs", failure, runeKey('l'), []screen.Action{screen.CollectLogs}},
		{"reset", failure, runeKey('e'), []screen.Action{screen.Reset}},
		{"retry", failure, runeKey('t'), []screen.Action{screen.Retry}},
		{"continue anyway not offered", failure, runeKey('c'), nil},
		{"provision not offered", failure, runeKey('p'), nil},
		{"reseal", screen.View{Kind: screen.Success, Actions: []screen.Action{screen.Reseal}}, runeKey('s'), []screen.Action{screen.Reseal}},
		{"confirm reseal", screen.View{Kind: screen.Pending, Actions: []screen.Action{screen.ConfirmReseal}}, runeKey('y'), []screen.Action{screen.ConfirmReseal}},
		{"plain reseal not offered on pending", screen.View{Kind: screen.Pending, Actions: []screen.Action{screen.ConfirmReseal}}, runeKey('s'), nil},
		{"continue anyway", screen.View{Kind: screen.Failure, Actions: []screen.Action{screen.ContinueAnyway}}, runeKey('c'), []screen.Action{screen.ContinueAnyway}},
		{"esc cancels when offered", screen.View{Kind: screen.Options, Actions: []screen.Action{screen.Preprovision, screen.Cancel}}, key(tea.KeyEsc), []screen.Action{screen.Cancel}},
		{"esc without cancel", config, key(tea.KeyEsc), nil},
		{"no buttons", screen.View{Kind: screen.Progress}, runeKey('r'), nil},
		{"ctrl+c quits anywhere", screen.View{Kind: screen.Progress}, key(tea.KeyCtrlC), []screen.Action{screen.Quit}},
		{"alt+letter is not a shortcut", config, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'p'}, Alt: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			h.view(tt.view)
			h.keys(tt.key)
			if got := actionsOf(h.got()); !slices.Equal(got, tt.want) {
				t.Fatalf("sent %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCtrlCBeforeAnyView(t *testing.T) {
	h := newHarness(t, Options{})
	h.keys(key(tea.KeyCtrlC), runeKey('p'), enter)
	if got := actionsOf(h.got()); !slices.Equal(got, []screen.Action{screen.Quit}) {
		t.Fatalf("sent %v, want [quit]", got)
	}
}

func TestFocusSurvivesUpdatesOfTheSameScreen(t *testing.T) {
	h := newHarness(t, Options{})
	v := screen.View{Kind: screen.Failure, Actions: []screen.Action{screen.CollectLogs, screen.Reset, screen.Retry}}
	h.view(v)
	h.keys(tab, tab)
	v.Notice = "Logs written to /tmp/logs.zip"
	h.view(v)
	h.keys(enter)
	if got := actionsOf(h.got()); !slices.Equal(got, []screen.Action{screen.Retry}) {
		t.Fatalf("sent %v, want [retry]", got)
	}
	if !strings.Contains(h.text(), "> Re[t]ry <") {
		t.Fatalf("focused button not marked:\n%s", h.text())
	}
	h.view(screen.View{Kind: screen.Failure, Actions: []screen.Action{screen.Reset}})
	h.keys(enter)
	if got := actionsOf(h.got()); !slices.Equal(got, []screen.Action{screen.Reset}) {
		t.Fatalf("after the actions changed, Enter sent %v, want [reset]", got)
	}
}

func TestWelcomeLanguage(t *testing.T) {
	tests := []struct {
		name     string
		language string
		keys     []tea.KeyMsg
		want     string
	}{
		{"default", "", nil, "en-US"},
		{"down twice", "", []tea.KeyMsg{down, down}, "de-DE"},
		{"up stops at the top", "", []tea.KeyMsg{key(tea.KeyUp)}, "en-US"},
		{"from the view by tag", "fr-FR", nil, "fr-FR"},
		{"from the view by name", "English (United Kingdom)", nil, "en-GB"},
		{"view's choice then down", "ja-JP", []tea.KeyMsg{down}, "zh-CN"},
		{"unknown language is listed", "eu-ES", nil, "eu-ES"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			v := welcome
			v.Language = tt.language
			h.view(v)
			h.keys(tt.keys...)
			h.keys(runeKey('n'))
			got := h.got()
			if len(got) != 1 || got[0].Action != screen.Next || got[0].Values["language"] != tt.want {
				t.Fatalf("sent %+v, want next with language %s", got, tt.want)
			}
		})
	}
}

func TestNetworkChoice(t *testing.T) {
	for _, tt := range []struct {
		keys []tea.KeyMsg
		want string
	}{{nil, "wired"}, {[]tea.KeyMsg{down}, "wifi"}, {[]tea.KeyMsg{down, down, key(tea.KeyUp)}, "wired"}} {
		h := newHarness(t, Options{})
		h.view(screen.View{Kind: screen.Network, Actions: []screen.Action{screen.Next}})
		if txt := h.text(); !strings.Contains(txt, "Wired (connected)") || !strings.Contains(txt, "Wi-Fi") {
			t.Fatalf("choices missing:\n%s", txt)
		}
		h.keys(tt.keys...)
		h.keys(enter)
		got := h.got()
		if len(got) != 1 || got[0].Action != screen.Next || got[0].Values["network"] != tt.want {
			t.Fatalf("sent %+v, want next with network %s", got, tt.want)
		}
	}
}
