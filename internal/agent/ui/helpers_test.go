package ui

import (
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// clock is a fake clock the tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// harness drives a Model the way bubbletea would, without a terminal.
type harness struct {
	t      *testing.T
	m      Model
	inputs chan screen.Input
	clock  *clock
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	c := &clock{t: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = c.now
	}
	if opts.Out == nil {
		opts.Out = io.Discard // no colours: assertions see plain text
	}
	in := make(chan screen.Input, 64)
	h := &harness{t: t, m: NewModel(in, opts), inputs: in, clock: c}
	h.m.spinEvery = time.Nanosecond // ticks the harness runs return at once
	h.send(tea.WindowSizeMsg{Width: 120, Height: 60})
	return h
}

// send feeds msgs to the model one by one and runs the commands they
// return, as bubbletea would (sends are commands).
func (h *harness) send(msgs ...tea.Msg) {
	h.t.Helper()
	for _, msg := range msgs {
		next, cmd := h.m.Update(msg)
		h.m = next.(Model)
		run(cmd)
	}
}

func run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if batch, ok := cmd().(tea.BatchMsg); ok {
		for _, c := range batch {
			run(c)
		}
	}
}

func (h *harness) view(v screen.View) { h.t.Helper(); h.send(ViewMsg(v)) }

// keys presses each key; a string of runes types them one by one.
func (h *harness) keys(keys ...tea.KeyMsg) {
	h.t.Helper()
	for _, k := range keys {
		h.send(k)
	}
}

func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(runeKey(r))
	}
}

// got returns the inputs sent so far.
func (h *harness) got() []screen.Input {
	var out []screen.Input
	for {
		select {
		case in := <-h.inputs:
			out = append(out, in)
		default:
			return out
		}
	}
}

// text is the rendered screen without styling.
func (h *harness) text() string { return ansi.Strip(h.m.View()) }

func key(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t} }
func runeKey(r rune) tea.KeyMsg    { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}} }

var (
	f12   = key(tea.KeyF12)
	enter = key(tea.KeyEnter)
	tab   = key(tea.KeyTab)
	down  = key(tea.KeyDown)
)

func actionsOf(ins []screen.Input) []screen.Action {
	out := make([]screen.Action, len(ins))
	for i, in := range ins {
		out[i] = in.Action
	}
	return out
}

func sizeMsg(w int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: 40} }
