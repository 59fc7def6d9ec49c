package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// View implements tea.Model: the whole screen as text, a pure function of
// the current screen.View and the local state (focus, choices, typing,
// window size).
func (m Model) View() string {
	w := m.width
	if w <= 0 {
		w = 80
	}
	if !m.hasView {
		return m.st.dim.Render("Starting…") + "\n"
	}
	v := m.view
	parts := []string{m.titleBar(w)}
	if v.Message != "" && v.Kind != screen.Working {
		parts = append(parts, wrap(v.Message, w))
	}
	if v.Notice != "" {
		parts = append(parts, m.st.notice.Render(ansi.Truncate(" ! "+v.Notice+" ", w, "…")))
	}
	if v.Kind == screen.Welcome && m.options {
		parts = append(parts, m.optionsDialog(), m.help(w))
		return strings.Join(parts, "\n\n") + "\n"
	}
	if body := m.body(w); body != "" {
		parts = append(parts, body)
	}
	if f := m.footer(w); f != "" {
		parts = append(parts, f)
	}
	parts = append(parts, m.help(w))
	return strings.Join(parts, "\n\n") + "\n"
}

// titleBar is the coloured first line: green on success, red on failure.
func (m Model) titleBar(w int) string {
	v := m.view
	st := m.st.title
	switch v.Kind {
	case screen.Success:
		st = m.st.titleOK
	case screen.Failure, screen.Blocked:
		st = m.st.titleBad
	case screen.Pending:
		st = m.st.titleWarn
	}
	title := v.Title
	if v.Kind == screen.SignIn && v.Device.Organization != "" {
		title = v.Device.Organization
	}
	if title == "" {
		title = defaultTitles[v.Kind]
	}
	if title == "" {
		title = "Windows Autopilot"
	}
	return st.Render(ansi.Truncate(title, max(w-2, 1), "…"))
}

var defaultTitles = map[screen.Kind]string{
	screen.Welcome:       "Let's start with language. Is this the right one?",
	screen.Options:       "Options",
	screen.Working:       "Just a moment…",
	screen.Configuration: "Windows Autopilot Configuration",
	screen.Blocked:       "Windows Autopilot can't continue",
	screen.Progress:      "Setting up your device for work",
	screen.Success:       "Pre-provisioning complete",
	screen.Pending:       "Enrollment complete, items pending",
	screen.Failure:       "Pre-provisioning failed",
	screen.Sealed:        "Resealed",
	screen.SignIn:        "Sign in",
	screen.Network:       "Let's connect you to a network",
	screen.Desktop:       "Desktop",
}

// footer draws exactly the offered actions, in order, the focused one
// marked, wrapping to the width.
func (m Model) footer(w int) string {
	v := m.view
	focus := m.focus
	if v.Kind == screen.SignIn {
		focus -= len(v.Fields)
	}
	var lines []string
	line := ""
	for i, a := range v.Actions {
		c := buttonFor(a).caption()
		var b string
		if i == focus {
			b = m.st.focused.Render("> " + c + " <")
		} else {
			b = m.st.button.Render("  " + c + "  ")
		}
		if line != "" && ansi.StringWidth(line)+1+ansi.StringWidth(b) > w {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += b
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// help is the key reminder at the bottom.
func (m Model) help(w int) string {
	var h string
	switch {
	case m.view.Kind == screen.Welcome && m.options:
		h = "↑/↓ choose · Enter select · Esc cancel"
	case m.view.Kind == screen.Welcome:
		h = "↑/↓ language · ←/→ Tab move · Enter press · " +
			strings.ToUpper(m.winKey) + " = Windows key (press 5× for options) · Ctrl+C quit"
	case m.view.Kind == screen.SignIn:
		h = "Tab/↑/↓ move · Enter sign in · Ctrl+C quit"
	case m.view.Kind == screen.Network:
		h = "↑/↓ choose · ←/→ Tab move · Enter press · Ctrl+C quit"
	case len(m.view.Actions) == 0:
		h = "Ctrl+C quit"
	default:
		h = "←/→ Tab move · Enter press · [letter] shortcut · Ctrl+C quit"
	}
	return m.st.dim.Render(wrap(h, w))
}

// optionsDialog is the dialog five Windows-key presses open.
func (m Model) optionsDialog() string {
	items := []string{"Windows Autopilot provisioning", "Cancel"}
	lines := []string{m.st.bold.Render("Options"), ""}
	for i, it := range items {
		if i == m.optFocus {
			lines = append(lines, m.st.selected.Render("> "+it))
		} else {
			lines = append(lines, "  "+it)
		}
	}
	return m.st.dialog.Render(strings.Join(lines, "\n"))
}

// wrap word-wraps s to w columns (at least one), breaking long words.
func wrap(s string, w int) string {
	return ansi.Wrap(s, max(w, 1), "")
}

// list draws lines with a marker on the selected one.
func (m Model) list(names []string, sel int) string {
	out := make([]string, len(names))
	for i, n := range names {
		if i == sel {
			out[i] = m.st.selected.Render("> " + n)
		} else {
			out[i] = "  " + n
		}
	}
	return strings.Join(out, "\n")
}

// join stacks the non-empty blocks with a blank line between them.
func join(blocks ...string) string {
	var out []string
	for _, b := range blocks {
		if b != "" {
			out = append(out, b)
		}
	}
	return strings.Join(out, "\n\n")
}
