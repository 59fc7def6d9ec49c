package ui

import (
	"strings"
	"unicode"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// button is how an action is drawn: its label and its shortcut letter (a
// letter of the label, drawn in brackets).
type button struct {
	label string
	key   rune
}

// buttons maps every action to its label and a shortcut letter unique across
// all actions, so a letter never means two things on one screen.
var buttons = map[screen.Action]button{
	screen.Preprovision:   {"Windows Autopilot provisioning", 'w'},
	screen.Cancel:         {"Cancel", 'a'},
	screen.Next:           {"Next", 'n'},
	screen.Refresh:        {"Refresh", 'r'},
	screen.Provision:      {"Provision", 'p'},
	screen.Reseal:         {"Reseal", 's'},
	screen.ConfirmReseal:  {"Reseal anyway", 'y'},
	screen.CollectLogs:    {"Collect logs", 'l'},
	screen.Reset:          {"Reset", 'e'},
	screen.Retry:          {"Retry", 't'},
	screen.ContinueAnyway: {"Continue anyway", 'c'},
	screen.Quit:           {"Quit", 'q'},
	screen.SubmitSignIn:   {"Sign in", 'i'},
}

// buttonFor returns the button of an action; an unknown action is labelled
// with its name and has no shortcut.
func buttonFor(a screen.Action) button {
	if b, ok := buttons[a]; ok {
		return b
	}
	return button{label: string(a)}
}

// caption is the label with its shortcut letter in brackets, preferring
// the start of a word: "[P]rovision", "Re[s]eal", "Collect [l]ogs".
func (b button) caption() string {
	if b.key == 0 {
		return b.label
	}
	r := []rune(b.label)
	at := -1
	for i, c := range r {
		if unicode.ToLower(c) != b.key {
			continue
		}
		if i == 0 || r[i-1] == ' ' {
			at = i
			break
		}
		if at < 0 {
			at = i
		}
	}
	if at < 0 {
		return "[" + strings.ToUpper(string(b.key)) + "] " + b.label
	}
	return string(r[:at]) + "[" + string(r[at]) + "]" + string(r[at+1:])
}

// shortcut returns the offered action whose shortcut is r (any case).
func shortcut(v screen.View, r rune) (screen.Action, bool) {
	r = unicode.ToLower(r)
	for _, a := range v.Actions {
		if b := buttonFor(a); b.key != 0 && b.key == r {
			return a, true
		}
	}
	return "", false
}
