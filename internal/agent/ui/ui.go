// Package ui is the device client's terminal user interface: it draws the
// screen.View values the provisioning state machine publishes and turns key
// presses into screen.Input values.
//
// Keys: ←/→, Tab and Shift+Tab move between buttons, Enter presses the
// focused button, and every button has a shortcut letter shown in brackets
// ("[P]rovision"). Only the actions the View offers are drawn or reachable.
// ↑/↓ choose in lists (language, network). Ctrl+C sends screen.Quit. On the
// Welcome screen, pressing the Windows key (F12 by default, see
// Options.WindowsKey) five times in a row opens the Options dialog, as on
// Windows.
package ui

import (
	"context"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// DefaultWindowsKey is the key that stands in for the Windows key when
// Options.WindowsKey is empty: terminals do not deliver the Windows key.
const DefaultWindowsKey = "f12"

// Options configure the terminal UI. The zero value is usable.
type Options struct {
	// In is where key presses are read; nil means os.Stdin (or the
	// controlling terminal when stdin is not one).
	In io.Reader
	// Out is where screens are drawn; nil means os.Stdout.
	Out io.Writer
	// WindowsKey names the key standing in for the Windows key, in
	// bubbletea's spelling ("f12", "f9", "ctrl+w"); "" means
	// DefaultWindowsKey. It is shown in the help line of the Welcome screen
	// and counted only there; pick a key no screen uses for anything else.
	WindowsKey string
	// AltScreen draws on the terminal's alternate screen (full window,
	// restored on exit).
	AltScreen bool
	// Now is the clock used to time Windows-key presses; nil means
	// time.Now. Tests inject a fake clock here.
	Now func() time.Time
}

// ViewMsg is the message carrying a new view into the Model.
type ViewMsg screen.View

// Run draws views as they arrive and sends what the person chooses on inputs,
// until ctx ends or views is closed. It returns nil when views is closed,
// ctx.Err() when ctx ended first, and an error when the terminal fails.
// Inputs not yet taken from the inputs channel when Run returns are dropped.
func Run(ctx context.Context, views <-chan screen.View, inputs chan<- screen.Input, opts Options) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	m := NewModel(inputs, opts)
	m.done = runCtx.Done()

	popts := []tea.ProgramOption{}
	if opts.In != nil {
		popts = append(popts, tea.WithInput(opts.In))
	}
	if opts.Out != nil {
		popts = append(popts, tea.WithOutput(opts.Out))
	}
	if opts.AltScreen {
		popts = append(popts, tea.WithAltScreen())
	}
	p := tea.NewProgram(m, popts...)

	finished := make(chan struct{})
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		for {
			select {
			case <-finished:
				return
			case <-runCtx.Done():
				p.Quit()
				return
			case v, ok := <-views:
				if !ok {
					p.Quit()
					return
				}
				p.Send(ViewMsg(v))
			}
		}
	}()

	_, err := p.Run()
	close(finished)
	cancel() // unblocks pending sends on inputs
	<-forwarded
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return err
	}
	return nil
}
