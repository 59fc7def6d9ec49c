package esp_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/whiteglove/whiteglove/internal/apperr"
	"github.com/whiteglove/whiteglove/internal/assign"
	"github.com/whiteglove/whiteglove/internal/esp"
	"github.com/whiteglove/whiteglove/internal/store"
	"github.com/whiteglove/whiteglove/internal/store/storetest"
)

func TestInvalidProfilesWriteNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, nil)
		kept := create(t, s, "Kept")
		cases := []struct {
			property string
			change   func(*esp.Profile)
		}{
			{"displayName", func(p *esp.Profile) { p.DisplayName = "  " }},
			{"displayName", func(p *esp.Profile) { p.DisplayName = strings.Repeat("x", 257) }},
			{"description", func(p *esp.Profile) { p.Description = strings.Repeat("x", 1025) }},
			{"customErrorMessage", func(p *esp.Profile) { p.CustomErrorMessage = strings.Repeat("é", 10001) }},
			{"installProgressTimeoutInMinutes", func(p *esp.Profile) { p.InstallProgressTimeoutInMinutes = 0 }},
			{"installProgressTimeoutInMinutes", func(p *esp.Profile) { p.InstallProgressTimeoutInMinutes = 1441 }},
			{"selectedMobileAppIds[1]", func(p *esp.Profile) { p.SelectedMobileAppIDs = []string{newGUID(0), "notepad"} }},
			{"selectedMobileAppIds", func(p *esp.Profile) {
				for i := range 101 {
					p.SelectedMobileAppIDs = append(p.SelectedMobileAppIDs, newGUID(i))
				}
			}},
			{"roleScopeTagIds[0]", func(p *esp.Profile) { p.RoleScopeTagIDs = []string{""} }},
		}
		for _, c := range cases {
			p := esp.NewProfile()
			p.DisplayName = "New"
			c.change(&p)
			var inv *apperr.InvalidError
			if _, err := s.Create(ctx, p); !errors.As(err, &inv) || !strings.HasPrefix(inv.Msg, c.property) {
				t.Errorf("create with bad %s: %v", c.property, err)
			}
			_, err := s.Update(ctx, kept.ID, func(p *esp.Profile) error { c.change(p); return nil })
			if !errors.As(err, &inv) || !strings.HasPrefix(inv.Msg, c.property) {
				t.Errorf("update with bad %s: %v", c.property, err)
			}
		}
		if got := order(t, s); got != "Kept:1 "+def {
			t.Fatalf("refused writes left %s", got)
		}
		if p, _ := s.Profile(ctx, kept.ID); p.Version != 1 || p.InstallProgressTimeoutInMinutes != 60 {
			t.Fatalf("refused updates changed the profile: %+v", p)
		}
	})
}

func TestUpdateNormalizes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, nil)
		p := create(t, s, "Kiosk")
		app := newGUID(7)
		u, err := s.Update(ctx, p.ID, func(p *esp.Profile) error {
			p.CustomErrorMessage = "   "
			p.SelectedMobileAppIDs = []string{strings.ToUpper(app), app}
			p.RoleScopeTagIDs = nil
			p.InstallProgressTimeoutInMinutes = 1440
			p.AllowNonBlockingAppInstallation = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.Profile(ctx, p.ID)
		if got.CustomErrorMessage != esp.DefaultErrorMessage || strings.Join(got.SelectedMobileAppIDs, ",") != app ||
			strings.Join(got.RoleScopeTagIDs, ",") != "0" || got.InstallProgressTimeoutInMinutes != 1440 ||
			!got.AllowNonBlockingAppInstallation || got.Version != 2 || !got.UpdatedAt.Equal(u.UpdatedAt) || !got.CreatedAt.Equal(p.CreatedAt) {
			t.Fatalf("stored %+v", got)
		}
		if _, err := s.Update(ctx, "missing", func(*esp.Profile) error { return nil }); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("update of a missing profile: %v", err)
		}
	})
}

func TestAssignReplacesTheSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(t, db, nil)
		p := create(t, s, "Kiosk")
		g1, g2 := newGUID(1), newGUID(2)
		as, err := s.Assign(ctx, p.ID, []esp.Assignment{
			{ID: "a1", Target: assign.Target{Kind: assign.Group, GroupID: strings.ToUpper(g1)}},
			{Target: assign.Target{Kind: assign.ExclusionGroup, GroupID: g2}},
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := s.Assignments(ctx, strings.ToUpper(p.ID))
		if len(got) != 2 || got[0].ID != "a1" || got[0].Target.GroupID != g1 || got[1].ID != as[1].ID || got[1].ID == "" ||
			got[1].Target.Kind != assign.ExclusionGroup {
			t.Fatalf("assignments = %+v", got)
		}
		if a, err := s.Assignment(ctx, p.ID, "A1"); err != nil || a.Target.GroupID != g1 {
			t.Fatalf("assignment a1: %+v %v", a, err)
		}
		if _, err := s.Assignment(ctx, p.ID, "zz"); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("missing assignment: %v", err)
		}
		bad := [][]esp.Assignment{
			{{ID: "x", Target: assign.Target{Kind: assign.Group}}},
			{{ID: "x", Target: assign.Target{Kind: assign.AllDevices}}, {ID: "X", Target: assign.Target{Kind: assign.AllLicensedUsers}}},
			{{Target: assign.Target{Kind: assign.Group, GroupID: g1}}, {Target: assign.Target{Kind: assign.Group, GroupID: strings.ToUpper(g1)}}},
		}
		for i, b := range bad {
			var inv *apperr.InvalidError
			if _, err := s.Assign(ctx, p.ID, b); !errors.As(err, &inv) || !strings.HasPrefix(inv.Msg, "enrollmentConfigurationAssignments[") {
				t.Errorf("bad set %d: %v", i, err)
			}
		}
		if got, _ := s.Assignments(ctx, p.ID); len(got) != 2 {
			t.Fatalf("refused assign changed the set: %+v", got)
		}
		if _, err := s.Assign(ctx, p.ID, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Assignments(ctx, p.ID); len(got) != 0 {
			t.Fatalf("empty assign left %+v", got)
		}
		if _, err := s.Assignments(ctx, "missing"); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("assignments of a missing profile: %v", err)
		}
		// Deleting a profile drops its assignments.
		if _, err := s.Assign(ctx, p.ID, []esp.Assignment{{Target: assign.Target{Kind: assign.AllDevices}}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM esp_assignments").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d assignments left after delete (%v)", n, err)
		}
	})
}
