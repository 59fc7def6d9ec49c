package ui

import (
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// outbox delivers inputs in the order they were chosen without blocking the
// UI: each send is a tea.Cmd that first waits for the previous one, so a slow
// reader of the inputs channel never freezes drawing.
type outbox struct {
	mu   sync.Mutex
	last chan struct{} // closed when the previous send finished; nil at first
}

// send returns a command that delivers in on inputs after every earlier send
// has been delivered, or gives up when done is closed. A nil inputs channel
// sends nothing.
func (o *outbox) send(inputs chan<- screen.Input, done <-chan struct{}, in screen.Input) tea.Cmd {
	if inputs == nil {
		return nil
	}
	o.mu.Lock()
	prev := o.last
	mine := make(chan struct{})
	o.last = mine
	o.mu.Unlock()
	return func() tea.Msg {
		defer close(mine)
		if prev != nil {
			select {
			case <-prev:
			case <-done:
				return nil
			}
		}
		select {
		case inputs <- in:
		case <-done:
		}
		return nil
	}
}
