package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// body draws what is particular to each kind of screen.
func (m Model) body(w int) string {
	v := m.view
	switch v.Kind {
	case screen.Welcome:
		names := make([]string, len(m.langs))
		for i, l := range m.langs {
			names[i] = l.Name
		}
		return m.list(names, m.lang)
	case screen.Options:
		return wrap("Choose how to set up this device.", w)
	case screen.Working:
		msg := v.Message
		if msg == "" {
			msg = "Please wait…"
		}
		return wrap(spinner[m.spin%len(spinner)]+" "+msg, w)
	case screen.Configuration:
		return m.detailsAndQR(w)
	case screen.Blocked:
		return join(m.problem(v.Problem, w), m.detailsAndQR(w))
	case screen.Progress:
		return join(m.progress(w), "Elapsed time: "+elapsed(v.Elapsed))
	case screen.Success:
		head := ""
		if v.Title != "" && v.Title != defaultTitles[screen.Success] {
			head = m.st.ok.Render("✓ Pre-provisioning complete")
		}
		return join(head, m.detailsAndQR(w), "Elapsed time: "+elapsed(v.Elapsed))
	case screen.Pending:
		return join(m.pending(w), m.detailsAndQR(w), "Elapsed time: "+elapsed(v.Elapsed))
	case screen.Failure:
		errText := ""
		if v.Error != "" {
			errText = m.st.bad.Render(wrap("✗ "+v.Error, w))
		}
		return join(errText, m.problem(v.Problem, w), wrap(v.Custom, w),
			"Elapsed time: "+elapsed(v.Elapsed), m.detailsAndQR(w))
	case screen.Sealed:
		return "Shutting down…"
	case screen.SignIn:
		return m.signIn(w)
	case screen.Network:
		names := make([]string, len(networks))
		for i, n := range networks {
			names[i] = n.label
		}
		return m.list(names, m.network)
	case screen.Desktop:
		s := "Your device is ready. Welcome to your desktop."
		if o := v.Device.Organization; o != "" {
			s += "\n" + o
		}
		return wrap(s, w)
	}
	return ""
}

// problem draws why the device cannot go on and what to do.
func (m Model) problem(p *screen.Problem, w int) string {
	if p == nil {
		return ""
	}
	var lines []string
	if p.Code != "" {
		lines = append(lines, m.st.bad.Render(wrap("✗ "+p.Code, w)))
	}
	if p.Message != "" {
		lines = append(lines, m.st.bold.Render(wrap(p.Message, w)))
	}
	if p.Action != "" {
		lines = append(lines, wrap("What to do: "+p.Action, w))
	}
	return strings.Join(lines, "\n")
}

// details are the device's identity as Configuration, Success, Failure and
// Pending show it.
func (m Model) details(w int) string {
	d := m.view.Device
	user := d.User
	if user == "" {
		user = "none"
	}
	rows := [][2]string{
		{"Profile", d.Profile},
		{"Organization", d.Organization},
		{"Assigned user", user},
		{"ZTDId", d.ZTDID},
		{"Serial number", d.SerialNumber},
	}
	if d.DeviceName != "" {
		rows = append(rows, [2]string{"Device name", d.DeviceName})
	}
	lines := make([]string, 0, len(rows))
	for _, r := range rows {
		val := r[1]
		if val == "" {
			val = "—"
		}
		lines = append(lines, wrap(fmt.Sprintf("%-14s %s", r[0]+":", val), w))
	}
	return strings.Join(lines, "\n")
}

