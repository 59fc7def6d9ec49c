package ui

import (
	"os"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/whiteglove/whiteglove/internal/agent/screen"
)

// Timing of the Windows-key sequence and the spinner.
const (
	windowsPresses = 5               // presses that open the Options dialog
	windowsGap     = 2 * time.Second // longest pause between two presses
	spinEvery      = 120 * time.Millisecond
)

// Model is the bubbletea model of the device client's screens. It is
// exported so tests can drive it with tea messages, without a terminal. The
// zero value is not usable; call NewModel.
type Model struct {
	inputs chan<- screen.Input
	done   <-chan struct{} // closed when Run ends; nil outside Run
	out    *outbox
	now    func() time.Time
	winKey string
	st     styles
	qr     *qrCache

	view    screen.View
	hasView bool
	width   int // 0 until the first tea.WindowSizeMsg
	height  int

	focus     int               // button index; on SignIn, fields come first
	presses   int               // Windows-key presses counted so far
	lastPress time.Time         // when the last one was
	options   bool              // the local Options dialog is open
	optFocus  int               // 0 = Windows Autopilot provisioning, 1 = Cancel
	langs     []language        // Welcome: the list shown
	lang      int               // Welcome: the selected entry
	network   int               // Network: 0 = wired, 1 = Wi-Fi
	fields    map[string]string // SignIn: what was typed, by field name
	spin      int               // Working: spinner frame
	ticking   bool              // a spinner tick is scheduled
	spinEvery time.Duration     // spinner frame time
}

// NewModel returns a model that sends what the person chooses on inputs (a
// nil channel sends nothing). Sends never block the UI: they are tea.Cmds
// delivered in order.
func NewModel(inputs chan<- screen.Input, opts Options) Model {
	key := strings.ToLower(strings.TrimSpace(opts.WindowsKey))
	if key == "" {
		key = DefaultWindowsKey
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	out := opts.Out
	if out == nil {
		out = os.Stdout
	}
	langs, lang := languagesWith("")
	return Model{
		inputs: inputs,
		out:    &outbox{},
		now:    now,
		winKey: key,
		st:     newStyles(out),
		qr:     &qrCache{},
		langs:  langs,
		lang:   lang,
		fields: map[string]string{},

		spinEvery: spinEvery,
	}
}

// Init implements tea.Model; nothing happens before the first view.
func (m Model) Init() tea.Cmd { return nil }

// spinMsg advances the Working spinner.
type spinMsg struct{}

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case ViewMsg:
		return m.setView(screen.View(msg))
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tea.KeyMsg:
		return m.key(msg)
	case spinMsg:
		if !m.hasView || m.view.Kind != screen.Working {
			m.ticking = false
			return m, nil
		}
		m.spin++
		return m, m.spinTick()
	}
	return m, nil
}

func (m Model) spinTick() tea.Cmd {
	return tea.Tick(m.spinEvery, func(time.Time) tea.Msg { return spinMsg{} })
}

// setView shows v, keeping local state (focus, choices, typed text) while
// the same screen is merely updated.
func (m Model) setView(v screen.View) (Model, tea.Cmd) {
	prev, had := m.view, m.hasView
	m.view, m.hasView = v, true
	same := had && prev.Kind == v.Kind
	if !same {
		m.focus, m.presses, m.options, m.optFocus, m.network = 0, 0, false, 0, 0
		m.fields = map[string]string{}
	} else if !slices.Equal(prev.Actions, v.Actions) || !slices.Equal(prev.Fields, v.Fields) {
		m.focus = 0
	}
	if m.focus >= m.slots() {
		m.focus = 0
	}
	if v.Kind == screen.Welcome && (!same || v.Language != prev.Language) {
		m.langs, m.lang = languagesWith(v.Language)
	}
	if v.Kind == screen.SignIn && same && v.Error != "" && v.Error != prev.Error {
		// A rejected sign-in: clear secrets and put the cursor there.
		fields := map[string]string{}
		first := -1
		for i, f := range v.Fields {
			if masked(f) {
				if first < 0 {
					first = i
				}
				continue
			}
			fields[f] = m.fields[f]
		}
		m.fields = fields
		if first >= 0 {
			m.focus = first
		}
	}
	if v.Kind == screen.Working && !m.ticking {
		m.ticking = true
		return m, m.spinTick()
	}
	return m, nil
}

// slots counts what focus moves over: sign-in fields, then buttons.
func (m Model) slots() int {
	n := len(m.view.Actions)
	if m.view.Kind == screen.SignIn {
		n += len(m.view.Fields)
	}
	return n
}

// masked reports whether a sign-in field is secret.
func masked(field string) bool {
	f := strings.ToLower(field)
	return strings.Contains(f, "password") || f == "pin"
}

// send delivers in on the inputs channel, in order, without blocking.
func (m Model) send(in screen.Input) tea.Cmd {
	return m.out.send(m.inputs, m.done, in)
}
