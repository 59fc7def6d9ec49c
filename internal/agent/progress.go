package agent

import (
	"sync"
	"time"

	"github.com/whiteglove/whiteglove/internal/agent/journal"
	"github.com/whiteglove/whiteglove/internal/agent/screen"
	"github.com/whiteglove/whiteglove/internal/deviceapi/wire"
)

// ESP category and line names, as Windows shows them.
const (
	CatPreparation = "Device preparation"
	CatSetup       = "Device setup"
	CatAccount     = "Account setup"

	LineTPM      = "Securing your hardware"
	LineJoin     = "Joining your organization's network"
	LineMDM      = "Registering your device for mobile management"
	LinePolicies = "Security policies"
	LineCerts    = "Certificates"
	LineNetwork  = "Network connections"
	LineApps     = "Apps"
	LineIdentity = "Joining your organization's network (user)"
)

// recorder journals steps of the current session and keeps the ESP view
// model up to date; the UI reads snapshots of it.
type recorder struct {
	mu       sync.Mutex
	j        *journal.Journal
	session  string
	phase    string
	checks   []screen.Check
	cats     []screen.Category
	onChange func()
	printer  func(wire.Event)
}

func (r *recorder) begin(session, phase string, cats ...string) {
	r.mu.Lock()
	r.session, r.phase = session, phase
	r.cats = nil
	for _, c := range cats {
		r.cats = append(r.cats, screen.Category{Name: c, State: screen.StatePending})
	}
	r.mu.Unlock()
	r.changed()
}

func (r *recorder) changed() {
	if r.onChange != nil {
		r.onChange()
	}
}

// record journals an event (durably) before anything else happens.
func (r *recorder) record(e wire.Event) error {
	r.mu.Lock()
	s, p := r.session, r.phase
	r.mu.Unlock()
	if e.Time.IsZero() {
		e.Time = time.Now().UTC()
	}
	rec, err := r.j.Append(s, p, e)
	if err != nil {
		return err
	}
	if r.printer != nil {
		r.printer(rec.Event)
	}
	return nil
}

// check sets a requirement check's state.
func (r *recorder) check(name string, st screen.State, detail string) {
	r.mu.Lock()
	found := false
	for i := range r.checks {
		if r.checks[i].Name == name {
			r.checks[i].State, r.checks[i].Detail, found = st, detail, true
		}
	}
	if !found {
		r.checks = append(r.checks, screen.Check{Name: name, State: st, Detail: detail})
	}
	r.mu.Unlock()
	r.changed()
}

// line sets the state of a line under a category.
func (r *recorder) line(cat, name string, st screen.State, detail string) {
	r.mu.Lock()
	for i := range r.cats {
		if r.cats[i].Name != cat {
			continue
		}
		found := false
		for k := range r.cats[i].Items {
			if r.cats[i].Items[k].Name == name {
				r.cats[i].Items[k].State, r.cats[i].Items[k].Detail, found = st, detail, true
			}
		}
		if !found {
			r.cats[i].Items = append(r.cats[i].Items, screen.Item{Name: name, State: st, Detail: detail})
		}
		r.cats[i].State = rollup(r.cats[i].Items)
	}
	r.mu.Unlock()
	r.changed()
}

// apps sets a category's "n of m" apps count.
func (r *recorder) apps(cat string, done, total int) {
	r.mu.Lock()
	for i := range r.cats {
		if r.cats[i].Name == cat {
			r.cats[i].AppsDone, r.cats[i].AppsTotal = done, total
		}
	}
	r.mu.Unlock()
	r.changed()
}

func (r *recorder) setCategory(cat string, st screen.State) {
	r.mu.Lock()
	for i := range r.cats {
		if r.cats[i].Name == cat {
			r.cats[i].State = st
		}
	}
	r.mu.Unlock()
	r.changed()
}

func rollup(items []screen.Item) screen.State {
	all, any := true, false
	for _, it := range items {
		switch it.State {
		case screen.StateFailed:
			return screen.StateFailed
		case screen.StateRunning:
			any = true
			all = false
		case screen.StatePending:
			all = false
		default:
			any = true
		}
	}
	switch {
	case all && len(items) > 0:
		return screen.StateDone
	case any:
		return screen.StateRunning
	}
	return screen.StatePending
}

// snapshot returns copies of the checks and categories.
func (r *recorder) snapshot() ([]screen.Check, []screen.Category) {
	r.mu.Lock()
	defer r.mu.Unlock()
	checks := append([]screen.Check(nil), r.checks...)
	cats := make([]screen.Category, len(r.cats))
	for i, c := range r.cats {
		c.Items = append([]screen.Item(nil), c.Items...)
		cats[i] = c
	}
	return checks, cats
}