// detailsAndQR puts the QR code right of the details when the window is
// wide enough, under them when not, and says so when it cannot fit at all.
func (m Model) detailsAndQR(w int) string {
	det := m.details(w)
	if m.view.QR == "" {
		return det
	}
	lines, err := m.qr.get(m.view.QR)
	if err != nil {
		return join(det, wrap("QR code unavailable: "+err.Error(), w))
	}
	qw := ansi.StringWidth(lines[0])
	if qw > w {
		return join(det, wrap(fmt.Sprintf("Widen the window to %d columns to show the QR code.", qw), w))
	}
	styled := make([]string, len(lines))
	for i, l := range lines {
		styled[i] = m.st.qr.Render(l)
	}
	qr := strings.Join(styled, "\n")
	if lipgloss.Width(det)+3+qw <= w {
		return lipgloss.JoinHorizontal(lipgloss.Top, det, "   ", qr)
	}
	return join(det, qr)
}

// progress draws the ESP: requirement checks, then the categories.
func (m Model) progress(w int) string {
	v := m.view
	var blocks []string
	if len(v.Checks) > 0 {
		lines := []string{m.st.bold.Render("Requirements")}
		for _, c := range v.Checks {
			lines = append(lines, m.stateLine("  ", c.State, c.Name, c.Detail, w))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	for _, c := range v.Categories {
		head := m.paint(c.State, symbol(c.State)+" "+c.Name) + m.st.dim.Render(" ("+stateWord(c.State)+")")
		lines := []string{m.st.bold.Render(head)}
		for _, it := range c.Items {
			lines = append(lines, m.stateLine("    ", it.State, it.Name, it.Detail, w))
		}
		if c.AppsTotal > 0 {
			lines = append(lines, fmt.Sprintf("    Apps (%d of %d)", c.AppsDone, c.AppsTotal))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	return join(blocks...)
}

// stateLine is one check or item: symbol, name, detail.
func (m Model) stateLine(indent string, s screen.State, name, detail string, w int) string {
	text := symbol(s) + " " + name
	if detail != "" {
		text += " — " + detail
	}
	return m.paint(s, wrap(indent+text, w))
}

// paint colours text by state: done green, failed red, running yellow.
func (m Model) paint(s screen.State, text string) string {
	switch s {
	case screen.StateDone:
		return m.st.ok.UnsetBold().Render(text)
	case screen.StateFailed:
		return m.st.bad.Render(text)
	case screen.StateRunning:
		return m.st.warn.Render(text)
	case screen.StateSkipped:
		return m.st.dim.Render(text)
	}
	return text
}

// pending says enrollment succeeded and lists what is not done yet.
func (m Model) pending(w int) string {
	lines := []string{m.st.ok.Render(wrap("✓ Enrollment succeeded", w)),
		wrap("These items are still pending:", w)}
	for _, p := range m.view.Pending {
		lines = append(lines, m.st.warn.Render(wrap("  · "+p, w)))
	}
	lines = append(lines, "", wrap("Reseal the device anyway? The pending items will not be complete when it ships.", w))
	return strings.Join(lines, "\n")
}

// signIn draws the branded sign-in form; secrets are masked.
func (m Model) signIn(w int) string {
	v := m.view
	var blocks []string
	if v.Title != "" && v.Device.Organization != "" {
		blocks = append(blocks, m.st.bold.Render(wrap(v.Title, w)))
	}
	if v.Error != "" {
		blocks = append(blocks, m.st.bad.Render(wrap("✗ "+v.Error, w)))
	}
	var lines []string
	for i, f := range v.Fields {
		val := m.fields[f]
		if masked(f) {
			val = strings.Repeat("•", len([]rune(val)))
		}
		marker := "  "
		if i == m.focus {
			marker = "> "
			val += "▏"
		}
		line := ansi.Truncate(fmt.Sprintf("%s%-10s %s", marker, fieldLabel(f)+":", val), max(w, 1), "…")
		if i == m.focus {
			line = m.st.selected.Render(line)
		}
		lines = append(lines, line)
	}
	blocks = append(blocks, strings.Join(lines, "\n"))
	return join(blocks...)
}

// fieldLabel names a sign-in field for people.
func fieldLabel(f string) string {
	switch strings.ToLower(f) {
	case "user", "username", "upn":
		return "User name"
	case "password":
		return "Password"
	case "":
		return ""
	}
	r := []rune(f)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
