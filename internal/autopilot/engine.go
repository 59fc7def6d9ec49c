package autopilot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/whiteglove/whiteglove/internal/assign"
)

// engine decides which profile a device gets. Precedence, as Autopilot
// resolves conflicts: a profile assigned to the device directly (the
// profile's assign action) wins; otherwise, of the profiles whose
// assignments include the device (a group it is in, or all devices) and do
// not exclude it, the oldest-created one wins (ties by id).
type engine struct {
	order   []Profile                  // by precedence
	targets map[string][]assign.Target // by profile id
	exists  map[string]bool
	groups  map[string]bool // every group a profile assignment names
}

func loadEngine(ctx context.Context, tx Tx) (*engine, error) {
	ps, err := tx.Profiles(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading profiles: %w", err)
	}
	as, err := tx.AllProfileAssignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading profile assignments: %w", err)
	}
	e := &engine{order: ps, targets: map[string][]assign.Target{}, exists: map[string]bool{}, groups: map[string]bool{}}
	sort.SliceStable(e.order, func(i, j int) bool {
		if !e.order[i].CreatedAt.Equal(e.order[j].CreatedAt) {
			return e.order[i].CreatedAt.Before(e.order[j].CreatedAt)
		}
		return e.order[i].ID < e.order[j].ID
	})
	for _, p := range ps {
		e.exists[p.ID] = true
	}
	for _, a := range as {
		t := assign.Target{Kind: assign.Kind(a.TargetKind), GroupID: strings.ToLower(a.GroupID), FilterID: a.FilterID, FilterType: a.FilterType}
		e.targets[a.ProfileID] = append(e.targets[a.ProfileID], t)
		if t.GroupID != "" {
			e.groups[t.GroupID] = true
		}
	}
	return e, nil
}

func (e *engine) groupList() []string {
	out := make([]string, 0, len(e.groups))
	for g := range e.groups {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

// choose returns the profile for a device in the given groups; "" for none.
func (e *engine) choose(d Device, groups []string) string {
	if d.DirectProfileID != "" && e.exists[d.DirectProfileID] {
		return d.DirectProfileID
	}
	subj := assign.Subject{IsDevice: true, Groups: make(map[string]bool, len(groups))}
	for _, g := range groups {
		subj.Groups[g] = true
	}
	for _, p := range e.order {
		if assign.Applies(e.targets[p.ID], subj) {
			return p.ID
		}
	}
	return ""
}

// assignProfiles computes the profile of each device (in memory) and
// returns the updates for those that changed.
func (e *engine) assignProfiles(ctx context.Context, tx Tx, ds []Device, now time.Time) ([]ProfileUpdate, error) {
	memberships := map[string][]string{}
	if len(e.groups) > 0 && len(ds) > 0 {
		ids := make([]string, len(ds))
		for i, d := range ds {
			ids[i] = d.EntraObjectID
		}
		var err error
		memberships, err = tx.GroupsAmong(ctx, ids, e.groupList())
		if err != nil {
			return nil, fmt.Errorf("reading device groups: %w", err)
		}
	}
	var ups []ProfileUpdate
	for _, d := range ds {
		pid := e.choose(d, memberships[d.EntraObjectID])
		status := ProfileNotAssigned
		if pid != "" {
			status = ProfileAssignedInSync
		}
		if pid == d.ProfileID && status == d.ProfileStatus {
			continue
		}
		u := ProfileUpdate{DeviceID: d.ID, ProfileID: pid, Status: status}
		if pid != "" {
			u.AssignedAt = now
		}
		ups = append(ups, u)
	}
	return ups, nil
}

// recompute brings the stored profile of ds up to date.
func (s *Service) recompute(ctx context.Context, tx Tx, e *engine, ds []Device) error {
	ups, err := e.assignProfiles(ctx, tx, ds, s.now())
	if err != nil {
		return err
	}
	if err := tx.SetProfiles(ctx, ups); err != nil {
		return fmt.Errorf("storing profile assignments: %w", err)
	}
	return nil
}

// recomputeAll re-evaluates every device (after a profile or assignment
// change), in batches, writing only the devices whose profile changed.
func (s *Service) recomputeAll(ctx context.Context, tx Tx) error {
	e, err := loadEngine(ctx, tx)
	if err != nil {
		return err
	}
	var batch []Device
	flush := func() error {
		err := s.recompute(ctx, tx, e, batch)
		batch = batch[:0]
		return err
	}
	var all []Device
	if err := tx.EachAutopilotDevice(ctx, func(d Device) error {
		all = append(all, d)
		return nil
	}); err != nil {
		return fmt.Errorf("listing devices: %w", err)
	}
	for _, d := range all {
		batch = append(batch, d)
		if len(batch) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
