package ui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

var signIn = screen.View{
	Kind:    screen.SignIn,
	Title:   "Sign in with your work account",
	Device:  screen.Device{Organization: "Contoso"},
	Fields:  []string{"user", "password"},
	Actions: []screen.Action{screen.SubmitSignIn},
}

const secret = "S3cr3t pass!"

func TestSignInSendsTypedFields(t *testing.T) {
	h := newHarness(t, Options{})
	h.view(signIn)
	txt := h.text()
	if !strings.Contains(txt, "Contoso") || !strings.Contains(txt, "User name") || !strings.Contains(txt, "Password") {
		t.Fatalf("branded form missing:\n%s", txt)
	}
	// Letters typed into a field are not shortcuts ("i" is Sign in's).
	h.typeText("alice@contoso.comx")
	h.keys(key(tea.KeyBackspace))
	h.keys(enter) // Enter in the user field moves on
	if got := h.got(); len(got) != 0 {
		t.Fatalf("typing and Enter in the first field sent %v", actionsOf(got))
	}
	h.typeText("S3cr3t")
	h.keys(key(tea.KeySpace))
	h.typeText("pass!")
	txt = h.text()
	if strings.Contains(txt, "S3cr3t") || strings.Contains(txt, "pass!") {
		t.Fatalf("password visible:\n%s", txt)
	}
	if !strings.Contains(txt, "alice@contoso.com") || !strings.Contains(txt, strings.Repeat("•", len(secret))) {
		t.Fatalf("user or masked password not drawn:\n%s", txt)
	}
	h.keys(enter)
	got := h.got()
	if len(got) != 1 || got[0].Action != screen.SubmitSignIn {
		t.Fatalf("sent %v, want [signIn]", actionsOf(got))
	}
	if v := got[0].Values; v["user"] != "alice@contoso.com" || v["password"] != secret {
		t.Fatalf("values = %q", v)
	}
}

func TestSignInErrorClearsPassword(t *testing.T) {
	h := newHarness(t, Options{})
	h.view(signIn)
	h.typeText("alice@contoso.com")
	h.keys(tab)
	h.typeText("wrong")
	h.keys(enter)
	h.got()
	rejected := signIn
	rejected.Error = "Your account or password is incorrect."
	h.view(rejected)
	txt := h.text()
	errAt, formAt := strings.Index(txt, rejected.Error), strings.Index(txt, "User name")
	if errAt < 0 || errAt > formAt {
		t.Fatalf("error not shown above the form:\n%s", txt)
	}
	h.typeText("right")
	h.keys(enter)
	got := h.got()
	if len(got) != 1 || got[0].Values["user"] != "alice@contoso.com" || got[0].Values["password"] != "right" {
		t.Fatalf("sent %+v, want the kept user and the new password", got)
	}
}

func TestSignInButtons(t *testing.T) {
	h := newHarness(t, Options{})
	v := signIn
	v.Actions = []screen.Action{screen.SubmitSignIn, screen.Cancel}
	h.view(v)
	h.typeText("bob")
	h.keys(tab, tab, key(tea.KeyRight), enter) // user → password → Sign in → Cancel
	got := h.got()
	if len(got) != 1 || got[0].Action != screen.Cancel || got[0].Values != nil {
		t.Fatalf("sent %+v, want cancel without values", got)
	}
	h.view(screen.View{Kind: screen.Welcome})
	h.view(v)
	h.keys(tab, tab, runeKey('i'))
	if got := h.got(); len(got) != 1 || got[0].Action != screen.SubmitSignIn {
		t.Fatalf("shortcut on a focused button sent %+v, want signIn", got)
	}
	// Without SubmitSignIn offered, Enter in the last field sends nothing.
	v.Actions = []screen.Action{screen.Cancel}
	h.view(screen.View{Kind: screen.Welcome})
	h.view(v)
	h.keys(tab, enter)
	if got := h.got(); len(got) != 0 {
		t.Fatalf("sent %v without SubmitSignIn offered", actionsOf(got))
	}
}

func TestSignInWithoutFieldsOrButtons(t *testing.T) {
	h := newHarness(t, Options{})
	h.view(screen.View{Kind: screen.SignIn})
	h.keys(enter, tab, runeKey('x'), key(tea.KeyBackspace), key(tea.KeyLeft))
	if got := h.got(); len(got) != 0 {
		t.Fatalf("sent %v", actionsOf(got))
	}
}
