package ui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

var welcome = screen.View{Kind: screen.Welcome, Actions: []screen.Action{screen.Next}}

const dialogText = "Windows Autopilot provisioning"

func TestFiveWindowsKeyPressesOpenOptions(t *testing.T) {
	h := newHarness(t, Options{})
	h.view(welcome)
	if strings.Contains(h.text(), dialogText) {
		t.Fatal("options dialog shown before any press")
	}
	for range 5 {
		h.clock.advance(300 * time.Millisecond)
		h.keys(f12)
	}
	txt := h.text()
	if !strings.Contains(txt, "Options") || !strings.Contains(txt, dialogText) || !strings.Contains(txt, "Cancel") {
		t.Fatalf("options dialog not shown after five presses:\n%s", txt)
	}
	if got := h.got(); len(got) != 0 {
		t.Fatalf("opening the dialog sent %v; it is local", got)
	}
	h.keys(enter)
	got := h.got()
	if len(got) != 1 || got[0].Action != screen.Preprovision {
		t.Fatalf("Enter on provisioning sent %v, want [preprovision]", actionsOf(got))
	}
	if strings.Contains(h.text(), dialogText) {
		t.Fatal("dialog still open after choosing")
	}
}

func TestOptionsCancelReturnsToWelcome(t *testing.T) {
	h := newHarness(t, Options{})
	h.view(welcome)
	h.keys(f12, f12, f12, f12, f12, down, enter)
	if got := h.got(); len(got) != 0 {
		t.Fatalf("Cancel sent %v; it closes the dialog locally", actionsOf(got))
	}
	txt := h.text()
	if strings.Contains(txt, dialogText) || !strings.Contains(txt, "English (United States)") {
		t.Fatalf("not back on Welcome:\n%s", txt)
	}
	// Esc closes too, and the count starts again from zero.
	h.keys(f12, f12, f12, f12, f12, key(tea.KeyEsc))
	if strings.Contains(h.text(), dialogText) {
		t.Fatal("Esc did not close the dialog")
	}
}

func TestWindowsKeySequence(t *testing.T) {
	type step struct {
		wait time.Duration
		key  tea.KeyMsg
	}
	presses := func(n int, gap time.Duration) []step {
		s := make([]step, n)
		for i := range s {
			s[i] = step{gap, f12}
		}
		return s
	}
	cat := func(parts ...[]step) []step {
		var out []step
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name  string
		view  screen.View
		opts  Options
		steps []step
		open  bool
	}{
		{"five quick presses", welcome, Options{}, presses(5, 100*time.Millisecond), true},
		{"exactly two seconds apart", welcome, Options{}, presses(5, 2*time.Second), true},
		{"four presses", welcome, Options{}, presses(4, 0), false},
		{"four, another key, one", welcome, Options{},
			cat(presses(4, 0), []step{{0, runeKey('x')}}, presses(1, 0)), false},
		{"four, arrow key, one", welcome, Options{},
			cat(presses(4, 0), []step{{0, down}}, presses(1, 0)), false},
		{"four, another key, five", welcome, Options{},
			cat(presses(4, 0), []step{{0, runeKey('x')}}, presses(5, 0)), true},
		{"spaced more than two seconds", welcome, Options{}, presses(5, 2100*time.Millisecond), false},
		{"a long pause restarts the count", welcome, Options{},
			cat(presses(3, 0), presses(1, 3*time.Second), presses(4, time.Second)), true},
		{"on Configuration", screen.View{Kind: screen.Configuration,
			Actions: []screen.Action{screen.Refresh, screen.Provision}}, Options{}, presses(5, 0), false},
		{"on Progress", screen.View{Kind: screen.Progress}, Options{}, presses(10, 0), false},
		{"configured key", welcome, Options{WindowsKey: "F9"},
			[]step{{0, key(tea.KeyF9)}, {0, key(tea.KeyF9)}, {0, key(tea.KeyF9)}, {0, key(tea.KeyF9)}, {0, key(tea.KeyF9)}}, true},
		{"default key when another is configured", welcome, Options{WindowsKey: "f9"}, presses(5, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts)
			h.view(tt.view)
			for _, s := range tt.steps {
				h.clock.advance(s.wait)
				h.keys(s.key)
			}
			if open := strings.Contains(h.text(), dialogText); open != tt.open {
				t.Fatalf("dialog open = %v, want %v:\n%s", open, tt.open, h.text())
			}
			if got := h.got(); len(got) != 0 {
				t.Fatalf("sent %v", actionsOf(got))
			}
		})
	}
}

func TestWindowsKeyInHelpLine(t *testing.T) {
	for _, k := range []string{"", "f9"} {
		h := newHarness(t, Options{WindowsKey: k})
		h.view(welcome)
		want := "F12 = Windows key"
		if k != "" {
			want = "F9 = Windows key"
		}
		if !strings.Contains(h.text(), want) {
			t.Errorf("WindowsKey %q: help line lacks %q:\n%s", k, want, h.text())
		}
	}
}

func TestNewViewClosesDialog(t *testing.T) {
	h := newHarness(t, Options{})
	h.view(welcome)
	h.keys(f12, f12, f12, f12, f12)
	h.view(welcome) // the same screen again keeps it open
	if !strings.Contains(h.text(), dialogText) {
		t.Fatal("republished Welcome closed the dialog")
	}
	h.view(screen.View{Kind: screen.Working, Message: "Contacting the service"})
	if strings.Contains(h.text(), dialogText) {
		t.Fatal("dialog survived a change of screen")
	}
}
