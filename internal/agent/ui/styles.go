package ui

import (
	"io"

	"github.com/charmbracelet/lipgloss"
)

// styles are the looks of the screens, bound to the output so colours
// follow what that terminal supports (none for a buffer or a pipe).
type styles struct {
	title, titleOK, titleBad, titleWarn lipgloss.Style
	ok, bad, warn, dim, bold            lipgloss.Style
	notice, selected                    lipgloss.Style
	button, focused                     lipgloss.Style
	dialog, qr                          lipgloss.Style
}

func newStyles(out io.Writer) styles {
	r := lipgloss.NewRenderer(out)
	bar := r.NewStyle().Bold(true).Padding(0, 1).Foreground(lipgloss.Color("15"))
	return styles{
		title:     bar.Background(lipgloss.Color("25")),
		titleOK:   bar.Background(lipgloss.Color("28")),
		titleBad:  bar.Background(lipgloss.Color("124")),
		titleWarn: bar.Background(lipgloss.Color("136")),
		ok:        r.NewStyle().Foreground(lipgloss.Color("10")).Bold(true),
		bad:       r.NewStyle().Foreground(lipgloss.Color("9")).Bold(true),
		warn:      r.NewStyle().Foreground(lipgloss.Color("11")),
		dim:       r.NewStyle().Faint(true),
		bold:      r.NewStyle().Bold(true),
		notice:    r.NewStyle().Reverse(true),
		selected:  r.NewStyle().Bold(true).Foreground(lipgloss.Color("14")),
		button:    r.NewStyle(),
		focused:   r.NewStyle().Reverse(true).Bold(true),
		dialog:    r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1),
		// Black ink on white paper whatever the terminal's own colours.
		qr: r.NewStyle().Foreground(lipgloss.Color("0")).Background(lipgloss.Color("15")),
	}
}
