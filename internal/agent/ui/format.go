package ui

import (
	"fmt"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// elapsed formats a duration as mm:ss, or h:mm:ss from an hour on;
// negative durations show as 00:00.
func elapsed(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	h, m, sec := s/3600, s/60%60, s%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%02d:%02d", m, sec)
}

// symbol is the mark drawn before a check, category or item.
func symbol(s screen.State) string {
	switch s {
	case screen.StateDone:
		return "✓"
	case screen.StateFailed:
		return "✗"
	case screen.StateRunning:
		return "⟳"
	case screen.StateSkipped:
		return "–"
	default:
		return "·"
	}
}

// stateWord is a category's state in words, as the ESP shows it.
func stateWord(s screen.State) string {
	switch s {
	case screen.StateDone:
		return "Complete"
	case screen.StateFailed:
		return "Failed"
	case screen.StateRunning:
		return "In progress"
	case screen.StateSkipped:
		return "Skipped"
	default:
		return "Waiting"
	}
}

// spinner frames for the Working screen.
var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
