package ui

import (
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// key turns one key press into local state changes and, maybe, an input.
func (m Model) key(k tea.KeyMsg) (Model, tea.Cmd) {
	key := k.String()
	if key == "ctrl+c" {
		m.presses = 0
		return m, m.send(screen.Input{Action: screen.Quit})
	}
	if !m.hasView {
		return m, nil
	}
	welcome := m.view.Kind == screen.Welcome
	if key == m.winKey && welcome {
		if !m.options {
			m.pressWindowsKey()
		}
		return m, nil
	}
	m.presses = 0 // any other key breaks the sequence
	switch {
	case welcome && m.options:
		return m.optionsKey(key)
	case m.view.Kind == screen.SignIn:
		return m.signInKey(k)
	}
	return m.buttonKey(k)
}

// pressWindowsKey counts a Windows-key press on the Welcome screen; the
// fifth in a row, each within windowsGap of the last, opens Options.
func (m *Model) pressWindowsKey() {
	now := m.now()
	if m.presses > 0 && now.Sub(m.lastPress) > windowsGap {
		m.presses = 0
	}
	m.presses++
	m.lastPress = now
	if m.presses >= windowsPresses {
		m.presses, m.options, m.optFocus = 0, true, 0
	}
}

// optionsKey drives the local Options dialog: provisioning or Cancel.
func (m Model) optionsKey(key string) (Model, tea.Cmd) {
	switch key {
	case "up", "down", "left", "right", "tab", "shift+tab":
		m.optFocus = 1 - m.optFocus
	case "esc":
		m.options = false
	case "enter":
		m.options = false
		if m.optFocus == 0 {
			return m, m.send(screen.Input{Action: screen.Preprovision})
		}
	}
	return m, nil
}

// buttonKey handles the screens without text input.
func (m Model) buttonKey(k tea.KeyMsg) (Model, tea.Cmd) {
	switch k.String() {
	case "left", "shift+tab":
		m.moveFocus(-1, 0)
	case "right", "tab":
		m.moveFocus(1, 0)
	case "up":
		m.choose(-1)
	case "down":
		m.choose(1)
	case "enter":
		if m.focus < len(m.view.Actions) {
			return m, m.press(m.view.Actions[m.focus])
		}
	case "esc":
		if m.view.Offers(screen.Cancel) {
			return m, m.press(screen.Cancel)
		}
	default:
		if k.Type == tea.KeyRunes && !k.Alt && len(k.Runes) == 1 {
			if a, ok := shortcut(m.view, k.Runes[0]); ok {
				return m, m.press(a)
			}
		}
	}
	return m, nil
}

// choose moves the selection of the Welcome language or Network list.
func (m *Model) choose(d int) {
	switch m.view.Kind {
	case screen.Welcome:
		m.lang = clamp(m.lang+d, len(m.langs))
	case screen.Network:
		m.network = clamp(m.network+d, len(networks))
	}
}

// signInKey types into the focused field, or handles the buttons.
func (m Model) signInKey(k tea.KeyMsg) (Model, tea.Cmd) {
	nf := len(m.view.Fields)
	if m.focus >= nf {
		switch k.String() {
		case "tab", "down":
			m.moveFocus(1, -1)
		case "shift+tab", "up":
			m.moveFocus(-1, -1)
		case "left":
			m.moveFocus(-1, nf)
		case "right":
			m.moveFocus(1, nf)
		case "enter":
			if i := m.focus - nf; i < len(m.view.Actions) {
				return m, m.press(m.view.Actions[i])
			}
		default:
			if k.Type == tea.KeyRunes && !k.Alt && len(k.Runes) == 1 {
				if a, ok := shortcut(m.view, k.Runes[0]); ok {
					return m, m.press(a)
				}
			}
		}
		return m, nil
	}
	field := m.view.Fields[m.focus]
	switch k.Type {
	case tea.KeyTab, tea.KeyDown:
		m.moveFocus(1, -1)
	case tea.KeyShiftTab, tea.KeyUp:
		m.moveFocus(-1, -1)
	case tea.KeyEnter:
		if m.focus < nf-1 {
			m.focus++
		} else if m.view.Offers(screen.SubmitSignIn) {
			return m, m.press(screen.SubmitSignIn)
		}
	case tea.KeyBackspace:
		if s := m.fields[field]; s != "" {
			_, n := utf8.DecodeLastRuneInString(s)
			m.fields[field] = s[:len(s)-n]
		}
	case tea.KeyCtrlU:
		m.fields[field] = ""
	case tea.KeySpace:
		m.fields[field] += " "
	case tea.KeyRunes:
		if !k.Alt {
			m.fields[field] += string(k.Runes)
		}
	}
	return m, nil
}

// moveFocus moves focus by d, wrapping. With from >= 0 it stays among the
// slots from there on (the buttons); with from < 0 it covers all slots.
func (m *Model) moveFocus(d, from int) {
	if from < 0 {
		from = 0
	}
	n := m.slots() - from
	if n <= 0 {
		return
	}
	m.focus = from + ((m.focus-from+d)%n+n)%n
}

// press sends action a with what the screen collected: the language on
// Welcome, the network on Network, the typed fields on SignIn. Focus moves
// to the pressed button.
func (m *Model) press(a screen.Action) tea.Cmd {
	for i, x := range m.view.Actions {
		if x == a {
			m.focus = i
			if m.view.Kind == screen.SignIn {
				m.focus += len(m.view.Fields)
			}
		}
	}
	in := screen.Input{Action: a}
	switch {
	case m.view.Kind == screen.Welcome && a == screen.Next:
		l := m.langs[m.lang]
		in.Values = map[string]string{"language": l.Tag, "languageName": l.Name}
	case m.view.Kind == screen.Network && a == screen.Next:
		in.Values = map[string]string{"network": networks[m.network].value}
	case m.view.Kind == screen.SignIn && a == screen.SubmitSignIn:
		in.Values = make(map[string]string, len(m.view.Fields))
		for _, f := range m.view.Fields {
			in.Values[f] = m.fields[f]
		}
	}
	return m.send(in)
}

// clamp keeps i within [0, n).
func clamp(i, n int) int {
	if i >= n {
		i = n - 1
	}
	if i < 0 {
		i = 0
	}
	return i
}

// networks are the Network screen's choices.
var networks = []struct{ label, value string }{
	{"Wired (connected)", "wired"},
	{"Wi-Fi", "wifi"},
}
